// Zero-downtime rotation of a PostgreSQL connection credential, end to end against real roles in
// the suite's PostgreSQL cluster. Two login roles (blue, green) stand for the two slots. A
// consumer loop keeps connecting with whatever GET /v1/connections/{id}/credential returned (it
// caches the answer and re-reads it now and then, as a service would, and fails over to the other
// returned slot when the active one is refused) while the credential is rotated:
// green's new password is written into the secondary slot, tested, switched to, and blue's
// password is then dropped from its role. The loop must see zero failed connections, and blue
// must really be locked out at the end.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../db";
import { clearKeyCache } from "../../lib/api-keys/key-cache";
import { resetAuthFailures } from "../../lib/verify/rate-limit";
import type { Verifier } from "../../lib/verify/verify";
import { clearSlot, createConnection, switchSlot, testCredential, writeCredential } from "../../lib/connections/mutations";
import { getCredential, releaseRoutesDatabase, shareDatabaseWithRoutes, type CredentialBody } from "../helpers/connection-credential";
import { createTestRootKey } from "../helpers/hot-path-server";

const adminUrl = new URL(process.env.KEYWARD_TEST_POSTGRES_URL ?? "postgresql://keyward_test:keyward_test@127.0.0.1:5432/postgres");
const host = adminUrl.hostname;
const port = Number(adminUrl.port || 5432);
const suffix = randomBytes(4).toString("hex");
const blue = `kw_rotation_${suffix}_blue`;
const green = `kw_rotation_${suffix}_green`;
const bluePassword = `blue-${randomBytes(12).toString("hex")}`;
const greenPassword = `green-${randomBytes(12).toString("hex")}`;

let admin: pg.Client;
let t: SeededDb;
let verifier: Verifier;
let root: string;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE ROLE ${blue} LOGIN PASSWORD ${admin.escapeLiteral(bluePassword)}`);
  await admin.query(`CREATE ROLE ${green} LOGIN`);
  t = await seededDb("connection-rotation");
  verifier = shareDatabaseWithRoutes(t.db, t.url);
  clearKeyCache();
  resetAuthFailures();
  root = (await createTestRootKey(t, "Orders service")).secret;
}, 120_000);

afterAll(async () => {
  releaseRoutesDatabase();
  await verifier?.lookup.close();
  await t?.close();
  if (admin) {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ('${blue}', '${green}')`);
    await admin.query(`DROP ROLE IF EXISTS ${blue}`);
    await admin.query(`DROP ROLE IF EXISTS ${green}`);
    await admin.end();
  }
});

async function canConnect(user: string | null, password: string): Promise<boolean> {
  const client = new pg.Client({ host, port, database: "postgres", user: user ?? undefined, password, connectionTimeoutMillis: 3_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.query("SELECT 1 AS ok")).rows[0]?.ok === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("rotating a PostgreSQL credential", () => {
  it("switches to the secondary and drops the old password with zero failed connections in a consumer loop", async () => {
    const owner = userContext(t.fx.acme.id, t.fx.users.owner, "req_rotation_owner");
    const created = await createConnection(t.db, owner, {
      name: "Orders database",
      kind: "postgresql",
      host,
      port: String(port),
      database: "postgres",
      username: blue,
      secret: bluePassword,
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const id = created.value.id;

    // The consumer caches the credential document and re-reads it when `refresh` is set (a
    // service re-reading on a timer): so the test knows which document it holds at each step.
    const stats = { attempts: 0, failures: 0, failovers: 0, reads: 0, users: new Set<string>() };
    let running = true;
    let refresh = true;
    const consumer = (async () => {
      let document: CredentialBody | null = null;
      while (running) {
        if (refresh || !document) {
          refresh = false;
          const read = await getCredential(id, root);
          if (read.status !== 200) throw new Error(`credential endpoint answered ${read.status}`);
          document = read.body;
          stats.reads++;
        }
        let connected = false;
        for (const [index, credential] of document.credentials.entries()) {
          if (await canConnect(credential.username, credential.secret)) {
            connected = true;
            stats.users.add(credential.username!);
            if (index > 0) stats.failovers++;
            break;
          }
        }
        stats.attempts++;
        if (!connected) stats.failures++;
      }
    })();
    const progressed = async (more: number) => {
      const target = stats.attempts + more;
      await expect.poll(() => stats.attempts, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(target);
    };
    const reread = async () => {
      const reads = stats.reads;
      refresh = true;
      await expect.poll(() => stats.reads, { timeout: 60_000, interval: 20 }).toBeGreaterThan(reads);
    };

    await progressed(5);
    // 1. The new password goes onto the secondary role, then into the secondary slot.
    await admin.query(`ALTER ROLE ${green} PASSWORD ${admin.escapeLiteral(greenPassword)}`);
    expect((await writeCredential(t.db, owner, id, { username: green, secret: greenPassword })).ok).toBe(true);
    // The consumer now holds the document of the switch under way: blue active, green beside it.
    await reread();
    await progressed(5);
    // 2. Test it against the real server; 3. switch.
    const tested = await testCredential(t.db, owner, id, "secondary");
    expect(tested.ok && tested.value).toMatchObject({ passed: true, message: `Connected to ${host}:${port}/postgres as ${green}; SELECT 1 answered.` });
    expect((await switchSlot(t.db, owner, id)).ok).toBe(true);
    // 4. Drop the old password from its role while the consumer still holds the document that
    // names blue active: it fails over to green, the other slot returned during the switch.
    await admin.query(`ALTER ROLE ${blue} PASSWORD NULL`);
    await progressed(10);
    // (The attempt under way when the password was dropped may still have used blue.)
    expect(stats.failovers).toBeGreaterThanOrEqual(5);
    await reread();
    await progressed(5);
    expect((await clearSlot(t.db, owner, id)).ok).toBe(true);
    await reread();
    await progressed(5);
    running = false;
    await consumer;

    expect(stats.failures).toBe(0);
    expect(stats.attempts).toBeGreaterThanOrEqual(30);
    expect([...stats.users].sort()).toEqual([blue, green].sort());
    // The rotation really happened: the old credential no longer works, the new one does.
    expect(await canConnect(blue, bluePassword)).toBe(false);
    expect(await canConnect(green, greenPassword)).toBe(true);
    const final = await getCredential(id, root);
    expect(final.body.credentials.map((c) => [c.slot, c.username])).toEqual([["secondary", green]]);
    // Every read was audited with the reader.
    const reads = await t.db.auditEvent.count({ where: { tenantId: t.fx.acme.id, action: "connection.credential_read" } });
    expect(reads).toBe(stats.reads + 1);
  }, 180_000);
});
