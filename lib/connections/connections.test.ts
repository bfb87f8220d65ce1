// Connections through the domain functions the Settings page's actions call, on a seeded
// database (SQLite; PostgreSQL in that phase), against real systems on loopback: a small HTTP
// server that accepts one header value and then another, and closed ports. Tests may reach
// loopback only (vitest.config.ts sets KEYWARD_CONNECTION_TEST_NETWORKS).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dumpAllTables, mutableState, seededDb, userContext, type SeededDb } from "../../tests/db";
import { clearSlot, createConnection, switchSlot, testCredential, writeCredential } from "./mutations";
import { getConnection } from "./queries";

let server: http.Server;
let port: number;
const accepted = { value: "first-header-value-0001" };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/same") return res.writeHead(302, { Location: "/health" }).end();
    if (url === "/other") return res.writeHead(302, { Location: `http://127.0.0.2:${port}/health` }).end();
    if (url === "/loop") return res.writeHead(302, { Location: "/loop" }).end();
    if (url === "/hang") return; // never answers: the Test's time bound ends it
    const ok = req.headers["x-api-key"] === accepted.value;
    res.writeHead(ok ? 200 : 401, { "Content-Type": "text/plain" }).end(ok ? "ok" : "no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("connections");
  accepted.value = "first-header-value-0001";
});
afterEach(async () => {
  await t.close();
});

const admin = () => userContext(t.fx.acme.id, t.fx.users.admin, "req_connections_1");
const globexAdmin = () => userContext(t.fx.globex.id, t.fx.users.globexAdmin, "req_connections_2");

async function httpConnection(secret = accepted.value, testPath = "/health", baseUrl = `http://127.0.0.1:${port}`) {
  const created = await createConnection(t.db, admin(), { name: `Billing API ${Math.random()}`, kind: "http", baseUrl, headerName: "X-Api-Key", testPath, secret });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

async function auditOf(connectionId: string) {
  const events = await t.db.auditEvent.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { seq: "asc" } });
  return events.filter((e) => (e.details ?? "").includes(connectionId));
}

describe("an HTTP connection against a loopback server", () => {
  it("rotates from one accepted header value to the next: write secondary, Test, switch, clear", async () => {
    const connection = await httpConnection();
    expect((await testCredential(t.db, admin(), connection.id, "primary")).ok && (await getConnection(t.db, t.fx.acme.id, connection.id))!.slots[0].testPassed).toBe(true);

    // The other system now accepts the new value only.
    accepted.value = "second-header-value-0002";
    const primaryNow = await testCredential(t.db, admin(), connection.id, "primary");
    expect(primaryNow.ok && primaryNow.value).toMatchObject({ passed: false, message: "GET /health answered 401, expected 2xx." });

    const written = await writeCredential(t.db, admin(), connection.id, { secret: "second-header-value-0002" });
    expect(written.ok && written.value.slots.map((s) => [s.slot, s.active, s.hasCredential, s.testedAt])).toEqual([
      ["primary", true, true, expect.any(String)],
      ["secondary", false, true, null],
    ]);
    const tested = await testCredential(t.db, admin(), connection.id, "secondary");
    expect(tested.ok && tested.value).toMatchObject({ passed: true, slot: "secondary", message: "GET /health answered 200." });

    const switched = await switchSlot(t.db, admin(), connection.id);
    expect(switched.ok && switched.value.activeSlot).toBe("secondary");
    const cleared = await clearSlot(t.db, admin(), connection.id);
    expect(cleared.ok && cleared.value.slots.map((s) => s.hasCredential)).toEqual([false, true]);

    const actions = (await auditOf(connection.id)).map((e) => e.action);
    expect(actions).toEqual([
      "connection.created",
      "connection.tested",
      "connection.tested",
      "connection.credential_written",
      "connection.tested",
      "connection.switched",
      "connection.slot_cleared",
    ]);
    // No secret anywhere in the database: not in the connection row, not in any audit event.
    const dump = await dumpAllTables(t);
    expect(dump).not.toContain("first-header-value-0001");
    expect(dump).not.toContain("second-header-value-0002");
  });

  it("a failing Test keeps the active slot, and Save refuses to switch to it (unless saved untested, audited)", async () => {
    const connection = await httpConnection();
    await writeCredential(t.db, admin(), connection.id, { secret: "wrong-value" });
    const tested = await testCredential(t.db, admin(), connection.id, "secondary");
    expect(tested.ok && tested.value.passed).toBe(false);
    const refused = await switchSlot(t.db, admin(), connection.id);
    expect(refused).toMatchObject({ ok: false, error: { code: "validation", message: expect.stringMatching(/has not passed a Test/) } });
    expect((await getConnection(t.db, t.fx.acme.id, connection.id))!.activeSlot).toBe("primary");

    const untested = await switchSlot(t.db, admin(), connection.id, { untested: true });
    expect(untested.ok && untested.value.activeSlot).toBe("secondary");
    const event = (await auditOf(connection.id)).at(-1)!;
    expect(event.action).toBe("connection.switched");
    expect(JSON.parse(event.details!)).toMatchObject({ from: "primary", to: "secondary", untested: true });
  });

  it("a Test passed before the credential was rewritten does not count", async () => {
    const connection = await httpConnection();
    await writeCredential(t.db, admin(), connection.id, { secret: accepted.value });
    expect((await testCredential(t.db, admin(), connection.id, "secondary")).ok).toBe(true);
    await writeCredential(t.db, admin(), connection.id, { secret: "rewritten-after-test" });
    expect(await switchSlot(t.db, admin(), connection.id)).toMatchObject({ ok: false, error: { code: "validation" } });
  });

  it("follows a redirect within the origin only, and stops redirect loops", async () => {
    const same = await httpConnection(accepted.value, "/same");
    expect(await testCredential(t.db, admin(), same.id, "primary")).toMatchObject({ ok: true, value: { passed: true } });
    const other = await httpConnection(accepted.value, "/other");
    expect(await testCredential(t.db, admin(), other.id, "primary")).toMatchObject({
      ok: true,
      value: { passed: false, message: expect.stringMatching(/redirected to http:\/\/127\.0\.0\.2:\d+, another origin: not followed/) },
    });
    const loop = await httpConnection(accepted.value, "/loop");
    expect(await testCredential(t.db, admin(), loop.id, "primary")).toMatchObject({ ok: true, value: { passed: false, message: /More than 3 redirects/ } });
  });

  it("gives up on a server that does not answer within the bound", async () => {
    const hang = await httpConnection(accepted.value, "/hang");
    const started = Date.now();
    expect(await testCredential(t.db, admin(), hang.id, "primary")).toMatchObject({ ok: true, value: { passed: false, message: "No answer within 5 s." } });
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe("destinations a Test may reach", () => {
  it("refuses addresses outside the allowed networks, also when a host name resolves into them", async () => {
    const internal = await httpConnection(accepted.value, "/health", "http://10.1.2.3:8080");
    expect(await testCredential(t.db, admin(), internal.id, "primary")).toMatchObject({
      ok: true,
      value: { passed: false, message: "Tests may not reach 10.1.2.3: the operator allows the networks 127.0.0.0/8,::1/128." },
    });
    const pg = await createConnection(t.db, admin(), { name: "Metadata", kind: "postgresql", host: "169.254.169.254", port: "5432", database: "x", username: "u", secret: "p" });
    expect(pg.ok && (await testCredential(t.db, admin(), pg.value.id, "primary"))).toMatchObject({ ok: true, value: { passed: false, message: /Tests may not reach 169\.254\.169\.254/ } });

    // A name is checked by what it resolves to: with loopback no longer allowed, localhost is refused.
    const byName = await httpConnection(accepted.value, "/health", `http://localhost:${port}`);
    expect((await testCredential(t.db, admin(), byName.id, "primary")).ok).toBe(true);
    const saved = process.env.KEYWARD_CONNECTION_TEST_NETWORKS;
    process.env.KEYWARD_CONNECTION_TEST_NETWORKS = "10.0.0.0/8";
    try {
      expect(await testCredential(t.db, admin(), byName.id, "primary")).toMatchObject({
        ok: true,
        value: { passed: false, message: /Tests may not reach localhost \((127\.0\.0\.1|::1)\)/ },
      });
      // Unset, only public addresses are allowed: loopback is refused too.
      delete process.env.KEYWARD_CONNECTION_TEST_NETWORKS;
      expect(await testCredential(t.db, admin(), byName.id, "primary")).toMatchObject({ ok: true, value: { passed: false, message: /public internet addresses only/ } });
    } finally {
      process.env.KEYWARD_CONNECTION_TEST_NETWORKS = saved;
    }
  });
});

describe("bad input", () => {
  it("names the field, and changes nothing", async () => {
    const before = await mutableState(t);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ kind: "http", baseUrl: "ftp://files.example.com", headerName: "X-Api-Key" }, "baseUrl", /Only http:\/\/ and https:\/\//],
      [{ kind: "http", baseUrl: "file:///etc/passwd", headerName: "X-Api-Key" }, "baseUrl", /Only http:\/\/ and https:\/\//],
      [{ kind: "http", baseUrl: "http://user:pw@example.com", headerName: "X-Api-Key" }, "baseUrl", /not in the URL/],
      [{ kind: "http", baseUrl: "https://api.example.com", headerName: "Bad Header" }, "headerName", /header name/],
      [{ kind: "postgresql", host: "db host", port: "5432", database: "app", username: "u" }, "host", /host name or IP/],
      [{ kind: "postgresql", host: "db", port: "70000", database: "app", username: "u" }, "port", /1-65535/],
      [{ kind: "secret", secret: "x".repeat(4097) }, "secret", /at most 4096 characters/],
      [{ kind: "secret", secret: "" }, "secret", /Enter the secret/],
      [{ kind: "ldap" }, "kind", /Choose a kind/],
    ];
    for (const [input, field, message] of cases) {
      const result = await createConnection(t.db, admin(), { name: "Bad", secret: "s3cret", ...input });
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error.fieldErrors?.[field]?.[0], JSON.stringify(input)).toMatch(message);
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("an unreachable host is a failed Test that says so, not an error", async () => {
    const closed = await httpConnection(accepted.value, "/health", "http://127.0.0.1:1");
    expect(await testCredential(t.db, admin(), closed.id, "primary")).toMatchObject({ ok: true, value: { passed: false, message: /refused the connection/ } });
    const pg = await createConnection(t.db, admin(), { name: "Nowhere", kind: "postgresql", host: "127.0.0.1", port: "1", database: "app", username: "u", secret: "p" });
    expect(pg.ok && (await testCredential(t.db, admin(), pg.value.id, "primary"))).toMatchObject({ ok: true, value: { passed: false, message: /connection was refused/ } });
    const unknown = await httpConnection(accepted.value, "/health", "http://no-such-host.invalid");
    expect(await testCredential(t.db, admin(), unknown.id, "primary")).toMatchObject({ ok: true, value: { passed: false, message: /could not be resolved/ } });
  });

  it("another tenant's connection is not found, for every change, and nothing changes", async () => {
    const connection = await httpConnection();
    const before = await mutableState(t);
    expect(await getConnection(t.db, t.fx.globex.id, connection.id)).toBeNull();
    for (const result of [
      await writeCredential(t.db, globexAdmin(), connection.id, { secret: "forged" }),
      await testCredential(t.db, globexAdmin(), connection.id, "primary"),
      await switchSlot(t.db, globexAdmin(), connection.id, { untested: true }),
      await clearSlot(t.db, globexAdmin(), connection.id),
    ]) {
      expect(result).toMatchObject({ ok: false, error: { code: "not_found", message: "Connection not found." } });
    }
    expect(await mutableState(t)).toBe(before);
  });
});
