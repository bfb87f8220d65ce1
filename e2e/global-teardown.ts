// After the whole browser suite: no full API key, no password and no connection credential may
// be anywhere in the database or in what the server logged. Keys are found by shape and checksum
// (any string the key parser accepts), so every secret the run created is covered without a list
// of them. Connection credentials: every one still stored is decrypted here (with the e2e KEK)
// and looked for in clear, and every one a spec ever typed carries the CONNECTION_SECRET marker
// (e2e/fixtures/connections.ts), so those whose tenant is gone are covered too.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isWellFormedApiKey } from "../lib/api-keys/key-format";
import { closeE2eDb, e2eDb } from "./fixtures/db";
import { DEMO_PASSWORD } from "./demo";
import { FIXTURE_PASSWORD } from "./fixtures/tenant";
import { SERVER_ENV, SERVER_LOG } from "./server-env.cjs";
import { decryptCredential, keyringFrom } from "../lib/connections/envelope";
import { CONNECTION_SECRET } from "./fixtures/connections";

const CANDIDATE = /kw_[0-9A-Za-z]{38}/g;
const TABLES = ["Tenant", "User", "Membership", "AuthorizationGroup", "ApiKey", "ApiKeyUsageDaily", "AuditEvent", "AuditCheckpoint", "LoginAttempt", "Session", "Connection"];

function leaks(text: string, passwords: string[]): string[] {
  const found = [...new Set(text.match(CANDIDATE) ?? [])].filter((candidate) => isWellFormedApiKey(candidate));
  found.push(...new Set(text.match(new RegExp(CONNECTION_SECRET.source, "g")) ?? []));
  for (const password of passwords) if (text.includes(password)) found.push(`password "${password}"`);
  return found;
}

export default async function globalTeardown() {
  const passwords = [DEMO_PASSWORD, FIXTURE_PASSWORD];
  const db = await e2eDb();
  const tables: Record<string, unknown[]> = {};
  try {
    // Every stored connection credential, decrypted with the e2e KEK: each is a secret to look for.
    const keyring = keyringFrom(SERVER_ENV);
    const stored = await db.connection.findMany({ select: { id: true, primaryEnvelope: true, secondaryEnvelope: true } });
    for (const row of stored) {
      if (row.primaryEnvelope) passwords.push(decryptCredential(keyring, row.id, "primary", row.primaryEnvelope));
      if (row.secondaryEnvelope) passwords.push(decryptCredential(keyring, row.id, "secondary", row.secondaryEnvelope));
    }
    // Every column of every row, as stored: SQL, since no model list is needed to scan for text.
    for (const table of TABLES) tables[table] = await db.$queryRawUnsafe(`SELECT * FROM "${table}"`);
  } finally {
    await closeE2eDb();
  }
  const dump = JSON.stringify(tables, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  const problems = leaks(dump, passwords).map((leak) => `database: ${leak.slice(0, 14)}…`);
  const logFile = path.resolve(__dirname, "..", SERVER_LOG);
  if (existsSync(logFile)) {
    problems.push(...leaks(readFileSync(logFile, "utf8"), passwords).map((leak) => `server log: ${leak.slice(0, 14)}…`));
  }
  if (problems.length > 0) {
    throw new Error(`Secrets found after the e2e run (shown truncated):\n${problems.join("\n")}`);
  }
  console.log(`secret scan: no API key, password or connection credential (${passwords.length - 2} stored) in ${TABLES.length} tables (${dump.length} bytes) or the server log`);
}
