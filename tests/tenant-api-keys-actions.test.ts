// The /tenant-api-keys server actions called directly, as a forged POST would: role gating and
// tenant scoping must hold on the server, whatever the UI shows. (This file lives in tests/
// because vitest.config.ts includes lib/, scripts/ and tests/, not app/.)
//
// The request (session, cookies, headers, revalidatePath) is mocked as for every action test
// (tests/helpers/action-request.ts); the actions run against their real database module
// (lib/db), pointed at a fresh seeded database per test (SQLite, and PostgreSQL in that phase).
import { request, signInAs, actionDatabase } from "./helpers/action-request";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { holdTenantLock, mutableState, type SeededDb } from "./db";

type Actions = typeof import("@/app/(dashboard)/tenant-api-keys/actions");
let t: SeededDb;
let actions: Actions;
let revalidatePath: ReturnType<typeof vi.fn>;
const current = actionDatabase("keyward-actions", async () => ({ actions: await import("@/app/(dashboard)/tenant-api-keys/actions"), cache: await import("next/cache") }));
beforeEach(async () => {
  t = current();
  ({ actions } = current().loaded);
  revalidatePath = vi.mocked(current().loaded.cache.revalidatePath);
  revalidatePath.mockClear();
});


const newKeyInput = (groupId = t.fx.groups.acmeFull.id) => ({ name: "Forged Key", groupId, ipAllowlist: "" });

/** Every action once, on Acme's ERP Integration key, with arguments that would succeed for an owner. */
function callEveryAction(keyId = t.fx.keys["ERP Integration"].id) {
  return Promise.all([
    actions.createApiKeyAction(newKeyInput()),
    actions.updateApiKeyAction(keyId, { name: "Renamed", groupId: t.fx.groups.acmeReadOnly.id }),
    actions.rotateApiKeyAction(keyId, { overlap: "none" }),
    actions.revokeApiKeyAction(keyId),
    actions.revokeAllApiKeysAction("Acme"),
  ]);
}

describe("without a session", () => {
  it("every action answers unauthorized and changes nothing", async () => {
    signInAs(null);
    const before = await mutableState(t);
    const results = await callEveryAction();
    expect(results.map((r) => r.ok || r.error.code)).toEqual(Array(5).fill("unauthorized"));
    expect(await mutableState(t)).toBe(before);
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("a session of a user who no longer exists is no session", async () => {
    signInAs({ id: "cl_deleted_user_000000" }, t.fx.acme.id);
    const before = await mutableState(t);
    const results = await callEveryAction();
    expect(results.map((r) => r.ok || r.error.code)).toEqual(Array(5).fill("unauthorized"));
    expect(await mutableState(t)).toBe(before);
  });
});

describe("role gating", () => {
  it("an operator is forbidden every action and changes nothing", async () => {
    signInAs(t.fx.users.operator);
    const before = await mutableState(t);
    const results = await callEveryAction();
    expect(results.map((r) => r.ok || r.error.code)).toEqual(Array(5).fill("forbidden"));
    expect(await mutableState(t)).toBe(before);
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("an admin can create, edit, rotate and revoke keys, with the audit trail naming them", async () => {
    signInAs(t.fx.users.admin);
    request.requestId = "req_admin_flow_01";

    const created = await actions.createApiKeyAction(newKeyInput());
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const keyId = created.value.key.id;
    expect(created.value.secret).toMatch(/^kw_/);

    const edited = await actions.updateApiKeyAction(keyId, { name: "Edited", groupId: t.fx.groups.acmeReadOnly.id });
    expect(edited).toMatchObject({ ok: true, value: { id: keyId, name: "Edited" } });

    const rotated = await actions.rotateApiKeyAction(keyId, { overlap: "1h" });
    expect(rotated.ok).toBe(true);

    const revoked = await actions.revokeApiKeyAction(keyId);
    expect(revoked.ok).toBe(true);

    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(row).toMatchObject({ tenantId: t.fx.acme.id, name: "Edited", status: "revoked", createdById: t.fx.users.admin.id });
    expect(revalidatePath).toHaveBeenCalledTimes(4);
    expect(revalidatePath).toHaveBeenCalledWith("/tenant-api-keys");

    const events = await t.db.auditEvent.findMany({ where: { targetKeyId: keyId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorUserId, e.actorLabel, e.requestId, e.tenantId])).toEqual(
      ["api_key.created", "api_key.updated", "api_key.rotated", "api_key.revoked"].map((action) => [
        action,
        t.fx.users.admin.id,
        "admin@acme.test",
        "req_admin_flow_01",
        t.fx.acme.id,
      ]),
    );
  });

  it("an admin may not revoke all keys", async () => {
    signInAs(t.fx.users.admin);
    const before = await mutableState(t);
    const result = await actions.revokeAllApiKeysAction("Acme");
    expect(result.ok || result.error.code).toBe("forbidden");
    expect(await mutableState(t)).toBe(before);
  });

  it("an owner can revoke all of Acme's keys, and Globex's stay active", async () => {
    signInAs(t.fx.users.owner);
    const result = await actions.revokeAllApiKeysAction("Acme");
    expect(result).toEqual({ ok: true, value: { revoked: 5 } });
    expect(await t.db.apiKey.count({ where: { tenantId: t.fx.acme.id, status: "active" } })).toBe(0);
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: t.fx.keys["Globex Billing Bridge"].id } })).toEqual(
      t.fx.keys["Globex Billing Bridge"],
    );
  });

  it("a role change in the database applies to the very next action", async () => {
    signInAs(t.fx.users.admin);
    await t.db.membership.updateMany({ where: { userId: t.fx.users.admin.id }, data: { role: "operator" } });
    const result = await actions.createApiKeyAction(newKeyInput());
    expect(result.ok || result.error.code).toBe("forbidden");
  });

  it("the super user, a member of no tenant, is read-only everywhere", async () => {
    for (const cookie of [undefined, t.fx.acme.id, t.fx.globex.id]) {
      signInAs(t.fx.users.superUser, cookie);
      const before = await mutableState(t);
      const results = await callEveryAction();
      expect(results.map((r) => r.ok || r.error.code), `cookie ${cookie}`).toEqual(Array(5).fill("forbidden"));
      expect(await mutableState(t)).toBe(before);
    }
  });
});

describe("tenant isolation", () => {
  it("a Globex admin given an Acme key id gets not_found and the key is unchanged", async () => {
    signInAs(t.fx.users.globexAdmin);
    const acmeKey = t.fx.keys["ERP Integration"];
    const before = await mutableState(t);

    const results = await Promise.all([
      actions.updateApiKeyAction(acmeKey.id, { name: "Mine now", groupId: t.fx.groups.globexAutomation.id }),
      actions.rotateApiKeyAction(acmeKey.id, { overlap: "7d" }),
      actions.revokeApiKeyAction(acmeKey.id),
    ]);
    for (const result of results) {
      expect(result).toEqual({ ok: false, error: { code: "not_found", message: "API key not found." } });
    }
    expect(await mutableState(t)).toBe(before);
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: acmeKey.id } })).toEqual(acmeKey);
  });

  it("the duplicate-name check sees only the caller's tenant, never the key itself, and needs a session", async () => {
    const erp = t.fx.keys["ERP Integration"];
    signInAs(t.fx.users.operator);
    // keys.read: an operator may ask (the warning is in forms they cannot submit, but costs nothing).
    expect(await actions.duplicateKeyNameAction("ERP Integration")).toEqual({ ok: true, value: { id: erp.id, name: erp.name, prefix: erp.prefix } });
    expect(await actions.duplicateKeyNameAction("  ERP Integration  ")).toMatchObject({ ok: true, value: { id: erp.id } });
    expect(await actions.duplicateKeyNameAction("ERP Integration", erp.id)).toEqual({ ok: true, value: null });
    expect(await actions.duplicateKeyNameAction({ name: "ERP Integration" })).toEqual({ ok: true, value: null });
    signInAs(t.fx.users.globexAdmin);
    expect(await actions.duplicateKeyNameAction("ERP Integration")).toEqual({ ok: true, value: null });
    request.userId = null;
    expect(await actions.duplicateKeyNameAction("ERP Integration")).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });

  it("a tenant cookie naming Acme gives the Globex admin no access to Acme", async () => {
    signInAs(t.fx.users.globexAdmin, t.fx.acme.id);
    const acmeBefore = await t.db.apiKey.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { id: "asc" } });
    const acmeKey = t.fx.keys["ERP Integration"];

    // The cookie is ignored: the actions still run in Globex.
    const revoke = await actions.revokeApiKeyAction(acmeKey.id);
    expect(revoke.ok || revoke.error.code).toBe("not_found");
    const withAcmeGroup = await actions.createApiKeyAction(newKeyInput(t.fx.groups.acmeFull.id));
    expect(withAcmeGroup.ok).toBe(false);
    if (!withAcmeGroup.ok) expect(withAcmeGroup.error.fieldErrors?.groupId).toBeDefined();
    // Globex's admin is no owner anywhere: revoke-all is forbidden, the cookie changes nothing...
    const revokeAllAsAdmin = await actions.revokeAllApiKeysAction("Acme");
    expect(revokeAllAsAdmin.ok || revokeAllAsAdmin.error.code).toBe("forbidden");
    // ...and as Globex's owner, "Acme" is not the name of the tenant the action runs in.
    await t.db.membership.updateMany({ where: { userId: t.fx.users.globexAdmin.id }, data: { role: "owner" } });
    const revokeAllAsOwner = await actions.revokeAllApiKeysAction("Acme");
    expect(revokeAllAsOwner.ok || revokeAllAsOwner.error.code).toBe("validation");

    const created = await actions.createApiKeyAction(newKeyInput(t.fx.groups.globexAutomation.id));
    expect(created.ok).toBe(true);
    if (created.ok) {
      const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: created.value.key.id } });
      expect(row.tenantId).toBe(t.fx.globex.id);
    }

    expect(await t.db.apiKey.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { id: "asc" } })).toEqual(acmeBefore);
    expect(await t.db.auditEvent.count({ where: { tenantId: t.fx.acme.id } })).toBe(0);
  });

  it("no action takes a tenant id from its arguments", async () => {
    signInAs(t.fx.users.globexAdmin);
    const before = await t.db.apiKey.count({ where: { tenantId: t.fx.acme.id } });
    const result = await actions.createApiKeyAction({
      ...newKeyInput(t.fx.groups.globexAutomation.id),
      tenantId: t.fx.acme.id,
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: result.value.key.id } })).tenantId).toBe(t.fx.globex.id);
    }
    expect(await t.db.apiKey.count({ where: { tenantId: t.fx.acme.id } })).toBe(before);
  });
});

describe("a busy database", () => {
  it("another writer holding the tenant's lock: the action answers unavailable, changes nothing, and works once the lock is gone", async () => {
    // Wait at most 1 s for a lock (SQLite's busy timeout; PostgreSQL's statement_timeout), on a
    // fresh lib/db client: the timeouts are read when the client is created.
    const globals = globalThis as { keywardDb?: { $disconnect(): Promise<void> } };
    await globals.keywardDb?.$disconnect();
    delete globals.keywardDb;
    process.env.KEYWARD_SQLITE_BUSY_TIMEOUT_MS = "1000";
    process.env.KEYWARD_DB_STATEMENT_TIMEOUT_MS = "1000";
    try {
      vi.resetModules();
      actions = await import("@/app/(dashboard)/tenant-api-keys/actions");
    } finally {
      delete process.env.KEYWARD_SQLITE_BUSY_TIMEOUT_MS;
      delete process.env.KEYWARD_DB_STATEMENT_TIMEOUT_MS;
    }
    signInAs(t.fx.users.admin);
    request.requestId = "req_busy_0001";

    const before = await mutableState(t);
    const release = await holdTenantLock(t, t.fx.acme.id);
    let blocked;
    try {
      blocked = await actions.revokeApiKeyAction(t.fx.keys["Mobile App"].id);
    } finally {
      await release();
    }
    expect(blocked).toEqual({
      ok: false,
      error: { code: "unavailable", message: "The database is busy. Nothing was changed; try again. (Request req_busy_0001)" },
    });
    expect(await mutableState(t)).toBe(before);

    const retried = await actions.revokeApiKeyAction(t.fx.keys["Mobile App"].id);
    expect(retried.ok).toBe(true);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: t.fx.keys["Mobile App"].id } })).status).toBe("revoked");
  });
});

describe("the version a dialog showed", () => {
  it("edit and rotate with the version the dialog was opened on apply; with an older one they change nothing", async () => {
    signInAs(t.fx.users.admin);
    const created = await actions.createApiKeyAction(newKeyInput());
    if (!created.ok) throw new Error(created.error.message);
    const { id, version } = created.value.key;
    expect(version).toBe(1);

    // Someone else edits the key after this dialog was opened on version 1.
    const theirs = await actions.updateApiKeyAction(id, { name: "Their edit", groupId: t.fx.groups.acmeReadOnly.id }, version);
    expect(theirs).toMatchObject({ ok: true, value: { version: 2 } });
    const before = await mutableState(t);
    const mine = await actions.updateApiKeyAction(id, { name: "My edit", groupId: t.fx.groups.acmeReadOnly.id }, version);
    const rotate = await actions.rotateApiKeyAction(id, { overlap: "none" }, version);
    expect([mine, rotate].map((r) => r.ok || r.error.code)).toEqual(["precondition_failed", "precondition_failed"]);
    expect(await mutableState(t)).toBe(before);
    expect((await actions.rotateApiKeyAction(id, { overlap: "none" }, 2)).ok).toBe(true);
  });
});

describe("a key's service account and environment", () => {
  /** The tenant's own service account and environment, by name (lib/db/seed.ts gives Acme and Globex theirs). */
  async function ownerIds(tenantId: string, account: string, environment: string) {
    const [sa, env] = await Promise.all([
      t.db.serviceAccount.findFirstOrThrow({ where: { tenantId, name: account }, select: { id: true } }),
      t.db.environment.findFirstOrThrow({ where: { tenantId, name: environment }, select: { id: true } }),
    ]);
    return { serviceAccountId: sa.id, environmentId: env.id };
  }

  it("the Generate and Edit actions store both, None clears one, and the audit trail names them", async () => {
    signInAs(t.fx.users.admin);
    const mine = await ownerIds(t.fx.acme.id, "scheduler", "staging");
    const created = await actions.createApiKeyAction({ ...newKeyInput(), ...mine });
    if (!created.ok) throw new Error(created.error.message);
    const keyId = created.value.key.id;
    expect(created.value.key).toMatchObject({ serviceAccount: { id: mine.serviceAccountId, name: "scheduler" }, environment: { id: mine.environmentId, name: "staging" } });
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { serviceAccountId: true, environmentId: true } })).toEqual(mine);

    // The edit form sends what its selects show: "" is None.
    const edited = await actions.updateApiKeyAction(keyId, { name: "Forged Key", groupId: t.fx.groups.acmeFull.id, serviceAccountId: "", environmentId: mine.environmentId }, created.value.key.version);
    expect(edited).toMatchObject({ ok: true, value: { serviceAccount: null, environment: { name: "staging" } } });
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { serviceAccountId: true, environmentId: true } })).toEqual({ serviceAccountId: null, environmentId: mine.environmentId });
    const events = await t.db.auditEvent.findMany({ where: { targetKeyId: keyId }, orderBy: { seq: "asc" }, select: { action: true, details: true } });
    expect(JSON.parse(events[0].details!)).toMatchObject({ serviceAccount: "scheduler", environment: "staging" });
    expect(JSON.parse(events[1].details!).changes).toEqual({ serviceAccount: { from: "scheduler", to: null } });

    // An edit that does not name them (the command bar's) keeps them.
    await actions.updateApiKeyAction(keyId, { name: "Renamed", groupId: t.fx.groups.acmeFull.id });
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { environmentId: true } })).toEqual({ environmentId: mine.environmentId });
  });

  it("another tenant's service account or environment is a field error on both actions, and nothing is written", async () => {
    const globexAccount = await t.db.serviceAccount.create({
      data: { tenantId: t.fx.globex.id, name: "globex-bot", ownerUserId: t.fx.users.globexAdmin.id },
      select: { id: true },
    });
    const theirs = { serviceAccountId: globexAccount.id, environmentId: (await ownerIds(t.fx.globex.id, "globex-bot", "production")).environmentId };
    const mine = await ownerIds(t.fx.acme.id, "scheduler", "staging");
    signInAs(t.fx.users.admin);
    const erp = t.fx.keys["ERP Integration"];
    const before = await mutableState(t);

    const results = await Promise.all([
      actions.createApiKeyAction({ ...newKeyInput(), ...theirs }),
      actions.createApiKeyAction({ ...newKeyInput(), serviceAccountId: mine.serviceAccountId, environmentId: theirs.environmentId }),
      actions.updateApiKeyAction(erp.id, { name: erp.name, groupId: erp.groupId, ...theirs }),
      actions.updateApiKeyAction(erp.id, { name: erp.name, groupId: erp.groupId, serviceAccountId: "cl_no_such_account" }),
    ]);
    expect(results.map((r) => (r.ok ? "ok" : { code: r.error.code, fields: Object.keys(r.error.fieldErrors ?? {}).sort() }))).toEqual([
      { code: "validation", fields: ["environmentId", "serviceAccountId"] },
      { code: "validation", fields: ["environmentId"] },
      { code: "validation", fields: ["environmentId", "serviceAccountId"] },
      { code: "validation", fields: ["serviceAccountId"] },
    ]);
    if (!results[0].ok) expect(results[0].error.fieldErrors?.serviceAccountId).toEqual(["No such service account in this tenant."]);
    expect(await mutableState(t)).toBe(before);
    expect(revalidatePath).not.toHaveBeenCalled();
  });
});
