// Disable / re-enable (issue 16.16) and the rotation overlap made visible (issue 16.10), on the
// real verification path: a disabled key is refused (401, reason DISABLED) from the next request
// on, keeps its place of the limit, is audited and comes back when re-enabled; the previous
// secret's last use is recorded in the usage batches; End overlap now kills the previous secret
// at once; rotating during an overlap ends it and says so in the audit. SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { mutableState, userContext, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { createApiKey, revokeAllApiKeys, rotateApiKey } from "./mutations";
import { disableApiKey, enableApiKey, endRotationOverlap } from "./lifecycle";
import { countActiveKeys, listApiKeys, tenantKeyCounts } from "./queries";
import { apiKeyListSchema } from "./schemas";
import { toKeyListItem } from "./serialize";
import { flushUsage } from "../verify/usage";
import { verify, type Verifier } from "../verify/verify";

let t: SeededDb;
let verifier: Verifier;
setupVerifierDb("keyward-lifecycle", (db, v) => ((t = db), (verifier = v)));

const admin = () => userContext(t.fx.acme.id, t.fx.users.admin);
const check = (secret: string) => verify(verifier, secret, { clientIp: "127.0.0.1" });
async function newKey(name = "Disable me") {
  const created = await createApiKey(t.db, admin(), { name, groupId: t.fx.groups.acmeFull.id });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}
const actions = async (keyId: string) =>
  (await t.db.auditEvent.findMany({ where: { targetKeyId: keyId }, orderBy: { seq: "asc" } })).map((e) => e.action);

describe("disable and re-enable", () => {
  it("refuses a disabled key at once (cached or not), counts it toward the limit, audits both, and re-enables it", async () => {
    const { key, secret } = await newKey();
    expect(await check(secret)).toMatchObject({ ok: true }); // now cached
    const usedBefore = await countActiveKeys(t.db, t.fx.acme.id);

    const disabled = await disableApiKey(t.db, admin(), key.id);
    expect(disabled).toMatchObject({ ok: true, value: { status: "disabled" } });
    expect(await check(secret)).toMatchObject({ ok: false, status: 401, code: "unauthorized", reason: "DISABLED" });
    expect(await countActiveKeys(t.db, t.fx.acme.id)).toBe(usedBefore);
    const counts = await tenantKeyCounts(t.db, t.fx.acme.id, new Date(), 90);
    expect(counts).toMatchObject({ used: usedBefore, disabled: 1 });

    // Its own badge and filter: listed under status=disabled only.
    const only = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ status: "disabled" }));
    expect(only.rows.map((r) => r.id)).toEqual([key.id]);
    expect(toKeyListItem(only.rows[0], new Date(), 90)).toMatchObject({ status: "disabled", disabledAt: expect.any(String) });
    const active = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ status: "active" }));
    expect(active.rows.map((r) => r.id)).not.toContain(key.id);

    // Twice is a conflict that writes nothing; edit and rotate wait for a re-enable.
    const before = await mutableState(t);
    expect(await disableApiKey(t.db, admin(), key.id)).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await rotateApiKey(t.db, admin(), key.id, {})).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await mutableState(t)).toBe(before);

    expect(await enableApiKey(t.db, admin(), key.id)).toMatchObject({ ok: true, value: { status: "active", disabledAt: null } });
    expect(await check(secret)).toMatchObject({ ok: true });
    expect(await actions(key.id)).toEqual(["api_key.created", "api_key.disabled", "api_key.enabled"]);
    expect(await enableApiKey(t.db, admin(), key.id)).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("a disabled key keeps its place, so a full tenant cannot fill it meanwhile; Revoke all revokes it too", async () => {
    const { key } = await newKey();
    const used = await countActiveKeys(t.db, t.fx.acme.id);
    await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: used } });
    await disableApiKey(t.db, admin(), key.id);
    expect(await createApiKey(t.db, admin(), { name: "Squatter", groupId: t.fx.groups.acmeFull.id })).toMatchObject({
      ok: false,
      error: { code: "limit_reached" },
    });
    expect(await enableApiKey(t.db, admin(), key.id)).toMatchObject({ ok: true });
    await disableApiKey(t.db, admin(), key.id);
    const all = await revokeAllApiKeys(t.db, admin(), "Acme");
    expect(all.ok).toBe(true);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).status).toBe("revoked");
  });

  it("another tenant's key is not found, and a stale version is refused", async () => {
    const { key } = await newKey();
    const globex = userContext(t.fx.globex.id, t.fx.users.globexAdmin);
    expect(await disableApiKey(t.db, globex, key.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await disableApiKey(t.db, admin(), key.id, { expectedVersions: [key.version + 5] })).toMatchObject({
      ok: false,
      error: { code: "precondition_failed" },
    });
  });
});

describe("rotation overlap", () => {
  it("records the previous secret's last use, ends the overlap on demand and audits it", async () => {
    const { key, secret: oldSecret } = await newKey("Rotating key");
    const rotated = await rotateApiKey(t.db, admin(), key.id, { overlap: "24h" });
    if (!rotated.ok) throw new Error(JSON.stringify(rotated.error));
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { previousLastUsedAt: true } });
    expect(row.previousLastUsedAt).toBeNull();

    expect(await check(oldSecret)).toMatchObject({ ok: true });
    await flushUsage();
    const listed = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({}));
    const item = toKeyListItem(listed.rows.find((r) => r.id === key.id)!, new Date(), 90);
    expect(item.rotatingUntil).toBe(rotated.value.previousValidUntil);
    expect(item.previousSecret).toEqual({ prefix: key.prefix, lastUsedAt: expect.any(String) });

    // A use of the new secret is not a use of the previous one.
    const usedAt = item.previousSecret!.lastUsedAt;
    expect(await check(rotated.value.secret)).toMatchObject({ ok: true });
    await flushUsage();
    const again = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { previousLastUsedAt: true } });
    expect(again.previousLastUsedAt?.toISOString()).toBe(usedAt);

    const ended = await endRotationOverlap(t.db, admin(), key.id);
    expect(ended).toMatchObject({ ok: true, value: { previousHashExpiresAt: null, previousPrefix: null } });
    expect(await check(oldSecret)).toMatchObject({ ok: false, status: 401 });
    expect(await check(rotated.value.secret)).toMatchObject({ ok: true });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { targetKeyId: key.id, action: "api_key.overlap_ended" } });
    expect(JSON.parse(event.details!)).toMatchObject({ previousPrefix: key.prefix, previousLastUsedAt: usedAt });
    expect(await endRotationOverlap(t.db, admin(), key.id)).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("rotating again during an overlap ends the first old secret, and the audit says so", async () => {
    const { key, secret: first } = await newKey("Twice rotated");
    const one = await rotateApiKey(t.db, admin(), key.id, { overlap: "24h" });
    if (!one.ok) throw new Error("rotate failed");
    const two = await rotateApiKey(t.db, admin(), key.id, { overlap: "1h" });
    if (!two.ok) throw new Error("rotate failed");
    expect(await check(first)).toMatchObject({ ok: false, status: 401 });
    expect(await check(one.value.secret)).toMatchObject({ ok: true });
    const events = await t.db.auditEvent.findMany({ where: { targetKeyId: key.id, action: "api_key.rotated" }, orderBy: { seq: "asc" } });
    expect(JSON.parse(events[0].details!).endedOverlap).toBeUndefined();
    expect(JSON.parse(events[1].details!).endedOverlap).toEqual({ previousPrefix: key.prefix, scheduledEnd: one.value.previousValidUntil });
  });
});
