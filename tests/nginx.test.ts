// A real NGINX (Debian's, with auth_request) on loopback, running the repo's deploy/nginx config
// (only its addresses, port and root key replaced) in front of a tiny upstream and Keyward's
// verifier process: no key 401; a valid key 200, and the upstream sees the tenant headers and
// not X-API-Key; the wrong scope 403; a key revoked through the domain (as the dashboard does)
// refused on the next request; 429 with Retry-After restored from auth_request's 500; Keyward
// stopped gives an error status, never 200. `.ci/run` installs nginx when it is missing.
// Ports 3170-3179.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "./db";
import { createApiKey, revokeApiKey } from "../lib/api-keys/mutations";
import { generateApiKeySecret } from "../lib/api-keys/key-format";
import { createTestRootKey } from "./helpers/hot-path-server";
import { ROOT } from "./helpers/temp-db";
import { startVerifier, type VerifierProcess } from "./helpers/verifier-process";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => existsSync(file));
const base = 3170 + Math.floor(Math.random() * 3) * 3;
const ports = { nginx: base, upstream: base + 1, keyward: base + 2 };
// NGINX reaches Keyward through this TCP relay, which counts the connections NGINX opens.
let relay: net.Server;
let relayPort = 0;
let connectionsToKeyward = 0;

let t: SeededDb;
let keyward: VerifierProcess;
let upstream: http.Server;
let nginx: ChildProcess | null = null;
let prefix: string;
const seen: http.IncomingHttpHeaders[] = [];

/** The repo's deploy/nginx files, with only the addresses, the port and the root key replaced. */
function writeConfig(dir: string, rootKey: string) {
  const source = path.join(ROOT, "deploy", "nginx");
  for (const file of readdirSync(source)) copyFileSync(path.join(source, file), path.join(dir, file));
  const conf = path.join(dir, "nginx.conf");
  const text = readFileSync(conf, "utf8");
  const replaced = text
    .replace("server 127.0.0.1:3000;", `server 127.0.0.1:${relayPort};`)
    .replace("server 127.0.0.1:8081;", `server 127.0.0.1:${ports.upstream};`)
    .replace("listen 127.0.0.1:8080;", `listen 127.0.0.1:${ports.nginx};`);
  expect(replaced.match(new RegExp(`:${relayPort};`, "g"))?.length).toBe(1);
  writeFileSync(conf, replaced);
  const rootFile = path.join(dir, "keyward-root-key.conf");
  writeFileSync(rootFile, readFileSync(rootFile, "utf8").replace("kwr_REPLACE_WITH_YOUR_ROOT_KEY", rootKey), { mode: 0o600 });
  mkdirSync(path.join(dir, "tmp"));
}

async function waitForPort(port: number) {
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

beforeAll(async () => {
  if (!NGINX) throw new Error("nginx is not installed: apt-get install -y nginx (.ci/run installs it)");
  t = await seededDb("nginx");
  const gateway = await createTestRootKey(t, "NGINX gateway");

  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ upstream: true, path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(ports.upstream, "127.0.0.1", resolve));
  keyward = await startVerifier(t.url, ports.keyward);
  relay = net.createServer((client) => {
    connectionsToKeyward++;
    const server = net.connect(ports.keyward, "127.0.0.1");
    client.pipe(server).pipe(client);
    server.on("error", () => client.destroy());
    client.on("error", () => server.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  relayPort = (relay.address() as net.AddressInfo).port;

  prefix = mkdtempSync(path.join(tmpdir(), "keyward-nginx-"));
  writeConfig(prefix, gateway.secret);
  const test = spawnSync(NGINX, ["-t", "-p", prefix, "-e", path.join(prefix, "error.log"), "-c", path.join(prefix, "nginx.conf")], { encoding: "utf8" });
  expect(test.status, test.stderr).toBe(0);
  nginx = spawn(NGINX, ["-p", prefix, "-e", path.join(prefix, "error.log"), "-c", path.join(prefix, "nginx.conf"), "-g", "daemon off;"], {
    stdio: "ignore",
  });
  await waitForPort(ports.nginx);
}, 60_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once("exit", resolve));
    nginx.kill("SIGQUIT");
    await exited;
  }
  await keyward?.stop();
  relay?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await t?.close();
  if (prefix) rmSync(prefix, { recursive: true, force: true });
});

const through = (pathname: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${ports.nginx}${pathname}`, { headers });

async function newKey(group: "acmeReadOnly" | "acmeFull") {
  const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: `nginx ${Math.random()}`, groupId: t.fx.groups[group].id });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

describe("NGINX auth_request in front of the platform", () => {
  it("refuses a request without a key with 401 and WWW-Authenticate", async () => {
    const before = seen.length;
    const response = await through("/things");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('ApiKey header="X-API-Key"');
    expect(seen.length).toBe(before);
  });

  it("lets a valid key through; the upstream sees the tenant headers, not the key", async () => {
    const { key, secret } = await newKey("acmeReadOnly");
    const response = await through("/things?page=2", { "X-API-Key": secret });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ upstream: true, path: "/things?page=2" });
    const headers = seen.at(-1)!;
    expect(headers["x-keyward-key-id"]).toBe(key.id);
    expect(headers["x-keyward-tenant-id"]).toBe(t.fx.acme.id);
    expect(headers["x-keyward-scopes"]).toBe("api_keys:read");
    expect(headers["x-api-key"]).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(secret);
    expect(JSON.stringify(headers)).not.toContain("kwr_");
  });

  it("refuses a key without the route's scope with 403", async () => {
    const { secret } = await newKey("acmeReadOnly");
    const before = seen.length;
    expect((await through("/orders/1", { "X-API-Key": secret })).status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it("refuses a key revoked through the domain (as the dashboard does) on the next request", async () => {
    const { key, secret } = await newKey("acmeFull");
    expect((await through("/things", { "X-API-Key": secret })).status).toBe(200);
    expect((await through("/things", { "X-API-Key": secret })).status).toBe(200);
    expect((await revokeApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), key.id)).ok).toBe(true);
    expect((await through("/things", { "X-API-Key": secret })).status).toBe(401);
  });

  it("keeps its connection to Keyward alive across answers, refusals included (no new connection per check)", async () => {
    const { secret } = await newKey("acmeFull");
    await through("/things", { "X-API-Key": secret });
    const before = connectionsToKeyward;
    // 200s, and 401s and 403s, whose bodies NGINX would leave unread on a GET (and then close).
    for (let i = 0; i < 10; i++) {
      expect((await through("/things", { "X-API-Key": secret })).status).toBe(200);
      expect((await through("/things")).status).toBe(401);
    }
    const readOnly = await newKey("acmeReadOnly");
    for (let i = 0; i < 5; i++) expect((await through("/orders/1", { "X-API-Key": readOnly.secret })).status).toBe(403);
    expect(connectionsToKeyward - before).toBeLessThanOrEqual(1);
  });

  it("maps Keyward's 429 (which auth_request would make a 500) back to 429 with Retry-After", async () => {
    let response: Response | null = null;
    for (let i = 0; i < 25; i++) response = await through("/things", { "X-API-Key": generateApiKeySecret() });
    expect(response!.status).toBe(429);
    expect(Number(response!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("answers an error, never 200, when Keyward is stopped", async () => {
    const { secret } = await newKey("acmeFull");
    expect((await through("/things", { "X-API-Key": secret })).status).toBe(200);
    await keyward.stop();
    const before = seen.length;
    const response = await through("/things", { "X-API-Key": secret });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(seen.length).toBe(before);
  });
});
