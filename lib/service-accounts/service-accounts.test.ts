// Service accounts and environments (issue 15): audited changes, the owner a member of the
// tenant, keys that belong to one (the forms' and /v1's fields), another tenant's ids refused
// with nothing written, delete refused while active keys remain, list filters, the /v1 shape,
// the audit log's actor type filter, and the seed's owners and request log.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createApiKey, revokeApiKey, updateApiKey } from "../api-keys/mutations";
import { listApiKeys } from "../api-keys/queries";
import { apiKeyListSchema } from "../api-keys/schemas";
import { toApiKeyJson } from "../api-keys/serialize";
import { listAuditEvents } from "../audit/queries";
import { auditListSchema } from "../audit/schemas";
import { requestLogHints } from "../request-log/queries";
import { createEnvironment, deleteEnvironment } from "../environments/mutations";
import { createServiceAccount, deleteServiceAccount, updateServiceAccount } from "./mutations";

describe("service accounts and environments", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("service-accounts");
  });
  afterEach(async () => {
    await t.close();
  });
  const admin = () => userContext(t.fx.acme.id, t.fx.users.admin);
  const env = async (tenantId: string, name: string) => (await t.db.environment.findFirstOrThrow({ where: { tenantId, name } })).id;

  it("creates, edits and deletes a service account, each with its audit event", async () => {
    const created = await createServiceAccount(t.db, admin(), { name: "billing-worker", description: "Invoices", ownerUserId: t.fx.users.operator.id });
    if (!created.ok) throw new Error(created.error.message);
    const edited = await updateServiceAccount(t.db, admin(), created.value.id, { name: "billing-worker", description: "Invoices", ownerUserId: t.fx.users.owner.id });
    expect(edited).toMatchObject({ ok: true, value: { ownerUserId: t.fx.users.owner.id } });
    expect(await deleteServiceAccount(t.db, admin(), created.value.id)).toMatchObject({ ok: true });
    const events = await t.db.auditEvent.findMany({ where: { tenantId: t.fx.acme.id, action: { startsWith: "service_account." } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["service_account.created", "service_account.updated", "service_account.deleted"]);
    expect(JSON.parse(events[1].details!)).toMatchObject({ changes: { ownerUserId: { from: t.fx.users.operator.id, to: t.fx.users.owner.id } } });
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const before = await t.db.serviceAccount.count();
    const events = await t.db.auditEvent.count();
    expect(await createServiceAccount(t.db, admin(), { name: "x", ownerUserId: t.fx.users.admin.id })).toMatchObject({ ok: false, error: { fieldErrors: { name: [expect.any(String)] } } });
    // Another tenant's person cannot own Acme's account.
    expect(await createServiceAccount(t.db, admin(), { name: "outsider", ownerUserId: t.fx.users.globexAdmin.id })).toMatchObject({
      ok: false,
      error: { fieldErrors: { ownerUserId: ["The owner must be a member of this tenant."] } },
    });
    expect(await createServiceAccount(t.db, admin(), { name: "scheduler", ownerUserId: t.fx.users.admin.id })).toMatchObject({ ok: false, error: { fieldErrors: { name: [expect.stringContaining("exists")] } } });
    expect(await createEnvironment(t.db, admin(), { name: "Prod Env!" })).toMatchObject({ ok: false, error: { code: "validation" } });
    // Another tenant's account: the same 404 as none.
    const globexAccount = await t.db.serviceAccount.create({ data: { tenantId: t.fx.globex.id, name: "globex-bot", ownerUserId: t.fx.users.globexAdmin.id } });
    expect(await deleteServiceAccount(t.db, admin(), globexAccount.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await t.db.serviceAccount.count()).toBe(before + 1);
    expect(await t.db.auditEvent.count()).toBe(events);
  });

  it("a key belongs to a service account and an environment; another tenant's ids are field errors, nothing written", async () => {
    const scheduler = await t.db.serviceAccount.findFirstOrThrow({ where: { tenantId: t.fx.acme.id, name: "scheduler" } });
    const staging = await env(t.fx.acme.id, "staging");
    const made = await createApiKey(t.db, admin(), { name: "Scheduler staging", groupId: t.fx.groups.acmeReadOnly.id, serviceAccountId: scheduler.id, environmentId: staging });
    if (!made.ok) throw new Error(made.error.message);
    expect(toApiKeyJson(made.value.key)).toMatchObject({ serviceAccount: { id: scheduler.id, name: "scheduler" }, environment: { id: staging, name: "staging" } });

    const keys = await t.db.apiKey.count();
    const globexAccount = await t.db.serviceAccount.create({ data: { tenantId: t.fx.globex.id, name: "globex-bot", ownerUserId: t.fx.users.globexAdmin.id } });
    const foreign = await createApiKey(t.db, admin(), { name: "Foreign owner", groupId: t.fx.groups.acmeReadOnly.id, serviceAccountId: globexAccount.id, environmentId: await env(t.fx.globex.id, "production") });
    expect(foreign).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { serviceAccountId: ["No such service account in this tenant."], environmentId: ["No such environment in this tenant."] } },
    });
    expect(await t.db.apiKey.count()).toBe(keys);

    // An edit that leaves the fields out keeps them; null clears one; the change is audited.
    const kept = await updateApiKey(t.db, admin(), made.value.key.id, { name: "Scheduler staging 2" }, { partial: true });
    expect(kept).toMatchObject({ ok: true, value: { serviceAccount: { id: scheduler.id }, environment: { id: staging } } });
    const cleared = await updateApiKey(t.db, admin(), made.value.key.id, { serviceAccountId: null }, { partial: true });
    expect(cleared).toMatchObject({ ok: true, value: { serviceAccount: null, environment: { id: staging } } });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { targetKeyId: made.value.key.id, action: "api_key.updated" }, orderBy: { seq: "desc" } });
    expect(JSON.parse(event.details!).changes.serviceAccount).toEqual({ from: "scheduler", to: null });

    // The list filters by either ("none": keys without one).
    const bySa = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ serviceAccount: scheduler.id }));
    expect(bySa.rows.map((r) => r.name).sort()).toEqual(["Reporting Exporter", "Staging Scheduler"]);
    const byEnv = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ environment: staging }));
    expect(byEnv.rows.map((r) => r.name).sort()).toEqual(["Scheduler staging 2", "Staging Scheduler"]);
    const unowned = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ serviceAccount: "none", pageSize: 100 }));
    expect(unowned.rows.every((r) => r.serviceAccount === null)).toBe(true);
  });

  it("deleting a service account or environment with active keys is refused; with none it goes", async () => {
    const bridge = await t.db.serviceAccount.findFirstOrThrow({ where: { tenantId: t.fx.acme.id, name: "erp-bridge" } });
    const refused = await deleteServiceAccount(t.db, admin(), bridge.id);
    expect(refused).toMatchObject({ ok: false, error: { code: "conflict", message: expect.stringContaining("still owns 1 active key") } });
    expect(await t.db.serviceAccount.count({ where: { id: bridge.id } })).toBe(1);
    const staging = await env(t.fx.acme.id, "staging");
    expect(await deleteEnvironment(t.db, admin(), staging)).toMatchObject({ ok: false, error: { code: "conflict" } });

    await revokeApiKey(t.db, admin(), t.fx.keys["ERP Integration"].id);
    expect(await deleteServiceAccount(t.db, admin(), bridge.id)).toMatchObject({ ok: true });
    // The revoked key keeps its history, without the account.
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: t.fx.keys["ERP Integration"].id } })).serviceAccountId).toBeNull();
  });

  it("the audit log filters by actor type", async () => {
    const created = await createApiKey(t.db, { tenantId: t.fx.acme.id, actor: { type: "api_key", keyId: t.fx.keys["ERP Integration"].id, label: "kw_test" }, requestId: "req_sa_key" }, { name: "Made by a key", groupId: t.fx.groups.acmeReadOnly.id });
    expect(created.ok).toBe(true);
    await createServiceAccount(t.db, admin(), { name: "by-a-person", ownerUserId: t.fx.users.admin.id });
    const byKey = await listAuditEvents(t.db, t.fx.acme.id, auditListSchema.parse({ actorType: "api_key" }));
    expect(byKey.total).toBe(1);
    expect(byKey.rows[0]).toMatchObject({ actorType: "api_key", action: "api_key.created" });
    const byUser = await listAuditEvents(t.db, t.fx.acme.id, auditListSchema.parse({ actorType: "user" }));
    expect(byUser.rows.every((r) => r.actorType === "user")).toBe(true);
    // An unknown type is ignored, as the other filters' bad values are.
    expect(auditListSchema.parse({ actorType: "robot" }).actorType).toBeUndefined();
    // The seed runbook's "actor_type=service_account": the same events as api_key, not all of them.
    const bySeedSpelling = await listAuditEvents(t.db, t.fx.acme.id, auditListSchema.parse({ actorType: "service_account" }));
    expect(bySeedSpelling.rows.map((e) => e.seq)).toEqual(byKey.rows.map((e) => e.seq));
  });

  it("the seed gives Acme's keys owners and environments, and the ERP key a request log with one new address and one failure spike", async () => {
    const erp = await t.db.apiKey.findUniqueOrThrow({ where: { id: t.fx.keys["ERP Integration"].id }, select: { serviceAccount: { select: { name: true } }, environment: { select: { name: true } } } });
    expect(erp).toEqual({ serviceAccount: { name: "erp-bridge" }, environment: { name: "production" } });
    expect((await t.db.environment.findMany({ where: { tenantId: t.fx.globex.id } })).map((e) => e.name).sort()).toEqual(["development", "production", "staging"]);
    const log = await t.db.requestLog.findMany({ where: { keyId: t.fx.keys["ERP Integration"].id } });
    expect(log.length).toBe(80);
    expect(log.some((r) => r.outcome !== "VALID")).toBe(true);
    const hints = await requestLogHints(t.db, t.fx.acme.id, t.fx.keys["ERP Integration"].id);
    expect(hints.newAddresses.map((a) => a.ip)).toEqual(["203.0.113.99"]);
    // And one failure spike: the seed's eight refusals in one clock hour, 3 to 4 hours ago.
    expect(hints.spikes).toHaveLength(1);
    expect(hints.spikes[0].failures).toBe(8);
    const hoursAgo = (Date.now() - hints.spikes[0].hour.getTime()) / 3_600_000;
    expect(hoursAgo).toBeGreaterThan(3);
    expect(hoursAgo).toBeLessThanOrEqual(5);
  });
});
