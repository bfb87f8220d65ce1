// PostgreSQL for the test suite: an admin URL from KEYWARD_TEST_POSTGRES_URL, or the
// machine's own Debian cluster, started here (as root) with a throwaway superuser role.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import pg from "pg";

const ROLE = "keyward_test";
const PASSWORD = "keyward_test";

function run(command, args) {
  return spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The admin connection URL, or null with the reason when no PostgreSQL can be had. */
export function ensurePostgres() {
  if (process.env.KEYWARD_TEST_POSTGRES_URL) return { url: process.env.KEYWARD_TEST_POSTGRES_URL };
  if (!existsSync("/usr/bin/pg_ctlcluster") || !existsSync("/etc/postgresql")) {
    return { url: null, reason: "PostgreSQL is not installed (apt-get install -y postgresql), and KEYWARD_TEST_POSTGRES_URL is not set" };
  }
  if (process.getuid?.() !== 0) {
    return { url: null, reason: "starting the local PostgreSQL cluster needs root; set KEYWARD_TEST_POSTGRES_URL instead" };
  }
  const version = readdirSync("/etc/postgresql").sort().at(-1);
  const cluster = readdirSync(`/etc/postgresql/${version}`).sort()[0] ?? "main";
  const started = run("pg_ctlcluster", [version, cluster, "start"]);
  if (started.status !== 0 && !/already running/i.test(started.stdout + started.stderr)) {
    return { url: null, reason: `pg_ctlcluster ${version} ${cluster} start failed: ${started.stderr.trim()}` };
  }
  const sql = `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'; END IF; END $$;`;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      execFileSync("su", ["postgres", "-c", `psql -v ON_ERROR_STOP=1 -qc "${sql.replaceAll('"', '\\"').replaceAll("$", "\\$")}"`], { stdio: "pipe" });
      const port = run("su", ["postgres", "-c", "psql -tAc 'show port'"]).stdout.trim() || "5432";
      return { url: `postgresql://${ROLE}:${PASSWORD}@127.0.0.1:${port}/postgres` };
    } catch {
      execFileSync("sleep", ["0.5"]);
    }
  }
  return { url: null, reason: "the local PostgreSQL cluster did not accept connections" };
}

/** Drops and creates database `name`; returns its URL. */
export async function freshDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
