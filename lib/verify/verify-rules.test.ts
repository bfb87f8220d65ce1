// The rules verify() enforces beyond "is this key known": the previous secret of a rotation
// overlap only authenticates (issue 10.1), the bad-key throttle punishes bad keys and not the
// address a good key comes from (issue 10.3), and on SQLite a change committed by another
// connection (another process's dashboard) is seen by the next verification, even of a cached key.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts), except the last.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { TEST_PROVIDER, userContext, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { snapshot } from "../metrics";
import { generateApiKeySecret } from "../api-keys/key-format";
import { clearKeyCache, KEY_CACHE_TTL_MS } from "../api-keys/key-cache";
import { createApiKey, rotateApiKey } from "../api-keys/mutations";
import { FAILURE_LIMIT } from "./rate-limit";
import { verify, type Verifier } from "./verify";

describe("verify() rules", () => {
  let t: SeededDb;
  let verifier: Verifier;

  setupVerifierDb("verify-rules", (db, v) => ((t = db), (verifier = v)));

  async function newKey(name: string) {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name, groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    return { ctx, ...created.value };
  }

  it("the previous secret of an overlap may read but not write, and is labelled with its own prefix", async () => {
    const { ctx, key, secret: oldSecret } = await newKey("Overlap writes");
    const rotated = await rotateApiKey(t.db, ctx, key.id, { overlap: "1h" });
    if (!rotated.ok) throw new Error(rotated.error.message);

    const read = await verify(verifier, oldSecret, { clientIp: "127.0.0.1", scope: "api_keys:read" });
    expect(read).toMatchObject({ ok: true, key: { id: key.id, secretPrefix: key.prefix, prefix: rotated.value.key.prefix } });

    const write = await verify(verifier, oldSecret, { clientIp: "127.0.0.1", scope: "api_keys:write", write: true });
    expect(write).toMatchObject({ ok: false, status: 403, code: "previous_secret_read_only" });

    const fresh = await verify(verifier, rotated.value.secret, { clientIp: "127.0.0.1", scope: "api_keys:write", write: true });
    expect(fresh).toMatchObject({ ok: true, key: { secretPrefix: rotated.value.key.prefix } });
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { previousPrefix: true } });
    expect(row.previousPrefix).toBe(key.prefix);
  });

  it("after two rotations the earlier secrets stay dead once the cache's TTL has passed (injected clock)", async () => {
    const { ctx, key, secret: first } = await newKey("Rotated twice");
    const from = { clientIp: "127.0.0.1" };
    const once = await rotateApiKey(t.db, ctx, key.id, { overlap: "1h" });
    if (!once.ok) throw new Error(once.error.message);
    const second = once.value.secret;
    expect(await verify(verifier, second, from)).toMatchObject({ ok: true });
    const twice = await rotateApiKey(t.db, ctx, key.id, { overlap: "none" });
    if (!twice.ok) throw new Error(twice.error.message);
    const third = twice.value.secret;
    expect(await verify(verifier, third, from)).toMatchObject({ ok: true }); // cached now

    // Past the TTL on verify()'s clock: every answer below is a fresh lookup, not the cache's.
    const later = { ...from, now: new Date(Date.now() + KEY_CACHE_TTL_MS + 1_000) };
    const before = snapshot().verify_cache_hits_total ?? 0;
    for (const dead of [first, second]) expect(await verify(verifier, dead, later)).toMatchObject({ ok: false, status: 401 });
    expect(await verify(verifier, third, later)).toMatchObject({ ok: true, key: { id: key.id } });
    expect((snapshot().verify_cache_hits_total ?? 0) - before).toBe(0);
  });

  it("after the limit of bad keys from an address, its bad keys get 429 and a valid key still works", async () => {
    const { secret } = await newKey("Shared NAT");
    const from = { clientIp: "198.51.100.7" };
    for (let i = 0; i < FAILURE_LIMIT; i++) {
      expect(await verify(verifier, generateApiKeySecret(), from)).toMatchObject({ status: 401 });
    }
    expect(await verify(verifier, generateApiKeySecret(), from)).toMatchObject({ status: 429, code: "rate_limited" });
    const before = snapshot().db_queries_total ?? 0;
    expect(await verify(verifier, "kw_malformed", from)).toMatchObject({ status: 429 });
    expect(await verify(verifier, null, from)).toMatchObject({ status: 429 });
    // A malformed key still costs no query while the address is throttled.
    expect((snapshot().db_queries_total ?? 0) - before).toBe(0);

    expect(await verify(verifier, secret, from)).toMatchObject({ ok: true });
    clearKeyCache();
    expect(await verify(verifier, secret, from)).toMatchObject({ ok: true });
    expect(await verify(verifier, generateApiKeySecret(), { clientIp: "198.51.100.8" })).toMatchObject({ status: 401 });
  });

  // SQLite only (same file, another connection: PRAGMA data_version). Registered only there, as
  // vitest.postgres.config.ts leaves out SQLite-only files; PostgreSQL's counterpart (LISTEN/NOTIFY
  // within 1 s) is tests/verifier.test.ts.
  if (TEST_PROVIDER === "sqlite") {
    it(
      "SQLite: a revoke committed by another connection is refused on the next request, though the key was cached",
      async () => {
        const { key, secret } = await newKey("Other process");
        expect(await verify(verifier, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: true });
        expect(await verify(verifier, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: true });
        // Another process's write (the dashboard) that this process's caches never heard of.
        const other = new Database(t.file!);
        try {
          other.prepare(`UPDATE "ApiKey" SET "status" = 'revoked' WHERE "id" = ?`).run(key.id);
        } finally {
          other.close();
        }
        expect(await verify(verifier, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: false, status: 401, reason: "REVOKED" });
      },
    );
  }
});
