// What a verification costs the database: a malformed key nothing, an unknown well-formed key
// one statement (hash and previous hash together), a cached key nothing, concurrent misses one
// lookup between them; and the previous secret of a rotation with an overlap found by that same
// statement until its window ends.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { describe, expect, it } from "vitest";
import { userContext, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { snapshot } from "../metrics";
import { generateApiKeySecret } from "../api-keys/key-format";
import { clearKeyCache } from "../api-keys/key-cache";
import { createApiKey, revokeApiKey, rotateApiKey } from "../api-keys/mutations";
import { flushUsage } from "./usage";
import { verify, type Verifier, type VerifyOptions } from "./verify";

const queries = () => snapshot().db_queries_total ?? 0;

type QueryEvents = { $on(event: "query", listener: (event: { query: string }) => void): void };

/**
 * Resolves once Prisma has emitted the query event of a marker statement run after `work`:
 * Prisma emits query events after the statement's result, in order, so by then every event of
 * `work` has been counted. Returns the marker's own count, to subtract.
 */
async function settleQueryEvents(db: QueryEvents & SeededDb["db"]): Promise<number> {
  const marker = `settle_${Math.random().toString(36).slice(2)}`;
  const seen = new Promise<void>((resolve) => db.$on("query", (event) => event.query.includes(marker) && resolve()));
  await db.$queryRawUnsafe(`SELECT 1 AS ${marker}`);
  await seen;
  return 1;
}

/** The database statements `work` made (the driver lookups and Prisma's query events, as /api/metrics counts them). */
async function countQueries<T>(db: SeededDb["db"], work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const before = queries();
  const result = await work();
  const marker = await settleQueryEvents(db as QueryEvents & SeededDb["db"]);
  return { result, queries: queries() - before - marker };
}

describe("verification's database cost", () => {
  let t: SeededDb;
  let verifier: Verifier;
  const options = { clientIp: "127.0.0.1" };
  const verifyApiKey = async (_db: unknown, secret: string | null, opts: VerifyOptions) => verify(verifier, secret, opts);

  setupVerifierDb("verify", (db, v) => ((t = db), (verifier = v)));

  it("a malformed key is refused without a query", async () => {
    const wellFormed = generateApiKeySecret();
    const mistyped = wellFormed.slice(0, 10) + (wellFormed[10] === "a" ? "b" : "a") + wellFormed.slice(11);
    for (const secret of [mistyped, "kw_short", "ghp_" + "x".repeat(36), null]) {
      const { result, queries } = await countQueries(t.db, () => verifyApiKey(t.db, secret, options));
      expect(result).toMatchObject({ ok: false, status: 401 });
      expect(queries, String(secret)).toBe(0);
    }
  });

  it("an unknown well-formed key costs exactly one query", async () => {
    const { result, queries } = await countQueries(t.db, () => verifyApiKey(t.db, generateApiKeySecret(), options));
    expect(result).toMatchObject({ ok: false, status: 401, code: "unauthorized" });
    expect(queries).toBe(1);
  });

  it("a valid key is looked up once, then served from the cache", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Verify cost", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    const first = await countQueries(t.db, () => verifyApiKey(t.db, created.value.secret, options));
    expect(first.result).toMatchObject({ ok: true, key: { id: created.value.key.id, tenantId: t.fx.acme.id } });
    // Key, tenant name and group in one prepared join (Prisma made three statements).
    expect(first.queries).toBe(1);
    const second = await countQueries(t.db, () => verifyApiKey(t.db, created.value.secret, options));
    expect(second.result.ok).toBe(true);
    expect(second.queries).toBe(0);
  });

  it("requests that miss the cache together share one lookup; after a revoke the next one looks again", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Stampede", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    const alone = await countQueries(t.db, () => verifyApiKey(t.db, created.value.secret, options));
    clearKeyCache();
    const together = await countQueries(t.db, () =>
      Promise.all(Array.from({ length: 10 }, () => verifyApiKey(t.db, created.value.secret, options))),
    );
    for (const result of together.result) expect(result).toMatchObject({ ok: true, key: { id: created.value.key.id } });
    expect(together.queries).toBe(alone.queries);

    const revoked = await revokeApiKey(t.db, ctx, created.value.key.id);
    expect(revoked.ok).toBe(true);
    const after = await Promise.all(Array.from({ length: 3 }, () => verifyApiKey(t.db, created.value.secret, options)));
    for (const result of after) expect(result).toMatchObject({ ok: false, status: 401 });
  });

  it("after a rotation with a 1-hour overlap the old secret works until the window ends, then not", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Overlap", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    const rotatedAt = new Date();
    const rotated = await rotateApiKey(t.db, { ...ctx, now: rotatedAt }, created.value.key.id, { overlap: "1h" });
    if (!rotated.ok) throw new Error(rotated.error.message);
    const oldSecret = created.value.secret;
    const at = (ms: number) => ({ ...options, now: new Date(rotatedAt.getTime() + ms) });

    expect(await verifyApiKey(t.db, rotated.value.secret, at(1000))).toMatchObject({ ok: true });
    clearKeyCache();
    const old = await verifyApiKey(t.db, oldSecret, at(59 * 60_000));
    expect(old).toMatchObject({ ok: true, key: { id: created.value.key.id } });
    clearKeyCache();
    expect(await verifyApiKey(t.db, oldSecret, at(60 * 60_000 + 1))).toMatchObject({ ok: false, status: 401 });
    expect(await verifyApiKey(t.db, rotated.value.secret, at(60 * 60_000 + 1))).toMatchObject({ ok: true });
  });

  it("a usage flush does not empty the cache: the lookup's own commits are not another connection's", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Flush keeps cache", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    expect((await countQueries(t.db, () => verifyApiKey(t.db, created.value.secret, options))).queries).toBe(1);
    await flushUsage();
    const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: created.value.key.id } });
    expect(key.lastUsedAt).not.toBeNull();
    const after = await countQueries(t.db, () => verifyApiKey(t.db, created.value.secret, options));
    expect(after.result.ok).toBe(true);
    expect(after.queries).toBe(0);
  });
});
