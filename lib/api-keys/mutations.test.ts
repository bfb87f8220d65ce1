// The key lifecycle's domain rules (lib/api-keys/mutations.ts), each test on a fresh migrated and
// seeded database (SQLite, and PostgreSQL in the PostgreSQL phase: tests/db.ts). Acme's seed: 4 counting keys (ERP Integration, Mobile App, Reporting
// Exporter, Staging Scheduler) of a limit of 10, plus Legacy Webhook Relay (expired) and
// Contractor Sync (revoked); Globex has Globex Billing Bridge.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditHash } from "../audit/write";
import { dumpAllTables, execSql, mutableState, seededDb, userContext, type SeededDb } from "../../tests/db";
import { displayPrefix, hashApiKey, isWellFormedApiKey, KEY_TAG, KEY_RANDOM_LENGTH } from "./key-format";
import { createApiKey, revokeAllApiKeys, revokeApiKey, rotateApiKey, updateApiKey } from "./mutations";
import { countingKeysWhere } from "./where";
import { listAuditEvents } from "../audit/queries";
import { auditListSchema } from "../audit/schemas";
import { verifyAuditChain } from "../audit/verify-chain";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("keyward-mutations");
});
afterEach(async () => {
  await t.close();
});

const HOUR = 60 * 60_000;
const acmeAdmin = () => userContext(t.fx.acme.id, t.fx.users.admin);
const globexAdmin = () => userContext(t.fx.globex.id, t.fx.users.globexAdmin);
const validInput = (overrides: Record<string, unknown> = {}) => ({
  name: "Billing Worker",
  description: "Posts invoices",
  groupId: t.fx.groups.acmeFull.id,
  ipAllowlist: "",
  ...overrides,
});
const keyRow = (id: string) => t.db.apiKey.findUniqueOrThrow({ where: { id } });
const countingKeys = (tenantId: string) => t.db.apiKey.count({ where: countingKeysWhere(tenantId, new Date()) });

async function createOk(overrides: Record<string, unknown> = {}) {
  const result = await createApiKey(t.db, acmeAdmin(), validInput(overrides));
  if (!result.ok) throw new Error(`create failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

describe("createApiKey", () => {
  it("returns the secret once and stores only its display prefix and 64-hex HMAC hash", async () => {
    const { key, secret } = await createOk({ ipAllowlist: "10.0.0.0/8" });

    expect(isWellFormedApiKey(secret)).toBe(true);
    expect(key.prefix).toBe(displayPrefix(secret));
    const row = await keyRow(key.id);
    expect(row.prefix).toBe(displayPrefix(secret));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).toBe(hashApiKey(secret));
    expect(row.previousHash).toBeNull();
    expect(row).toMatchObject({ tenantId: t.fx.acme.id, status: "active", createdById: t.fx.users.admin.id });
    for (const value of Object.values(row)) expect(String(value)).not.toContain(secret);
  });

  it("never writes the secret, nor its random part, to any table", async () => {
    const { secret } = await createOk();
    const randomPart = secret.slice(KEY_TAG.length, KEY_TAG.length + KEY_RANDOM_LENGTH);
    const hiddenTail = secret.slice(displayPrefix(secret).length);

    const dump = await dumpAllTables(t);
    expect(dump).toContain(displayPrefix(secret)); // the dump really holds the new key's rows
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(randomPart);
    expect(dump).not.toContain(hiddenTail);
  });

  it.each([
    ["a group of type user (Support staff)", () => t.fx.groups.acmeSupport.id],
    ["another tenant's group", () => t.fx.groups.globexAutomation.id],
    ["an unknown group id", () => "cl_no_such_group_000000"],
  ])("refuses %s with a groupId error and saves nothing", async (_label, groupId) => {
    const before = await mutableState(t);
    const result = await createApiKey(t.db, acmeAdmin(), validInput({ groupId: groupId() }));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation");
    expect(result.error.fieldErrors?.groupId?.length).toBeGreaterThan(0);
    expect(await mutableState(t)).toBe(before);
  });

  it.each([
    ["a 1-character name", { name: "a" }, "name"],
    ["a 201-character name", { name: "n".repeat(201) }, "name"],
    ["a 1001-character description", { description: "d".repeat(1001) }, "description"],
    ["an expiry in the past", { expiresAt: new Date(Date.now() - HOUR).toISOString() }, "expiresAt"],
    ["an IPv4 prefix longer than 32 bits", { ipAllowlist: "10.0.0.0/33" }, "ipAllowlist"],
    ["an IPv4 octet above 255", { ipAllowlist: "300.1.1.1" }, "ipAllowlist"],
    ["an IPv6 prefix longer than 128 bits", { ipAllowlist: "::1/129" }, "ipAllowlist"],
    ["one bad line among good ones", { ipAllowlist: "192.168.0.1\n10.0.0.0/33\n::1" }, "ipAllowlist"],
  ])("rejects %s under its field and saves nothing", async (_label, overrides, field) => {
    const before = await mutableState(t);
    const result = await createApiKey(t.db, acmeAdmin(), validInput(overrides));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation");
    expect(Object.keys(result.error.fieldErrors ?? {})).toEqual([field]);
    expect(result.error.fieldErrors?.[field]?.[0]).toEqual(expect.any(String));
    expect(await mutableState(t)).toBe(before);
  });

  it("accepts boundary lengths: a 2-character name, a 200-character name, a 1000-character description", async () => {
    await createOk({ name: "ab" });
    await createOk({ name: "n".repeat(200), description: "d".repeat(1000) });
  });
});

describe("tenant key limit", () => {
  it("counts only active, unexpired keys: Acme's 4 of 10 leave room for exactly 6 more", async () => {
    expect(t.fx.acme.keyLimit).toBe(10);
    expect(await countingKeys(t.fx.acme.id)).toBe(4);
    // Acme has 6 keys in all; if the expired and the revoked one counted, only 4 more would fit.
    for (let i = 1; i <= 6; i++) await createOk({ name: `Worker ${i}` });
    expect(await countingKeys(t.fx.acme.id)).toBe(10);

    const before = await mutableState(t);
    const refused = await createApiKey(t.db, acmeAdmin(), validInput({ name: "One too many" }));
    expect(refused).toEqual({
      ok: false,
      error: {
        code: "limit_reached",
        message: "Key limit reached: 10/10 keys. Revoke a key or ask support to raise the limit.",
      },
    });
    expect(await mutableState(t)).toBe(before);
  });

  it("frees a place when a key is revoked", async () => {
    await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 4 } });
    expect((await createApiKey(t.db, acmeAdmin(), validInput())).ok).toBe(false);

    expect((await revokeApiKey(t.db, acmeAdmin(), t.fx.keys["Mobile App"].id)).ok).toBe(true);
    const { key } = await createOk();
    expect(key.name).toBe("Billing Worker");
    expect(await countingKeys(t.fx.acme.id)).toBe(4);
  });

  it("frees a place when a key expires", async () => {
    await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 4 } });
    const refused = await createApiKey(t.db, acmeAdmin(), validInput());
    expect(refused.ok || refused.error.code).toBe("limit_reached");

    await t.db.apiKey.update({
      where: { id: t.fx.keys["Staging Scheduler"].id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await createOk();
  });

  it("is per tenant: Acme at its limit does not stop Globex", async () => {
    await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 4 } });
    const result = await createApiKey(t.db, globexAdmin(), validInput({ groupId: t.fx.groups.globexAutomation.id }));
    expect(result.ok).toBe(true);
  });
});

describe("updateApiKey", () => {
  it("changes name, description, group and allowlist (canonicalised), never hash, prefix or expiry", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const result = await updateApiKey(t.db, acmeAdmin(), erp.id, {
      name: "  ERP Integration v2 ",
      description: "Hourly now",
      groupId: t.fx.groups.acmeReadOnly.id,
      ipAllowlist: "192.168.1.77/24\n2001:DB8:0:0::1",
      // Not part of the edit form: must be ignored.
      hash: "0".repeat(64),
      prefix: "kw_hacked00",
    });
    expect(result).toMatchObject({ ok: true, value: { id: erp.id, name: "ERP Integration v2", version: 2 } });

    const row = await keyRow(erp.id);
    expect(row).toMatchObject({
      name: "ERP Integration v2",
      description: "Hourly now",
      groupId: t.fx.groups.acmeReadOnly.id,
      ipAllowlist: "192.168.1.0/24\n2001:db8::1",
      hash: erp.hash,
      prefix: erp.prefix,
      expiresAt: erp.expiresAt,
      status: "active",
    });
  });

  it("refuses expiresAt and expiresIn (the expiry is not editable), changing nothing", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const before = await mutableState(t);
    const fixed = { expiresAt: new Date(Date.now() + 365 * 24 * HOUR).toISOString(), expiresIn: "7d" };
    for (const [field, value] of Object.entries(fixed)) {
      const result = await updateApiKey(t.db, acmeAdmin(), erp.id, { name: "ERP", groupId: erp.groupId, [field]: value });
      expect(result).toMatchObject({ ok: false, error: { code: "validation", fieldErrors: { [field]: [expect.stringMatching(/cannot be changed/)] } } });
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("refuses another tenant's group, a user group and bad fields, changing nothing", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const before = await mutableState(t);
    for (const [input, field] of [
      [{ name: "ERP", groupId: t.fx.groups.globexAutomation.id }, "groupId"],
      [{ name: "ERP", groupId: t.fx.groups.acmeSupport.id }, "groupId"],
      [{ name: "E", groupId: t.fx.groups.acmeFull.id }, "name"],
      [{ name: "ERP", groupId: t.fx.groups.acmeFull.id, ipAllowlist: "10.0.0.0/33" }, "ipAllowlist"],
    ] as const) {
      const result = await updateApiKey(t.db, acmeAdmin(), erp.id, input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(Object.keys(result.error.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    expect(await mutableState(t)).toBe(before);
  });

  it.each([
    ["revoked", "Contractor Sync"],
    ["expired", "Legacy Webhook Relay"],
  ])("refuses to edit a %s key (conflict)", async (_state, name) => {
    const before = await mutableState(t);
    const result = await updateApiKey(t.db, acmeAdmin(), t.fx.keys[name].id, {
      name: "Renamed",
      groupId: t.fx.groups.acmeFull.id,
    });
    expect(result.ok || result.error.code).toBe("conflict");
    expect(await mutableState(t)).toBe(before);
  });
});

describe("rotateApiKey", () => {
  it("issues a new secret, prefix and hash and keeps name, description, group, allowlist and expiry", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const result = await rotateApiKey(t.db, acmeAdmin(), erp.id, {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { secret, key, previousValidUntil } = result.value;

    expect(isWellFormedApiKey(secret)).toBe(true);
    expect(key).toMatchObject({ id: erp.id, name: erp.name, prefix: displayPrefix(secret), version: 2 });
    expect(previousValidUntil).toBeNull();
    const row = await keyRow(erp.id);
    expect(row.hash).toBe(hashApiKey(secret));
    expect(row.hash).not.toBe(erp.hash);
    expect(row.prefix).not.toBe(erp.prefix);
    expect(row).toMatchObject({
      name: erp.name,
      description: erp.description,
      groupId: erp.groupId,
      ipAllowlist: erp.ipAllowlist,
      expiresAt: erp.expiresAt,
      status: "active",
    });
    expect(row.rotatedAt).not.toBeNull();
    expect(await dumpAllTables(t)).not.toContain(secret);
  });

  it("kills the old secret at once by default (no previous hash kept)", async () => {
    const erp = t.fx.keys["ERP Integration"];
    expect((await rotateApiKey(t.db, acmeAdmin(), erp.id, undefined)).ok).toBe(true);
    const row = await keyRow(erp.id);
    expect(row.previousHash).toBeNull();
    expect(row.previousHashExpiresAt).toBeNull();
  });

  it("with a 24h overlap keeps the old hash valid until now + 24 hours", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const now = new Date();
    const result = await rotateApiKey(t.db, { ...acmeAdmin(), now }, erp.id, { overlap: "24h" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const until = new Date(now.getTime() + 24 * HOUR);
    expect(result.value.previousValidUntil).toBe(until.toISOString());
    const row = await keyRow(erp.id);
    expect(row.previousHash).toBe(erp.hash);
    expect(row.previousHashExpiresAt).toEqual(until);
    expect(row.hash).toBe(hashApiKey(result.value.secret));
  });

  it("a second rotation replaces an earlier overlap", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const first = await rotateApiKey(t.db, acmeAdmin(), erp.id, { overlap: "7d" });
    expect(first.ok).toBe(true);
    const afterFirst = await keyRow(erp.id);
    expect((await rotateApiKey(t.db, acmeAdmin(), erp.id, { overlap: "1h" })).ok).toBe(true);
    const row = await keyRow(erp.id);
    expect(row.previousHash).toBe(afterFirst.hash); // the original secret is dead now
  });

  it.each([["30d"], ["forever"], [""]])("rejects the overlap %j (only none, 1h, 24h, 7d), changing nothing", async (overlap) => {
    const before = await mutableState(t);
    const result = await rotateApiKey(t.db, acmeAdmin(), t.fx.keys["ERP Integration"].id, { overlap });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation");
    expect(result.error.fieldErrors?.overlap?.length).toBeGreaterThan(0);
    expect(await mutableState(t)).toBe(before);
  });

  it.each([
    ["revoked", "Contractor Sync"],
    ["expired", "Legacy Webhook Relay"],
  ])("refuses to rotate a %s key (conflict)", async (_state, name) => {
    const before = await mutableState(t);
    const result = await rotateApiKey(t.db, acmeAdmin(), t.fx.keys[name].id, {});
    expect(result.ok || result.error.code).toBe("conflict");
    expect(await mutableState(t)).toBe(before);
  });
});

describe("revokeApiKey", () => {
  it("revokes for good: no second revoke, no rotation, no edit afterwards", async () => {
    const mobile = t.fx.keys["Mobile App"];
    const now = new Date();
    const result = await revokeApiKey(t.db, { ...acmeAdmin(), now }, mobile.id);
    expect(result).toMatchObject({ ok: true, value: { id: mobile.id, name: mobile.name, prefix: mobile.prefix, status: "revoked" } });
    const row = await keyRow(mobile.id);
    expect(row.status).toBe("revoked");
    expect(row.revokedAt).toEqual(now);
    expect(row.hash).toBe(mobile.hash);

    const before = await mutableState(t);
    const again = await revokeApiKey(t.db, acmeAdmin(), mobile.id);
    const rotated = await rotateApiKey(t.db, acmeAdmin(), mobile.id, {});
    const edited = await updateApiKey(t.db, acmeAdmin(), mobile.id, { name: "Back", groupId: t.fx.groups.acmeFull.id });
    expect([again, rotated, edited].map((r) => r.ok || r.error.code)).toEqual(["conflict", "conflict", "conflict"]);
    expect(await mutableState(t)).toBe(before);
  });

  it("ends a rotation's overlap window too", async () => {
    const erp = t.fx.keys["ERP Integration"];
    expect((await rotateApiKey(t.db, acmeAdmin(), erp.id, { overlap: "24h" })).ok).toBe(true);
    expect((await revokeApiKey(t.db, acmeAdmin(), erp.id)).ok).toBe(true);
    const row = await keyRow(erp.id);
    expect(row.previousHash).toBeNull();
    expect(row.previousHashExpiresAt).toBeNull();
  });
});

describe("revokeAllApiKeys", () => {
  it.each([["acme"], ["Acm"], ["Globex"], [""], [undefined], [42]])(
    "does nothing when the confirmation is %j instead of the tenant's exact name",
    async (confirmation) => {
      const before = await mutableState(t);
      const result = await revokeAllApiKeys(t.db, acmeAdmin(), confirmation);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("validation");
      expect(result.error.fieldErrors?.confirmation).toEqual(['Type "Acme" to confirm.']);
      expect(await mutableState(t)).toBe(before);
    },
  );

  it('with "Acme" revokes every active key of Acme and none of Globex\'s', async () => {
    const globexBefore = await t.db.apiKey.findMany({ where: { tenantId: t.fx.globex.id } });
    const revokedBefore = await keyRow(t.fx.keys["Contractor Sync"].id);

    const result = await revokeAllApiKeys(t.db, acmeAdmin(), "Acme");
    // 4 counting keys + the expired one, whose status is still "active".
    expect(result).toEqual({ ok: true, value: { revoked: 5 } });

    const acmeKeys = await t.db.apiKey.findMany({ where: { tenantId: t.fx.acme.id } });
    expect(acmeKeys).toHaveLength(6);
    for (const key of acmeKeys) expect(key.status, key.name).toBe("revoked");
    expect(await keyRow(revokedBefore.id)).toEqual(revokedBefore); // already revoked: untouched
    expect(await t.db.apiKey.findMany({ where: { tenantId: t.fx.globex.id } })).toEqual(globexBefore);
    expect(await countingKeys(t.fx.acme.id)).toBe(0);
  });
});

describe("tenant isolation", () => {
  const acmeKeyId = () => t.fx.keys["ERP Integration"].id;
  it.each([
    ["updateApiKey", () => updateApiKey(t.db, globexAdmin(), acmeKeyId(), { name: "Mine now", groupId: t.fx.groups.globexAutomation.id })],
    ["rotateApiKey", () => rotateApiKey(t.db, globexAdmin(), acmeKeyId(), { overlap: "7d" })],
    ["revokeApiKey", () => revokeApiKey(t.db, globexAdmin(), acmeKeyId())],
  ])("%s with Globex's tenant and an Acme key id answers not_found and leaves the key alone", async (_name, run) => {
    const before = await mutableState(t);
    const result = await run();
    expect(result).toEqual({ ok: false, error: { code: "not_found", message: "API key not found." } });
    expect(await mutableState(t)).toBe(before);
  });

  it("createApiKey for Globex with Acme's group is refused", async () => {
    const before = await mutableState(t);
    const result = await createApiKey(t.db, globexAdmin(), validInput({ groupId: t.fx.groups.acmeFull.id }));
    expect(result.ok || result.error.code).toBe("validation");
    expect(await mutableState(t)).toBe(before);
  });

  it("revokeAllApiKeys for Globex does not accept Acme's name and never touches Acme", async () => {
    const acmeBefore = await t.db.apiKey.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { id: "asc" } });
    const wrong = await revokeAllApiKeys(t.db, globexAdmin(), "Acme");
    expect(wrong.ok || wrong.error.code).toBe("validation");
    expect(await revokeAllApiKeys(t.db, globexAdmin(), "Globex")).toEqual({ ok: true, value: { revoked: 1 } });
    expect(await t.db.apiKey.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { id: "asc" } })).toEqual(acmeBefore);
  });

  it.each([[""], ["x".repeat(65)], [null], [123], [{ id: "x" }]])("a malformed key id %j is simply not found", async (keyId) => {
    const result = await revokeApiKey(t.db, acmeAdmin(), keyId);
    expect(result.ok || result.error.code).toBe("not_found");
  });
});

describe("audit trail", () => {
  const acmeEvents = () => t.db.auditEvent.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { seq: "asc" } });

  it("writes exactly one chained event per change with actor, tenant, key prefix, scopes and request id", async () => {
    const admin = t.fx.users.admin;
    const ctx = (n: number) => userContext(t.fx.acme.id, admin, `req_audit_${n}`);
    const secrets: string[] = [];
    const expectOneMore = async (before: number) => {
      expect(await t.db.auditEvent.count()).toBe(before + 1);
      return before + 1;
    };
    let count = await t.db.auditEvent.count();
    expect(count).toBe(0); // the seed writes no audit events

    const created = await createApiKey(t.db, ctx(1), validInput());
    if (!created.ok) throw new Error("create failed");
    secrets.push(created.value.secret);
    const keyId = created.value.key.id;
    count = await expectOneMore(count);

    expect((await updateApiKey(t.db, ctx(2), keyId, validInput({ name: "Renamed", groupId: t.fx.groups.acmeReadOnly.id }))).ok).toBe(true);
    count = await expectOneMore(count);

    const rotated = await rotateApiKey(t.db, ctx(3), keyId, { overlap: "1h" });
    if (!rotated.ok) throw new Error("rotate failed");
    secrets.push(rotated.value.secret);
    count = await expectOneMore(count);

    expect((await revokeApiKey(t.db, ctx(4), keyId)).ok).toBe(true);
    count = await expectOneMore(count);

    expect((await revokeAllApiKeys(t.db, userContext(t.fx.acme.id, t.fx.users.owner, "req_audit_5"), "Acme")).ok).toBe(true);
    // The bulk event and one per key it revoked (the 5 seeded keys that were not yet revoked).
    expect(await t.db.auditEvent.count()).toBe(count + 6);
    count += 6;

    // Refusals write nothing.
    await createApiKey(t.db, ctx(6), validInput({ name: "x" }));
    await revokeApiKey(t.db, ctx(7), keyId);
    await revokeAllApiKeys(t.db, ctx(8), "nope");
    expect(await t.db.auditEvent.count()).toBe(count);

    const events = (await acmeEvents()).slice(0, 5);
    const newPrefix = rotated.value.key.prefix;
    const oldPrefix = created.value.key.prefix;
    expect(events.map((e) => [e.seq, e.action, e.requestId, e.targetKeyId, e.keyPrefix, e.scopes])).toEqual([
      [1, "api_key.created", "req_audit_1", keyId, oldPrefix, "api_keys:read api_keys:write"],
      [2, "api_key.updated", "req_audit_2", keyId, oldPrefix, "api_keys:read"],
      [3, "api_key.rotated", "req_audit_3", keyId, newPrefix, "api_keys:read"],
      [4, "api_key.revoked", "req_audit_4", keyId, newPrefix, "api_keys:read"],
      // Tenant-wide: no single target; the revoked keys are listed in the details.
      [5, "api_key.revoked_all", "req_audit_5", null, null, null],
    ]);
    for (const e of events) {
      expect(e.tenantId).toBe(t.fx.acme.id);
      expect(e.actorType).toBe("user");
      expect(e.actorKeyId).toBeNull();
    }
    expect(events.slice(0, 4).map((e) => [e.actorUserId, e.actorLabel])).toEqual(
      Array(4).fill([admin.id, admin.email]),
    );
    expect([events[4].actorUserId, events[4].actorLabel]).toEqual([t.fx.users.owner.id, t.fx.users.owner.email]);
    expect(JSON.parse(events[2].details!)).toMatchObject({ previousPrefix: oldPrefix });
    const revokedAll = JSON.parse(events[4].details!);
    expect(revokedAll.count).toBe(5); // the new key is already revoked: the 5 seeded non-revoked ones
    expect(revokedAll.keyIds).not.toContain(keyId);

    // The chain: each event points at its predecessor's hash, and each hash is recomputable
    // (with the chain key).
    const chain = await acmeEvents();
    expect(chain[0].prevHash).toBeNull();
    for (let i = 0; i < chain.length; i++) {
      if (i > 0) expect(chain[i].prevHash, `seq ${chain[i].seq}`).toBe(chain[i - 1].hash);
      expect(chain[i].hash, `seq ${chain[i].seq}`).toBe(auditHash(chain[i]));
    }

    // Never a secret.
    const auditText = JSON.stringify(events);
    for (const secret of secrets) {
      expect(auditText).not.toContain(secret);
      expect(auditText).not.toContain(secret.slice(displayPrefix(secret).length));
    }
  });

  it("revoke all writes one api_key.revoked per key, linked to the bulk event, so each key's history and the key filter show who revoked it", async () => {
    const owner = userContext(t.fx.acme.id, t.fx.users.owner, "req_revoke_all");
    const active = ["ERP Integration", "Mobile App", "Reporting Exporter", "Staging Scheduler", "Legacy Webhook Relay"].map((n) => t.fx.keys[n]);
    expect(await revokeAllApiKeys(t.db, owner, "Acme")).toEqual({ ok: true, value: { revoked: 5 } });

    const events = await acmeEvents();
    const [bulk, ...perKey] = events;
    expect(bulk).toMatchObject({ seq: 1, action: "api_key.revoked_all", requestId: "req_revoke_all", targetKeyId: null });
    expect(perKey.map((e) => e.targetKeyId).sort()).toEqual(active.map((k) => k.id).sort());
    for (const event of perKey) {
      const key = active.find((k) => k.id === event.targetKeyId)!;
      expect(event).toMatchObject({
        action: "api_key.revoked",
        requestId: "req_revoke_all",
        actorType: "user",
        actorUserId: t.fx.users.owner.id,
        actorLabel: t.fx.users.owner.email,
        keyPrefix: key.prefix,
      });
      expect(JSON.parse(event.details!)).toEqual({ name: key.name, bulkEventId: bulk.id, bulkSeq: 1 });
    }
    // Contractor Sync was revoked before: no event of its own.
    expect(perKey.map((e) => e.targetKeyId)).not.toContain(t.fx.keys["Contractor Sync"].id);

    // The audit log's key filter (by id and by prefix), which the key page's history also reads.
    const erp = t.fx.keys["ERP Integration"];
    for (const key of [erp.id, erp.prefix]) {
      const { rows, total } = await listAuditEvents(t.db, t.fx.acme.id, auditListSchema.parse({ key }));
      expect(total).toBe(1);
      expect(rows.map((r) => [r.action, r.actorLabel, r.targetKeyId])).toEqual([["api_key.revoked", t.fx.users.owner.email, erp.id]]);
    }
    // And the keyed chain stays intact.
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: true, checked: 6 });
  });

  it("keeps one chain per tenant", async () => {
    await createOk();
    const globex = await createApiKey(t.db, globexAdmin(), validInput({ groupId: t.fx.groups.globexAutomation.id }));
    expect(globex.ok).toBe(true);
    await createOk({ name: "Second" });
    const globexEvents = await t.db.auditEvent.findMany({ where: { tenantId: t.fx.globex.id } });
    expect(globexEvents.map((e) => [e.seq, e.prevHash])).toEqual([[1, null]]);
    expect((await acmeEvents()).map((e) => e.seq)).toEqual([1, 2]);
  });

  describe("when the audit write fails", () => {
    // A trigger makes every AuditEvent insert fail, as a full disk or a broken audit store would.
    // (Pre-inserting the "next" seq cannot do it: writeAuditEvent always takes max(seq) + 1.)
    const TRIGGER = {
      sqlite: {
        broken: `CREATE TRIGGER audit_down BEFORE INSERT ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;`,
        fixed: `DROP TRIGGER audit_down;`,
      },
      postgresql: {
        broken: `CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
                 CREATE TRIGGER audit_down BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_down();`,
        fixed: `DROP TRIGGER audit_down ON "AuditEvent"; DROP FUNCTION audit_down();`,
      },
    };
    const setAuditBroken = (broken: boolean) => execSql(t, TRIGGER[t.provider][broken ? "broken" : "fixed"]);

    // Prisma reports SQLite's RAISE(ABORT) as a constraint failure; either wording will do.
    const AUDIT_FAILURE = /audit store unavailable|constraint/i;

    it("rolls back every kind of change, and the client keeps working afterwards", async () => {
      const erp = t.fx.keys["ERP Integration"];
      const before = await mutableState(t);
      await setAuditBroken(true);

      await expect(createApiKey(t.db, acmeAdmin(), validInput())).rejects.toThrow(AUDIT_FAILURE);
      await expect(updateApiKey(t.db, acmeAdmin(), erp.id, validInput({ name: "Renamed" }))).rejects.toThrow(AUDIT_FAILURE);
      await expect(rotateApiKey(t.db, acmeAdmin(), erp.id, { overlap: "24h" })).rejects.toThrow(AUDIT_FAILURE);
      await expect(revokeApiKey(t.db, acmeAdmin(), erp.id)).rejects.toThrow(AUDIT_FAILURE);
      await expect(revokeAllApiKeys(t.db, acmeAdmin(), "Acme")).rejects.toThrow(AUDIT_FAILURE);

      expect(await mutableState(t)).toBe(before);
      expect(await t.db.apiKey.count({ where: { name: "Billing Worker" } })).toBe(0);
      expect((await keyRow(erp.id)).status).toBe("active");

      // No transaction was left open on the connection: the next change commits normally.
      await setAuditBroken(false);
      const { key } = await createOk();
      expect(await t.db.auditEvent.count({ where: { targetKeyId: key.id } })).toBe(1);
    });
  });
});
