// GET /v1/connections/{id}/credential, the platform services' read of a connection credential,
// through its route handler on a seeded database (SQLite; PostgreSQL in that phase): root keys
// only, every read audited with the reader, Cache-Control: no-store, both slots during a switch,
// 404 for another tenant's connection, a clear 503 (never a plaintext, never a 500) for a
// tampered envelope or a wrong KEK.
import { describe, expect, it } from "vitest";
import { execSql, userContext, type SeededDb } from "./db";
import { createApiKey } from "../lib/api-keys/mutations";
import { clearSlot, createConnection, switchSlot, writeCredential } from "../lib/connections/mutations";
import { getCredential, releaseRoutesDatabase, shareDatabaseWithRoutes } from "./helpers/connection-credential";
import { createTestRootKey } from "./helpers/hot-path-server";
import { setupVerifierDb } from "./helpers/verifier-db";

let t: SeededDb;
let root: string;
let globexOnly: string;
let connectionId: string;

setupVerifierDb(
  "connection-credential",
  async (db) => {
    t = db;
    root = (await createTestRootKey(t, "Platform backend")).secret;
    globexOnly = (await createTestRootKey(t, "Globex only", [t.fx.globex.id])).secret;
    const created = await createConnection(t.db, userContext(t.fx.acme.id, t.fx.users.owner), {
      name: "Vault token",
      kind: "secret",
      secret: "kwtest-first-vault-token",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    connectionId = created.value.id;
  },
  { perFile: true, verifier: (db) => shareDatabaseWithRoutes(db.db, db.url), teardown: releaseRoutesDatabase },
);

const owner = () => userContext(t.fx.acme.id, t.fx.users.owner, "req_conn_owner");

describe("GET /v1/connections/{id}/credential", () => {
  it("returns the active credential to a root key with Cache-Control: no-store, and audits the read with the reader", async () => {
    const { status, headers, body } = await getCredential(connectionId, root);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({ connectionId, activeSlot: "primary", kind: "secret" });
    expect(body.credentials).toEqual([{ slot: "primary", active: true, username: null, secret: "kwtest-first-vault-token", setAt: expect.any(String) }]);
    const event = await t.db.auditEvent.findFirst({ where: { tenantId: t.fx.acme.id, action: "connection.credential_read" }, orderBy: { seq: "desc" } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: expect.stringMatching(/^root key kwr_/) });
    expect(JSON.parse(event!.details!)).toMatchObject({ connectionId, rootKey: "Platform backend", slots: ["primary"] });
    expect(event!.details).not.toContain("kwtest-first-vault-token");
  });

  it("returns both slots, the active one first, while a switch is under way; one again once the old slot is cleared", async () => {
    await writeCredential(t.db, owner(), connectionId, { secret: "kwtest-second-vault-token" });
    const staged = await getCredential(connectionId, root);
    expect(staged.body.credentials.map((c) => [c.slot, c.active, c.secret])).toEqual([
      ["primary", true, "kwtest-first-vault-token"],
      ["secondary", false, "kwtest-second-vault-token"],
    ]);
    await switchSlot(t.db, owner(), connectionId, { untested: true });
    const switched = await getCredential(connectionId, root);
    expect(switched.body.activeSlot).toBe("secondary");
    expect(switched.body.credentials.map((c) => [c.slot, c.active])).toEqual([
      ["secondary", true],
      ["primary", false],
    ]);
    await clearSlot(t.db, owner(), connectionId);
    const done = await getCredential(connectionId, root);
    expect(done.body.credentials.map((c) => c.secret)).toEqual(["kwtest-second-vault-token"]);
    const reads = await t.db.auditEvent.count({ where: { tenantId: t.fx.acme.id, action: "connection.credential_read" } });
    expect(reads).toBe(4);
  });

  it("refuses anyone but a root key: no key, a tenant API key, a malformed key (401); a root key of other tenants gets 404", async () => {
    const key = await createApiKey(t.db, owner(), { name: "Tenant key", groupId: t.fx.groups.acmeFull.id });
    if (!key.ok) throw new Error("key");
    for (const credential of [null, key.value.secret, "kwr_not-a-root-key"]) {
      const { status, body, headers } = await getCredential(connectionId, credential);
      expect(status).toBe(401);
      expect(body.error).toMatchObject({ code: "unauthorized", requestId: expect.any(String) });
      expect(headers.get("www-authenticate")).toMatch(/Bearer/);
    }
    expect((await getCredential(connectionId, null, { "X-API-Key": key.value.secret })).status).toBe(401);
    const other = await getCredential(connectionId, globexOnly);
    expect(other).toMatchObject({ status: 404, body: { error: { code: "not_found", message: "Connection not found." } } });
    expect((await getCredential("conn_unknown", root)).status).toBe(404);
    expect((await getCredential("x".repeat(65), root)).status).toBe(404);
  });

  it("answers a tampered envelope or a wrong KEK with a clear 503, never a plaintext or a 500, and audits no read", async () => {
    const created = await createConnection(t.db, owner(), { name: "Tampered", kind: "secret", secret: "kwtest-tampered-secret" });
    if (!created.ok) throw new Error("create");
    const id = created.value.id;
    const readsBefore = await t.db.auditEvent.count({ where: { action: "connection.credential_read" } });

    const saved = process.env.KEYWARD_CONNECTION_KEK;
    process.env.KEYWARD_CONNECTION_KEK = "a-different-connection-kek-0123456789abcdefghijkl";
    try {
      const wrongKek = await getCredential(id, root);
      expect(wrongKek.status).toBe(503);
      expect(wrongKek.body.error!.message).toMatch(/encrypted under key-encryption key \S+, which is not configured/);
      expect(JSON.stringify(wrongKek.body)).not.toContain("kwtest-tampered-secret");
    } finally {
      process.env.KEYWARD_CONNECTION_KEK = saved;
    }

    const row = await t.db.connection.findUniqueOrThrow({ where: { id } });
    const parts = row.primaryEnvelope!.split(".");
    const bytes = Buffer.from(parts[6], "base64url");
    bytes[0] ^= 1;
    parts[6] = bytes.toString("base64url");
    await execSql(t, `UPDATE "Connection" SET "primaryEnvelope" = '${parts.join(".")}' WHERE "id" = '${id}'`);
    const tampered = await getCredential(id, root);
    expect(tampered.status).toBe(503);
    expect(tampered.body.error!.message).toMatch(/ciphertext failed its integrity check: the stored value was altered/);
    expect(await t.db.auditEvent.count({ where: { action: "connection.credential_read" } })).toBe(readsBefore);
  });
});
