// Seeded test databases, on SQLite (default) or PostgreSQL (KEYWARD_TEST_DATABASE=postgresql,
// with an admin URL in KEYWARD_TEST_POSTGRES_URL: the PostgreSQL phase, vitest.postgres.config.ts).
//
// Every call gets its own database, migrated with the real migration files and filled by
// seedDemoData. The seed (scrypt) runs once per test file, into a template; later calls copy
// that template, so a test can have a fresh database of its own in a few milliseconds:
//   SQLite:     a copy of the template's file, in its own temp folder, deleted by close();
//   PostgreSQL: CREATE DATABASE keyward_t_... TEMPLATE <template> (the next one is copied while
//               the current test runs); close() queues it for DROP DATABASE ... WITH (FORCE),
//               done in batches and after the file's last test at the latest.
// With PostgreSQL, seededDb() also points DATABASE_URL at the test's database (see there).
//
// The state helpers (dumpAllTables, mutableState, tableCounts, execSql, holdTenantLock) use the
// database directly, not through Prisma: better-sqlite3 on the file, or pg on the URL. A dump is
// compared only with another dump of the same database ("nothing changed") or searched for a
// secret, so rows come as each driver reads them (PostgreSQL's every value as its text, so that
// nothing is rounded), not converted to one storage format. Test data beyond the demo seed is
// made with tests/factory.ts.
import { randomBytes } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll } from "vitest";
import { createPrismaClient, type Db } from "../lib/db/prisma";
import { seedDemoData } from "../lib/db/seed";
import type { Actor } from "../lib/audit/write";
import type { MutationContext } from "../lib/api-keys/mutations";
import { migratedTempDb, ROOT, TABLES, tempDbPath, type TempDb } from "./helpers/temp-db";

export type Provider = "sqlite" | "postgresql";

/** The database the integration tests run on in this vitest run. */
export const TEST_PROVIDER: Provider = (() => {
  const value = process.env.KEYWARD_TEST_DATABASE || "sqlite";
  if (value !== "sqlite" && value !== "postgresql") {
    throw new Error(`KEYWARD_TEST_DATABASE must be "sqlite" or "postgresql", not ${JSON.stringify(value)}`);
  }
  return value;
})();

/** A test database: a SQLite file (`file` set) or a PostgreSQL database (`file` null). */
export type TestDatabase = { provider: Provider; url: string; file: string | null };
/** A test database that close() deletes (the folder of a SQLite file; DROP DATABASE on PostgreSQL). */
export type TempTestDatabase = TestDatabase & { close: () => Promise<void> };

// ---------------------------------------------------------------------------------------------
// PostgreSQL plumbing

const PG_MIGRATIONS = path.join(ROOT, "prisma", "postgresql", "migrations");

function pgAdminUrl(): string {
  const url = process.env.KEYWARD_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "KEYWARD_TEST_DATABASE=postgresql needs KEYWARD_TEST_POSTGRES_URL (an admin connection URL): run the PostgreSQL phase through npm test",
    );
  }
  return url;
}

function pgUrlFor(database: string): string {
  const url = new URL(pgAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

function pgDatabaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** keyward_t_<label>_<random>: a valid, unquoted-safe identifier well under 63 characters. */
function pgNewName(label: string): string {
  const clean = label.toLowerCase().replace(/^keyward-/, "").replace(/[^a-z0-9]+/g, "_").slice(0, 30);
  return `keyward_t_${clean}_${randomBytes(5).toString("hex")}`;
}

// The admin connection that creates databases, opened on first use and closed after the file.
let adminClient: Promise<pg.Client> | null = null;

function admin(): Promise<pg.Client> {
  adminClient ??= (async () => {
    const client = new pg.Client({ connectionString: pgAdminUrl() });
    await client.connect();
    return client;
  })();
  return adminClient;
}

// Removal. DROP DATABASE waits for a checkpoint of the whole server, and on a busy server that
// takes a second or more, each. Drops that run at the same time share checkpoints, though: so
// closed test databases are dropped in batches, DROP_BATCH at once, while the tests go on, and
// the rest after the file's last test.
const DROP_BATCH = 8;
let dropPool: pg.Pool | null = null;
let closedDatabases: string[] = [];
const pendingDrops = new Set<Promise<unknown>>();

function dropNow(names: string[]): Promise<unknown> {
  dropPool ??= new pg.Pool({ connectionString: pgAdminUrl(), max: DROP_BATCH });
  const pool = dropPool;
  const drop = Promise.all(names.map((name) => pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  const tracked = drop.finally(() => pendingDrops.delete(tracked));
  pendingDrops.add(tracked);
  tracked.catch(() => {}); // reported by the file's afterAll
  return tracked;
}

async function pgDropDatabase(name: string): Promise<void> {
  await closeReader(pgUrlFor(name));
  await dropNow([name]);
}

/** Queues `name` for removal (nobody may use it any more) and returns at once. */
async function pgDropDatabaseLater(name: string): Promise<void> {
  await closeReader(pgUrlFor(name));
  closedDatabases.push(name);
  if (closedDatabases.length >= DROP_BATCH) {
    void dropNow(closedDatabases);
    closedDatabases = [];
  }
}

/** A new database copied from `template` (no one may be connected to the template meanwhile). */
async function pgCreateDatabase(name: string, template?: string): Promise<string> {
  const client = await admin();
  const sql = template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(sql);
      return pgUrlFor(name);
    } catch (error) {
      // 55006 "source database is being accessed by other users": a connection that a client's
      // disconnect has not quite closed yet. Close it for good and try again.
      if (!template || (error as { code?: string }).code !== "55006" || attempt >= 5) throw error;
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [template]);
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** A pg connection with every value as PostgreSQL's text: a dump loses nothing to a parser. */
async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (value: string) => value } });
  await client.connect();
  return client;
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectPg(url);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// The state helpers' connection to each test database, kept until the database is closed: a new
// connection per call costs more than most tests' queries do.
const readers = new Map<string, Promise<pg.Client>>();

function reader(url: string): Promise<pg.Client> {
  let client = readers.get(url);
  if (!client) {
    client = connectPg(url);
    client.catch(() => readers.delete(url));
    readers.set(url, client);
  }
  return client;
}

async function closeReader(url: string): Promise<void> {
  const client = readers.get(url);
  readers.delete(url);
  await (await client?.catch(() => null))?.end();
}

/** Applies every migration.sql in prisma/postgresql/migrations, in folder order (as migrate deploy does). */
async function pgApplyMigrations(url: string): Promise<void> {
  const folders = readdirSync(PG_MIGRATIONS)
    .filter((name) => statSync(path.join(PG_MIGRATIONS, name)).isDirectory())
    .sort();
  await withPg(url, async (client) => {
    for (const folder of folders) await client.query(readFileSync(path.join(PG_MIGRATIONS, folder, "migration.sql"), "utf8"));
  });
}

// ---------------------------------------------------------------------------------------------
// Migrated (empty) and seeded databases

/** A new, migrated, empty database (nothing seeded). close() deletes it. */
export async function migratedDb(label = "keyward-test"): Promise<TempTestDatabase> {
  if (TEST_PROVIDER === "sqlite") {
    const temp = migratedTempDb(label);
    return { provider: "sqlite", url: temp.url, file: temp.file, close: async () => temp.cleanup() };
  }
  const name = pgNewName(label);
  const url = await pgCreateDatabase(name);
  try {
    await pgApplyMigrations(url);
  } catch (error) {
    await pgDropDatabase(name);
    throw error;
  }
  return { provider: "postgresql", url, file: null, close: () => pgDropDatabaseLater(name) };
}

let template: Promise<TempTestDatabase> | null = null;

// Registered when a test file imports this module, so it runs after that file's last test.
afterAll(async () => {
  const unused = spare;
  spare = null;
  const unusedName = await unused?.catch(() => null);
  if (unusedName) closedDatabases.push(unusedName);
  const built = await template?.catch(() => null);
  template = null;
  if (built?.provider === "postgresql") closedDatabases.push(pgDatabaseName(built.url));
  else await built?.close();
  for (const url of [...readers.keys()]) await closeReader(url);
  if (closedDatabases.length > 0) void dropNow(closedDatabases);
  closedDatabases = [];
  const drops = await Promise.allSettled([...pendingDrops]);
  await dropPool?.end();
  dropPool = null;
  const connected = adminClient;
  adminClient = null;
  await (await connected?.catch(() => null))?.end();
  const failed = drops.find((d) => d.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
});

async function buildTemplate(): Promise<TempTestDatabase> {
  const temp = await migratedDb("keyward-template");
  const client = createPrismaClient(temp.url);
  try {
    const { seeded } = await seedDemoData(client);
    if (!seeded) throw new Error("the template database was not seeded");
  } catch (error) {
    await client.$disconnect();
    await temp.close();
    throw error;
  }
  // PostgreSQL copies a template only while nobody is connected to it.
  await client.$disconnect();
  if (temp.file) {
    // Fold the WAL into the main file so that copying the one file copies everything.
    const sqlite = new Database(temp.file);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
  }
  return temp;
}

export type Fixtures = Awaited<ReturnType<typeof loadFixtures>>;

async function loadFixtures(db: Db) {
  const tenants = await db.tenant.findMany();
  const tenant = (slug: string) => tenants.find((t) => t.slug === slug)!;
  const users = Object.fromEntries((await db.user.findMany()).map((u) => [u.email, u]));
  const groups = Object.fromEntries((await db.authorizationGroup.findMany()).map((g) => [g.name, g]));
  const keys = Object.fromEntries((await db.apiKey.findMany()).map((k) => [k.name, k]));
  return {
    acme: tenant("acme"),
    globex: tenant("globex"),
    users: {
      owner: users["owner@acme.test"],
      admin: users["admin@acme.test"],
      operator: users["operator@acme.test"],
      globexAdmin: users["admin@globex.test"],
      superUser: users["super@keyward.test"],
    },
    groups: {
      acmeFull: groups["Full access"],
      acmeReadOnly: groups["Read only"],
      acmeSupport: groups["Support staff"], // type "user": never valid for a key
      globexAutomation: groups["Globex automation"],
    },
    /** Seeded keys by name: Acme's ERP Integration, Mobile App, Reporting Exporter, Staging Scheduler (active), Legacy Webhook Relay (expired), Contractor Sync (revoked); Globex has Globex Billing Bridge. */
    keys,
  };
}

// The next test's database, copied from the template while the current test runs.
let spare: Promise<string> | null = null;

function startCopy(label: string, templateName: string): Promise<string> {
  const name = pgNewName(label);
  return pgCreateDatabase(name, templateName).then(() => name);
}

async function takeCopy(label: string, templateName: string): Promise<string> {
  const next = spare ?? startCopy(label, templateName);
  spare = startCopy(label, templateName);
  spare.catch(() => {}); // a failed spare fails the test that takes it
  return next;
}

/** SQLite: also the temp folder's `dir` and `cleanup` (TempDb). */
export type SeededDb = TestDatabase & Partial<Omit<TempDb, "file" | "url">> & { db: Db; fx: Fixtures; close: () => Promise<void> };

/** A fresh migrated + seeded database with a Prisma client on it. */
export async function seededDb(label = "keyward-test"): Promise<SeededDb> {
  template ??= buildTemplate();
  const source = await template;
  if (TEST_PROVIDER === "sqlite") {
    const temp = tempDbPath(label);
    copyFileSync(source.file!, temp.file);
    const db = createPrismaClient(temp.url);
    const fx = await loadFixtures(db);
    return {
      ...temp,
      provider: "sqlite",
      db,
      fx,
      close: async () => {
        await db.$disconnect();
        temp.cleanup();
      },
    };
  }

  const name = await takeCopy(label, pgDatabaseName(source.url));
  const url = pgUrlFor(name);
  // lib/ decides PostgreSQL-only steps (pg_notify, case-insensitive search) from DATABASE_URL,
  // as the app has one database per process. Point it at this test's database, as the app would.
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  const db = createPrismaClient(url);
  const close = async () => {
    await db.$disconnect().catch(() => {});
    if (process.env.DATABASE_URL === url) {
      if (previousUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previousUrl;
    }
    await pgDropDatabaseLater(name);
  };
  try {
    return { provider: "postgresql", url, file: null, db, fx: await loadFixtures(db), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The context a signed-in user gets from withPermission. */
export function userContext(tenantId: string, user: { id: string; email: string }, requestId = "req_test_0001"): MutationContext {
  const actor: Actor = { type: "user", userId: user.id, label: user.email };
  return { tenantId, actor, requestId };
}

// ---------------------------------------------------------------------------------------------
// Reading and changing a test database without Prisma

function withSqlite<T>(target: TestDatabase, readonly: boolean, work: (sqlite: Database.Database) => T): T {
  const sqlite = new Database(target.file!, { readonly });
  try {
    return work(sqlite);
  } finally {
    sqlite.close();
  }
}

/** Rows of each of `sqls`, as the driver reads them. */
async function selectRows(target: TestDatabase, sqls: string[]): Promise<Record<string, unknown>[][]> {
  if (target.provider === "sqlite") {
    return withSqlite(target, true, (sqlite) => sqls.map((sql) => sqlite.prepare(sql).all() as Record<string, unknown>[]));
  }
  const client = await reader(target.url);
  const results: Record<string, unknown>[][] = [];
  for (const sql of sqls) results.push((await client.query(sql)).rows);
  return results;
}

/** Every row of every table (read with better-sqlite3 or pg, not Prisma), as one JSON string. */
export async function dumpAllTables(target: TestDatabase): Promise<string> {
  let tables: string[];
  if (target.provider === "sqlite") {
    tables = withSqlite(target, true, (sqlite) =>
      (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
  } else {
    const [rows] = await selectRows(target, [
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE "C"`,
    ]);
    tables = rows.map((r) => r.name as string);
  }
  // KeyChangeCounter only counts changes (lib/verify/lookup.ts): a tenant made and deleted again
  // leaves every row as it was but the counter moved. Any change that bumps it shows in the
  // tables its triggers watch.
  tables = tables.filter((name) => name !== "KeyChangeCounter");
  const rows = await selectRows(
    target,
    tables.map((name) => `SELECT * FROM "${name}"`),
  );
  const dump = Object.fromEntries(tables.map((name, i) => [name, rows[i]]));
  return JSON.stringify(dump, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

/** The rows a key mutation may touch (keys, audit events, tenants), for "nothing changed" checks. */
export async function mutableState(target: TestDatabase): Promise<string> {
  // COLLATE "C": PostgreSQL sorts ids byte by byte, as SQLite does.
  const order = target.provider === "sqlite" ? "ORDER BY id" : `ORDER BY id COLLATE "C"`;
  return JSON.stringify(await selectRows(target, ["ApiKey", "AuditEvent", "Tenant", "Connection"].map((table) => `SELECT * FROM "${table}" ${order}`)));
}

/** Row counts of every application table (not read through Prisma). */
export async function tableCounts(target: TestDatabase): Promise<Record<(typeof TABLES)[number], number>> {
  const results = await selectRows(
    target,
    TABLES.map((table) => `SELECT COUNT(*) AS n FROM "${table}"`),
  );
  return Object.fromEntries(TABLES.map((table, i) => [table, Number(results[i][0].n)])) as Record<(typeof TABLES)[number], number>;
}

/** Runs SQL (several statements allowed) on the database directly, e.g. to install a trigger. */
export async function execSql(target: TestDatabase, sql: string): Promise<void> {
  if (target.provider === "sqlite") {
    withSqlite(target, false, (sqlite) => sqlite.exec(sql));
    return;
  }
  await (await reader(target.url)).query(sql);
}

/**
 * Another connection takes the tenant's lock and keeps it until release() (as a long transaction
 * of another process would): on SQLite the database's write lock (readers still read, WAL), on
 * PostgreSQL the tenant's row lock, which every key change takes first (lockTenant).
 */
export async function holdTenantLock(target: TestDatabase, tenantId: string): Promise<() => Promise<void>> {
  const lockSql = `UPDATE "Tenant" SET "keyLimit" = "keyLimit" WHERE "id" = `;
  if (target.provider === "sqlite") {
    const sqlite = new Database(target.file!);
    try {
      sqlite.exec("BEGIN IMMEDIATE");
      sqlite.prepare(`${lockSql}?`).run(tenantId);
    } catch (error) {
      sqlite.close();
      throw error;
    }
    return async () => {
      sqlite.exec("ROLLBACK");
      sqlite.close();
    };
  }
  const client = await connectPg(target.url);
  try {
    await client.query("BEGIN");
    await client.query(`${lockSql}$1`, [tenantId]);
  } catch (error) {
    await client.end();
    throw error;
  }
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

export { ROOT } from "./helpers/temp-db";
