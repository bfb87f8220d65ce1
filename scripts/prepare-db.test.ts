// Integration test of the start-up script itself (`npm start` and the e2e server run it):
// a real child process, the real Prisma CLI (migrate deploy) and the real seed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, countRows, tempDbPath, type TempDb } from "../tests/helpers/temp-db";
import { createHash } from "node:crypto";
import { auditHashInput } from "../lib/audit/chain";
import { verifyAuditChain } from "../lib/audit/verify-chain";
import { createPrismaClient } from "../lib/db/prisma";

const LOCAL_ENV = path.join(ROOT, ".env.local");

function prepareDb(url: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prepare-db.mjs")], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
    env: {
      ...process.env,
      DATABASE_URL: url,
      // Secrets come from the environment, so the script must neither need nor write .env.local.
      NEXTAUTH_SECRET: "prepare-db-test-nextauth-secret-0123456789abcdef",
      KEYWARD_HASH_SECRET: "prepare-db-test-hash-secret-0123456789abcdefgh",
      KEYWARD_TOKEN_ENCRYPTION_KEY: "prepare-db-test-token-key-0123456789abcdefghij",
      KEYWARD_REQUIRE_SECRETS: "1",
      ...env,
    },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, `prepare-db exited with ${result.status}:\n${output}`).toBe(0);
  return output;
}

function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const sqlite = new Database(file, { readonly: true });
  try {
    return sqlite.prepare(sql).all(...params) as T[];
  } finally {
    sqlite.close();
  }
}

describe("scripts/prepare-db.mjs", () => {
  let temp: TempDb;
  const localEnvBefore = existsSync(LOCAL_ENV) ? readFileSync(LOCAL_ENV, "utf8") : null;

  beforeAll(() => {
    temp = tempDbPath("keyward-prepare-db");
  });

  afterAll(() => temp?.cleanup());

  it("Starting twice on the same database keeps its data", () => {
    // First start: creates the file, migrates, seeds.
    const firstOutput = prepareDb(temp.url);
    expect(firstOutput).toContain("keyward: demo data seeded");
    expect(existsSync(temp.file)).toBe(true);
    const seeded = countRows(temp.file);
    expect(seeded).toMatchObject({ Tenant: 2, User: 5, ApiKey: 7, AuthorizationGroup: 4 });
    const migrations = query<{ migration_name: string; finished_at: unknown }>(
      temp.file,
      `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.every((m) => m.finished_at !== null)).toBe(true);
    expect(query<{ journal_mode: string }>(temp.file, "PRAGMA journal_mode")[0].journal_mode).toBe("wal");

    // What a user does between two starts: add a tenant, rename a key.
    const sqlite = new Database(temp.file);
    sqlite
      .prepare(`INSERT INTO "Tenant" (id, name, slug, keyLimit, rotationPolicyDays, updatedAt) VALUES (?, ?, ?, 5, 90, ?)`)
      .run("tenant-added-by-test", "Initech", "initech", new Date().toISOString());
    const renamed = sqlite
      .prepare(`UPDATE "ApiKey" SET name = 'ERP Integration (renamed)' WHERE name = 'ERP Integration'`)
      .run();
    expect(renamed.changes).toBe(1);
    sqlite.close();
    const keysBefore = query<{ id: string; name: string; hash: string }>(
      temp.file,
      `SELECT id, name, hash FROM "ApiKey" ORDER BY id`,
    );
    const usersBefore = query<{ id: string; passwordHash: string }>(
      temp.file,
      `SELECT id, passwordHash FROM "User" ORDER BY id`,
    );

    // Second start on the same file.
    const secondOutput = prepareDb(temp.url);
    expect(secondOutput).toContain("keyward: database already has data, seed skipped");
    expect(secondOutput).not.toContain("demo data seeded");

    expect(countRows(temp.file)).toEqual({ ...seeded, Tenant: seeded.Tenant + 1 });
    expect(query(temp.file, `SELECT id, name, hash FROM "ApiKey" ORDER BY id`)).toEqual(keysBefore);
    expect(query(temp.file, `SELECT id, passwordHash FROM "User" ORDER BY id`)).toEqual(usersBefore);
    expect(query(temp.file, `SELECT name FROM "Tenant" WHERE slug = 'initech'`)).toEqual([{ name: "Initech" }]);
    expect(query(temp.file, `SELECT COUNT(*) AS n FROM "ApiKey" WHERE name = 'ERP Integration'`)).toEqual([{ n: 0 }]);
    expect(
      query(temp.file, `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`),
    ).toEqual(migrations);

    // The secrets came from the environment: .env.local was neither created nor changed.
    expect(existsSync(LOCAL_ENV) ? readFileSync(LOCAL_ENV, "utf8") : null).toBe(localEnvBefore);
  }, 180_000);

  it("An existing install's audit events from before keyed chains are sealed on the next start and still verify", async () => {
    const upgraded = tempDbPath("keyward-prepare-db-upgrade");
    try {
      // The process's own secret, so that this test can verify in-process what prepare-db sealed.
      const env = { KEYWARD_HASH_SECRET: process.env.KEYWARD_HASH_SECRET! };
      prepareDb(upgraded.url, env);
      // The state right after the migration on a database of the previous release: events hashed
      // with plain SHA-256 (chainVersion 1 is the column's default) and no checkpoint.
      const sqlite = new Database(upgraded.file);
      const [{ id: tenantId }] = sqlite.prepare(`SELECT id FROM "Tenant" WHERE slug = 'acme'`).all() as { id: string }[];
      let prevHash: string | null = null;
      for (let seq = 1; seq <= 3; seq++) {
        const createdAt = new Date(Date.UTC(2026, 9, seq));
        const event: Parameters<typeof auditHashInput>[0] = {
          tenantId, seq, actorType: "user", actorUserId: null, actorKeyId: null, actorLabel: "owner@acme.test",
          action: "api_key.revoked", targetKeyId: null, keyPrefix: null, scopes: null, details: `{"n":${seq}}`,
          requestId: `req_old_${seq}`, createdAt, prevHash,
        };
        const hash: string = createHash("sha256").update(auditHashInput(event)).digest("hex");
        sqlite
          .prepare(`INSERT INTO "AuditEvent" ("id", "tenantId", "seq", "actorType", "actorLabel", "action", "details", "requestId", "createdAt", "prevHash", "hash")
                    VALUES (?, ?, ?, 'user', 'owner@acme.test', 'api_key.revoked', ?, ?, ?, ?, ?)`)
          .run(`old${seq}`, tenantId, seq, event.details, event.requestId, createdAt.toISOString().replace("Z", "+00:00"), prevHash, hash);
        prevHash = hash;
      }
      sqlite.close();

      const output = prepareDb(upgraded.url, env);
      expect(output).toContain("keyward: sealed the unkeyed audit chains of 1 tenant(s) with signed checkpoints");
      expect(query(upgraded.file, `SELECT seq, reason FROM "AuditCheckpoint" WHERE "tenantId" = ?`, tenantId)).toEqual([{ seq: 3, reason: "legacy_seal" }]);
      const db = createPrismaClient(upgraded.url);
      try {
        expect(await verifyAuditChain(db, tenantId)).toMatchObject({ ok: true, checked: 3 });
      } finally {
        await db.$disconnect();
      }
      expect(prepareDb(upgraded.url, env)).not.toContain("sealed");
    } finally {
      upgraded.cleanup();
    }
  }, 180_000);
});
