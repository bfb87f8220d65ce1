// Root keys: show-once secrets stored only as HMAC, their own checksummed tag, tenant limits
// checked, every change audited at platform level in the same transaction, rotate and revoke
// effective on the next verification. Runs on SQLite and, in the PostgreSQL phase, PostgreSQL.
import { describe, expect, it } from "vitest";
import { dumpAllTables, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { generateApiKeySecret, hashApiKey } from "../api-keys/key-format";
import { canOnPlatform, platformActorOf } from "../auth/permissions";
import { verifyRootKey } from "../verify/root-key";
import { flushUsage } from "../verify/usage";
import { listRootKeys } from "./queries";
import type { Verifier } from "../verify/verify";
import { generateRootKeySecret, isWellFormedRootKey } from "./key-format";
import { createRootKey, revokeRootKey, rotateRootKey, updateRootKey } from "./mutations";

describe("root keys", () => {
  let t: SeededDb;
  let verifier: Verifier;
  const ctx = () => ({ actor: { userId: t.fx.users.superUser.id, label: t.fx.users.superUser.email }, requestId: "req_root_keys_1" });

  setupVerifierDb("root-keys", (db, v) => ((t = db), (verifier = v)));

  it("have their own tag and checksum: a tenant key is not one, and re-tagging breaks the checksum", () => {
    const root = generateRootKeySecret();
    expect(root).toMatch(/^kwr_[0-9A-Za-z]{38}$/);
    expect(isWellFormedRootKey(root)).toBe(true);
    const tenant = generateApiKeySecret();
    expect(isWellFormedRootKey(tenant)).toBe(false);
    expect(isWellFormedRootKey("kwr_" + tenant.slice(3))).toBe(false);
    expect(isWellFormedRootKey(root.slice(0, -1) + (root.endsWith("a") ? "b" : "a"))).toBe(false);
  });

  it("only super users may manage them, and only root keys may verify", () => {
    expect(canOnPlatform(platformActorOf({ isSuperUser: true }), "rootKeys.manage")).toBe(true);
    expect(canOnPlatform(platformActorOf({ isSuperUser: false }), "rootKeys.manage")).toBe(false);
    expect(canOnPlatform(platformActorOf(null), "rootKeys.read")).toBe(false);
    expect(canOnPlatform("root_key", "keys.verify")).toBe(true);
    expect(canOnPlatform("root_key", "rootKeys.manage")).toBe(false);
  });

  it("are shown once, stored as HMAC only, and every change is audited at platform level", async () => {
    const created = await createRootKey(t.db, ctx(), { name: "Edge gateway", allTenants: false, tenantIds: [t.fx.acme.id] });
    if (!created.ok) throw new Error(created.error.message);
    const { secret, key } = created.value;
    expect(key.prefix).toBe(secret.slice(0, 12));
    const row = await t.db.rootKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.hash).toBe(hashApiKey(secret));
    expect(row.tenantIds).toBe(t.fx.acme.id);
    expect(JSON.stringify(await dumpAllTables(t))).not.toContain(secret.slice(12));

    const verified = await verifyRootKey(verifier, secret, "10.0.0.1");
    expect(verified).toMatchObject({ ok: true, root: { id: key.id } });
    if (!verified.ok) throw new Error("root");
    expect(verified.root.canVerify(t.fx.acme.id)).toBe(true);
    expect(verified.root.canVerify(t.fx.globex.id)).toBe(false);

    const rotated = await rotateRootKey(t.db, ctx(), key.id);
    if (!rotated.ok) throw new Error(rotated.error.message);
    expect(await verifyRootKey(verifier, secret, "10.0.0.1")).toMatchObject({ ok: false, status: 401 });
    expect(await verifyRootKey(verifier, rotated.value.secret, "10.0.0.1")).toMatchObject({ ok: true });

    expect((await updateRootKey(t.db, ctx(), key.id, { name: "Edge", allTenants: true, tenantIds: [] })).ok).toBe(true);
    expect((await revokeRootKey(t.db, ctx(), key.id)).ok).toBe(true);
    expect(await verifyRootKey(verifier, rotated.value.secret, "10.0.0.1")).toMatchObject({ ok: false, status: 401 });
    expect((await revokeRootKey(t.db, ctx(), key.id)).ok).toBe(false);

    const events = await t.db.platformAuditEvent.findMany({ where: { rootKeyId: key.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["root_key.created", "root_key.rotated", "root_key.updated", "root_key.revoked"]);
    expect(events.every((e) => e.actorLabel === t.fx.users.superUser.email && e.requestId === "req_root_keys_1")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(secret.slice(12));
    expect(JSON.stringify(events)).not.toContain(rotated.value.secret.slice(12));
  });

  it("refuses bad input and unknown tenants, and changes nothing", async () => {
    for (const input of [{}, { name: "x", allTenants: true }, { name: "No tenants", allTenants: false, tenantIds: [] }, null, "text"]) {
      expect((await createRootKey(t.db, ctx(), input)).ok).toBe(false);
    }
    const unknown = await createRootKey(t.db, ctx(), { name: "Ghost", allTenants: false, tenantIds: ["nope"] });
    expect(unknown).toMatchObject({ ok: false, error: { code: "validation", fieldErrors: { tenantIds: [expect.any(String)] } } });
    expect(await t.db.rootKey.count()).toBe(0);
    expect(await t.db.platformAuditEvent.count()).toBe(0);
    expect((await rotateRootKey(t.db, ctx(), "missing")).ok).toBe(false);
  });

  it("record their last use in batches (no write per request), shown by the root keys list", async () => {
    const created = await createRootKey(t.db, ctx(), { name: "Last used", allTenants: true, tenantIds: [] });
    if (!created.ok) throw new Error(created.error.message);
    const listed = async () => (await listRootKeys(t.db)).find((k) => k.id === created.value.key.id)!;
    expect((await listed()).lastUsedAt).toBeNull();
    const before = Date.now();
    for (let i = 0; i < 3; i++) expect(await verifyRootKey(verifier, created.value.secret, "10.0.0.1")).toMatchObject({ ok: true });
    // Nothing is written until the batch is flushed.
    expect((await listed()).lastUsedAt).toBeNull();
    await flushUsage();
    const lastUsedAt = (await listed()).lastUsedAt;
    expect(lastUsedAt).not.toBeNull();
    expect(Date.parse(lastUsedAt!)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(lastUsedAt!)).toBeLessThanOrEqual(Date.now());
    // A refused (revoked) root key is not a use.
    expect((await revokeRootKey(t.db, ctx(), created.value.key.id)).ok).toBe(true);
    expect(await verifyRootKey(verifier, created.value.secret, "10.0.0.1")).toMatchObject({ ok: false });
    await flushUsage();
    expect((await listed()).lastUsedAt).toBe(lastUsedAt);
  });
});
