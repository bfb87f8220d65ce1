// The command bar's server actions and the key actions it calls, as a forged POST would call
// them: the bar learns only the signed-in tenant's key names, and a change it starts is audited
// like the button's with details.via = "assistant" (and nothing else a client sends).
//
// The request is mocked as for every action test (tests/helpers/action-request.ts); the actions
// run against a fresh seeded database (SQLite, and PostgreSQL in the PostgreSQL phase).
import { signInAs, actionDatabase } from "./helpers/action-request";
import { beforeEach, describe, expect, it } from "vitest";
import { mutableState, type SeededDb } from "./db";
import { deniedReason } from "@/lib/auth/permissions";
import { parseRequest } from "@/lib/assistant/parse";

type KeyActions = typeof import("@/app/(dashboard)/tenant-api-keys/actions");
type AssistantActions = typeof import("@/app/(dashboard)/_assistant/actions");
let t: SeededDb;
let actions: KeyActions;
let assistant: AssistantActions;
const current = actionDatabase("keyward-assistant", async () => ({ actions: await import("@/app/(dashboard)/tenant-api-keys/actions"), assistant: await import("@/app/(dashboard)/_assistant/actions") }));
beforeEach(async () => {
  t = current();
  ({ actions, assistant } = current().loaded);
});


describe("what the bar may know", () => {
  it("only the signed-in tenant's key names, ids and prefixes, and never a hash", async () => {
    signInAs(t.fx.users.admin);
    const result = await assistant.assistantSnapshotAction();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const names = result.value.context.keys.map((k) => k.name);
    expect(names).toContain("ERP Integration");
    expect(names).not.toContain("Globex Billing Bridge");
    for (const key of result.value.context.keys) expect(Object.keys(key).sort()).toEqual(["id", "name", "prefix", "revoked"]);
    expect(JSON.stringify(result.value)).not.toMatch(/hash/i);
    expect(result.value.tenantName).toBe("Acme");

    signInAs(t.fx.users.globexAdmin);
    const globex = await assistant.assistantSnapshotAction();
    if (!globex.ok) throw new Error(globex.error.message);
    expect(globex.value.context.keys.map((k) => k.name)).toEqual(["Globex Billing Bridge"]);
    // So Acme's names cannot match in Globex's bar.
    expect(parseRequest("revoke ERP Integration", globex.value.context).kind).toBe("answer");
  });

  it("an operator's snapshot carries the permission map's reasons", async () => {
    signInAs(t.fx.users.operator);
    const result = await assistant.assistantSnapshotAction();
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.denied).toEqual({
      create: deniedReason("operator", "keys.create"),
      update: deniedReason("operator", "keys.update"),
      rotate: deniedReason("operator", "keys.rotate"),
      revoke: deniedReason("operator", "keys.revoke"),
      revokeAll: deniedReason("operator", "keys.revokeAll"),
    });
    expect(result.value.denied.revoke).toMatch(/operator/);
  });

  it("without a session it is unauthorized; another tenant's key is not found for edit", async () => {
    signInAs(null);
    expect(await assistant.assistantSnapshotAction()).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    signInAs(t.fx.users.globexAdmin);
    expect(await assistant.assistantKeyAction(t.fx.keys["ERP Integration"].id)).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});

describe("changes started from the bar", () => {
  it("are audited like the button's, with details.via = assistant", async () => {
    signInAs(t.fx.users.owner);
    const created = await actions.createApiKeyAction(
      { name: "Mobile App 2", groupId: t.fx.groups.acmeReadOnly.id, expiresIn: "30d" },
      "assistant",
    );
    if (!created.ok) throw new Error(created.error.message);
    const keyId = created.value.key.id;
    expect((await actions.rotateApiKeyAction(keyId, { overlap: "24h" }, undefined, "assistant")).ok).toBe(true);
    expect((await actions.updateApiKeyAction(keyId, { name: "Mobile App 3", groupId: t.fx.groups.acmeReadOnly.id }, undefined, "assistant")).ok).toBe(true);
    expect((await actions.revokeApiKeyAction(keyId, "assistant")).ok).toBe(true);
    const stillActive = await t.db.apiKey.count({ where: { tenantId: t.fx.acme.id, status: "active" } });
    expect((await actions.revokeAllApiKeysAction("Acme", "assistant")).ok).toBe(true);

    const events = await t.db.auditEvent.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { seq: "asc" } });
    const fromBar = events.filter((e) => JSON.parse(e.details ?? "{}").via === "assistant");
    expect(fromBar.map((e) => e.action)).toEqual([
      "api_key.created",
      "api_key.rotated",
      "api_key.updated",
      "api_key.revoked",
      "api_key.revoked_all",
      // Revoke all's trail: one event per key it revoked, from the bar like the bulk event.
      ...Array(stillActive).fill("api_key.revoked"),
    ]);
    expect(stillActive).toBeGreaterThan(0);
    expect(fromBar.every((e) => e.actorUserId === t.fx.users.owner.id)).toBe(true);
  });

  it("a button's change has no via, and no other value a client sends reaches the audit log", async () => {
    signInAs(t.fx.users.admin);
    const seen = await t.db.auditEvent.count();
    const plain = await actions.revokeApiKeyAction(t.fx.keys["ERP Integration"].id);
    const forged = await actions.revokeApiKeyAction(t.fx.keys["Mobile App"].id, { via: "assistant", evil: true });
    const odd = await actions.createApiKeyAction({ name: "Odd", groupId: t.fx.groups.acmeReadOnly.id }, "<script>");
    expect([plain.ok, forged.ok, odd.ok]).toEqual([true, true, true]);
    const events = await t.db.auditEvent.findMany({ orderBy: { createdAt: "asc" }, skip: seen });
    expect(events).toHaveLength(3);
    for (const event of events) expect(event.details ?? "").not.toMatch(/via|script|evil/);
  });

  it("an operator asking from the bar is refused by the same check, and nothing changes", async () => {
    signInAs(t.fx.users.operator);
    const before = await mutableState(t);
    const result = await actions.revokeApiKeyAction(t.fx.keys["ERP Integration"].id, "assistant");
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await mutableState(t)).toBe(before);
  });
});
