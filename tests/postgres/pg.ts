// Helpers for the PostgreSQL phase of the suite (vitest.postgres.config.ts): each test file gets
// its own throwaway database, migrated with the real migrations and seeded with the demo data.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { seedDemoData } from "../../lib/db/seed";
import { freshDatabase } from "../../scripts/postgres.mjs";

export const ROOT = path.resolve(__dirname, "..", "..");

export function adminUrl(): string {
  const url = process.env.KEYWARD_TEST_POSTGRES_URL;
  if (!url) throw new Error("KEYWARD_TEST_POSTGRES_URL is not set: run the PostgreSQL phase through npm test");
  return url;
}

/** Runs the Prisma CLI (scripts/prisma.mjs) against `url`; returns its exit code and output. */
export function prismaCli(args: string[], url: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prisma.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, DATABASE_URL: url },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

export async function newDatabase(label: string): Promise<string> {
  return freshDatabase(adminUrl(), `keyward_t_${label}_${randomBytes(4).toString("hex")}`);
}

/** A new database with every migration applied and the demo data seeded. */
export async function seededDatabase(label: string): Promise<{ url: string; db: Db }> {
  const url = await newDatabase(label);
  const migrated = prismaCli(["migrate", "deploy"], url);
  if (migrated.status !== 0) throw new Error(`migrate deploy failed:\n${migrated.output}`);
  const db = createPrismaClient(url);
  await seedDemoData(db);
  return { url, db };
}
