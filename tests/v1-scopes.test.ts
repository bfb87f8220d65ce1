// A key can never mint or move into more power than it has: POST /v1/api-keys, PATCH and
// rotate accept only groups whose scopes are a subset of the calling key's own (403
// scope_exceeded otherwise, nothing changed). People are bound by their role, not by this.
// The /v1 handlers run in-process (tests/helpers/v1.ts) on SQLite, and on PostgreSQL in the
// PostgreSQL phase.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mutableState, seededDb, userContext, type SeededDb } from "./db";
import { loadV1, type V1 } from "./helpers/v1";
import { createApiKey } from "@/lib/api-keys/mutations";
import { KEY_GROUP_TYPE } from "@/lib/api-keys/where";

let t: SeededDb;
let v1: V1;
/** Acme's "Audit export" key group: Full access plus audit:read. */
let wider: { id: string };
/** A key of Full access (api_keys:read api_keys:write): the caller. */
let caller: { id: string; secret: string };
/** A key in the wider group, made by a person. */
let widerKey: { id: string };

async function keyBy(actor: "admin", name: string, groupId: string) {
  const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users[actor]), { name, groupId });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return { id: created.value.key.id, secret: created.value.secret };
}

beforeEach(async () => {
  t = await seededDb("keyward-v1-scopes");
  wider = await t.db.authorizationGroup.create({
    data: { tenantId: t.fx.acme.id, name: "Audit export", type: KEY_GROUP_TYPE, scopes: "api_keys:read api_keys:write audit:read", description: "" },
  });
  caller = await keyBy("admin", "Scoped caller", t.fx.groups.acmeFull.id);
  widerKey = await keyBy("admin", "Wider key", wider.id);
  v1 = await loadV1(t.url);
});
afterEach(async () => {
  await v1.close();
  await t.close();
});

async function expectRefused(method: string, path: string, body?: unknown) {
  const before = await mutableState(t);
  const response = await v1.call(method, path, { key: caller.secret, body });
  expect(response.status, JSON.stringify(response.body)).toBe(403);
  expect(response.body.error.code).toBe("scope_exceeded");
  expect(response.body.error.message).toContain("audit:read");
  expect(await mutableState(t)).toBe(before);
}

describe("a Full access key", () => {
  it("cannot create a key in a group with a scope it lacks", async () => {
    await expectRefused("POST", "/v1/api-keys", { name: "Escalated", groupId: wider.id });
  });

  it("cannot move itself into that group", async () => {
    await expectRefused("PATCH", `/v1/api-keys/${caller.id}`, { groupId: wider.id });
  });

  it("cannot move another key into it, nor edit or rotate a key that is already there", async () => {
    const other = await keyBy("admin", "Other key", t.fx.groups.acmeReadOnly.id);
    await expectRefused("PATCH", `/v1/api-keys/${other.id}`, { groupId: wider.id });
    await expectRefused("PATCH", `/v1/api-keys/${widerKey.id}`, { name: "Renamed wider key" });
    await expectRefused("PATCH", `/v1/api-keys/${widerKey.id}`, { groupId: t.fx.groups.acmeReadOnly.id });
    await expectRefused("POST", `/v1/api-keys/${widerKey.id}/rotate`, { overlap: "none" });
  });

  it("may create and edit keys with the same or fewer scopes, and move itself down", async () => {
    const same = await v1.call("POST", "/v1/api-keys", { key: caller.secret, body: { name: "Same scopes", groupId: t.fx.groups.acmeFull.id } });
    expect(same.status, JSON.stringify(same.body)).toBe(201);
    const fewer = await v1.call("POST", "/v1/api-keys", { key: caller.secret, body: { name: "Fewer scopes", groupId: t.fx.groups.acmeReadOnly.id } });
    expect(fewer.status).toBe(201);
    const rotated = await v1.call("POST", `/v1/api-keys/${fewer.body.id}/rotate`, { key: caller.secret, body: {} });
    expect(rotated.status).toBe(200);

    const down = await v1.call("PATCH", `/v1/api-keys/${caller.id}`, { key: caller.secret, body: { groupId: t.fx.groups.acmeReadOnly.id } });
    expect(down.status).toBe(200);
    expect(down.body.authorizationGroup.scopes).toEqual(["api_keys:read"]);
    // Now read-only: it cannot write at all, let alone move back up.
    const back = await v1.call("PATCH", `/v1/api-keys/${caller.id}`, { key: caller.secret, body: { groupId: t.fx.groups.acmeFull.id } });
    expect(back.status).toBe(403);
    expect(back.body.error.code).not.toBe("scope_exceeded");
  });

  it("may still revoke a key with more scopes (revoking grants nothing)", async () => {
    const revoked = await v1.call("DELETE", `/v1/api-keys/${widerKey.id}`, { key: caller.secret });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
  });
});

it("a key that holds every scope of the group may create keys in it", async () => {
  const holder = await keyBy("admin", "Wide caller", wider.id);
  const created = await v1.call("POST", "/v1/api-keys", { key: holder.secret, body: { name: "Wide child", groupId: wider.id } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.authorizationGroup.scopes).toContain("audit:read");
});

it("people are bound by their role, not by a key's scopes: an admin creates and moves keys into the wider group", async () => {
  const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
  expect((await createApiKey(t.db, ctx, { name: "Person made", groupId: wider.id })).ok).toBe(true);
});
