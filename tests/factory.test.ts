// The test data factory writes what the app itself would: its keys authenticate through the
// real verification path, its members sign in with their password, its audit events form a chain
// that Verify chain accepts, and deleting the tenant leaves the database as it was. Runs on
// SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../lib/audit/verify-chain";
import { verifyPassword } from "../lib/auth/password";
import { verify, type Verifier } from "../lib/verify/verify";
import { dumpAllTables, type SeededDb } from "./db";
import { appendAuditEvents, createKeys, createTenant, deleteTenant } from "./factory";
import { setupVerifierDb } from "./helpers/verifier-db";

describe("test data factory", () => {
  let t: SeededDb;
  let verifier: Verifier;
  setupVerifierDb("factory", (db, v) => ((t = db), (verifier = v)));

  it("makes a tenant whose keys verify, whose members' passwords check and whose audit chain is intact; deleting it restores the database", async () => {
    const before = await dumpAllTables(t);
    const tenant = await createTenant(t.db, {
      name: "Factory Co",
      slug: "factory-co",
      keyLimit: 3,
      members: [{ email: "owner@factory.test", name: "Owner", role: "owner" }],
      password: "factory-password",
      groups: [{ name: "Keys", type: "tenant_api_key", scopes: "api_keys:read" }],
    });
    const owner = tenant.users["owner@factory.test"];
    const user = await t.db.user.findUniqueOrThrow({ where: { id: owner }, include: { memberships: true } });
    expect(await verifyPassword("factory-password", user.passwordHash)).toBe(true);
    expect(user.memberships).toMatchObject([{ tenantId: tenant.id, role: "owner" }]);

    const [live, revoked] = await createKeys(t.db, tenant.id, [
      { groupId: tenant.groups.Keys, name: "Live", ipAllowlist: " 127.0.0.1 \n2001:0db8:0000::1", createdById: owner },
      { groupId: tenant.groups.Keys, name: "Revoked", revokedAt: new Date() },
    ]);
    expect(await verify(verifier, live.secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: true, key: { id: live.id, tenantId: tenant.id } });
    expect(await verify(verifier, revoked.secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: false });
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: live.id } });
    expect(row).toMatchObject({ prefix: live.prefix, status: "active", ipAllowlist: "127.0.0.1\n2001:db8::1" });
    expect(JSON.stringify(await dumpAllTables(t))).not.toContain(live.secret);

    const events = await appendAuditEvents(
      t.db,
      ["api_key.created", "api_key.revoked"].map((action, i) => ({
        tenantId: tenant.id,
        actor: { type: "user" as const, userId: owner, label: "owner@factory.test" },
        action: action as "api_key.created",
        requestId: `req_factory_${i}`,
        targetKeyId: revoked.id,
        createdAt: new Date(Date.now() - 1000 + i),
      })),
    );
    expect(events).toEqual([
      { seq: 1, requestId: "req_factory_0" },
      { seq: 2, requestId: "req_factory_1" },
    ]);
    expect(await verifyAuditChain(t.db, tenant.id)).toMatchObject({ ok: true, checked: 2 });

    await deleteTenant(t.db, tenant.id, [owner]);
    expect(await dumpAllTables(t)).toBe(before);
  });
});
