// Seeded test databases: every call gets its own SQLite file, migrated with the real migration
// files and filled by seedDemoData. The seed (scrypt) runs once per test file; later calls copy
// that file, so a test can have a fresh database of its own in a few milliseconds.
import { copyFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll } from "vitest";
import { createPrismaClient, type Db } from "../lib/db/prisma";
import { seedDemoData } from "../lib/db/seed";
import type { Actor } from "../lib/audit/write";
import type { MutationContext } from "../lib/api-keys/mutations";
import { migratedTempDb, tempDbPath, type TempDb } from "./helpers/temp-db";

let template: Promise<TempDb> | null = null;

// Registered when a test file imports this module, so it runs after that file's last test.
afterAll(async () => {
  const built = template;
  template = null;
  (await built?.catch(() => null))?.cleanup();
});

async function buildTemplate(): Promise<TempDb> {
  const temp = migratedTempDb("keyward-template");
  const client = createPrismaClient(temp.url);
  try {
    const { seeded } = await seedDemoData(client);
    if (!seeded) throw new Error("the template database was not seeded");
  } finally {
    await client.$disconnect();
  }
  // Fold the WAL into the main file so that copying the one file copies everything.
  const sqlite = new Database(temp.file);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
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
    /** Seeded keys by name: Acme's ERP Integration, Mobile App, Reporting Exporter, Staging Scheduler (active), Legacy Webhook Relay (expired), Contractor Sync (revoked); Globex Billing Bridge. */
    keys,
  };
}

export type SeededDb = TempDb & { db: Db; fx: Fixtures; close: () => Promise<void> };

/** A fresh migrated + seeded database file with a Prisma client on it. */
export async function seededDb(label = "keyward-test"): Promise<SeededDb> {
  template ??= buildTemplate();
  const source = await template;
  const temp = tempDbPath(label);
  copyFileSync(source.file, temp.file);
  const db = createPrismaClient(temp.url);
  const fx = await loadFixtures(db);
  return {
    ...temp,
    db,
    fx,
    close: async () => {
      await db.$disconnect();
      temp.cleanup();
    },
  };
}

/** The context a signed-in user gets from withPermission. */
export function userContext(tenantId: string, user: { id: string; email: string }, requestId = "req_test_0001"): MutationContext {
  const actor: Actor = { type: "user", userId: user.id, label: user.email };
  return { tenantId, actor, requestId };
}

/** Every row of every table (read with better-sqlite3, not Prisma), as one JSON string. */
export function dumpAllTables(file: string): string {
  const sqlite = new Database(file, { readonly: true });
  try {
    const tables = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as { name: string }[];
    const dump: Record<string, unknown[]> = {};
    for (const { name } of tables) dump[name] = sqlite.prepare(`SELECT * FROM "${name}"`).all();
    return JSON.stringify(dump, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  } finally {
    sqlite.close();
  }
}

/** The rows a key mutation may touch (keys, audit events, tenants), for "nothing changed" checks. */
export function mutableState(file: string): string {
  const sqlite = new Database(file, { readonly: true });
  try {
    return JSON.stringify(
      ["ApiKey", "AuditEvent", "Tenant"].map((table) => sqlite.prepare(`SELECT * FROM "${table}" ORDER BY id`).all()),
    );
  } finally {
    sqlite.close();
  }
}

export { ROOT } from "./helpers/temp-db";
