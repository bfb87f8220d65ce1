// PostgreSQL going away: between the app and the database sits a TCP proxy that the test cuts
// and restores. Verification of an uncached key answers 503 (never 200) while the database is
// unreachable, a change fails whole, and both work again by themselves when it returns.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { clearKeyCache } from "../../lib/api-keys/key-cache";
import { createApiKey, revokeApiKey } from "../../lib/api-keys/mutations";
import { resetAuthFailures } from "../../lib/verify/rate-limit";
import { createKeyLookup, type KeyLookup } from "../../lib/verify/lookup";
import { verify } from "../../lib/verify/verify";
import { seededDatabase } from "./pg";

class CuttableProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((resolve) => this.server!.listen(this.port, "127.0.0.1", () => resolve()));
  }

  /** Refuses new connections and drops every open one, like a database that went down. */
  cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe("PostgreSQL unreachable", () => {
  let direct: Db;
  let viaProxy: Db;
  let proxy: CuttableProxy;
  let lookup: KeyLookup;

  beforeAll(async () => {
    const seeded = await seededDatabase("faults");
    direct = seeded.db;
    const url = new URL(seeded.url);
    proxy = new CuttableProxy({ host: url.hostname, port: Number(url.port || 5432) }, 35000 + Math.floor(Math.random() * 5000));
    await proxy.start();
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    process.env.KEYWARD_DB_CONNECT_TIMEOUT_MS = "1000";
    viaProxy = createPrismaClient(url.toString());
    lookup = createKeyLookup(url.toString());
    delete process.env.KEYWARD_DB_CONNECT_TIMEOUT_MS;
  }, 120_000);

  afterAll(async () => {
    await proxy?.cut();
    await viaProxy?.$disconnect().catch(() => {});
    await lookup?.close().catch(() => {});
    await direct?.$disconnect();
  });

  it("verification answers 503 while it is down, changes fail whole, and both recover when it is back", async () => {
    const acme = await direct.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
    const group = await direct.authorizationGroup.findFirstOrThrow({ where: { tenantId: acme.id, name: "Full access" } });
    const admin = await direct.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    const ctx = { tenantId: acme.id, actor: { type: "user" as const, userId: admin.id, label: admin.email }, requestId: "req_faults_pg" };
    const created = await createApiKey(direct, ctx, { name: "Fault key", groupId: group.id });
    if (!created.ok) throw new Error(created.error.message);
    const { secret, key } = created.value;
    clearKeyCache();
    resetAuthFailures();

    expect(await verify({ lookup }, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: true });
    clearKeyCache();
    await proxy.cut();

    expect(await verify({ lookup }, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: false, status: 503 });
    await expect(revokeApiKey(viaProxy, ctx, key.id)).rejects.toThrow();
    expect((await direct.apiKey.findUniqueOrThrow({ where: { id: key.id } })).status).toBe("active");

    await proxy.start();
    let recovered = await verify({ lookup }, secret, { clientIp: "127.0.0.1" });
    for (let i = 0; i < 20 && !recovered.ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      recovered = await verify({ lookup }, secret, { clientIp: "127.0.0.1" });
    }
    expect(recovered).toMatchObject({ ok: true });
    expect((await revokeApiKey(viaProxy, ctx, key.id)).ok).toBe(true);
  }, 120_000);
});
