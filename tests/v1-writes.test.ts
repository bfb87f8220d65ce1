// The /v1 write routes called as Next.js calls them, on a fresh seeded database (SQLite, and
// PostgreSQL in the PostgreSQL phase). Two promises of issue 11: a change that committed is
// answered with what the transaction produced, even when the database fails right after the
// commit (never "Nothing was changed"); and PATCH/rotate with If-Match refuse a stale version
// with 412, changing nothing, so that two concurrent rotations cannot both report success.
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { seededDb, userContext, type SeededDb } from "./db";
import { createApiKey } from "@/lib/api-keys/mutations";

type Routes = {
  list: typeof import("@/app/v1/api-keys/route");
  one: typeof import("@/app/v1/api-keys/[key_id]/route");
  rotate: typeof import("@/app/v1/api-keys/[key_id]/rotate/route");
  whoami: typeof import("@/app/v1/whoami/route");
};
let t: SeededDb;
let routes: Routes;
let secret: string;

beforeEach(async () => {
  t = await seededDb("keyward-v1-writes");
  process.env.DATABASE_URL = t.url;
  // The Prisma client and the verifier's driver lookup are per-process singletons on DATABASE_URL.
  delete (globalThis as { keywardDb?: unknown }).keywardDb;
  delete (globalThis as { keywardVerifier?: unknown }).keywardVerifier;
  vi.resetModules();
  routes = {
    list: await import("@/app/v1/api-keys/route"),
    one: await import("@/app/v1/api-keys/[key_id]/route"),
    rotate: await import("@/app/v1/api-keys/[key_id]/rotate/route"),
    whoami: await import("@/app/v1/whoami/route"),
  };
  const admin = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: "v1 writes admin", groupId: t.fx.groups.acmeFull.id });
  if (!admin.ok) throw new Error(admin.error.message);
  secret = admin.value.secret;
});

afterEach(async () => {
  vi.restoreAllMocks();
  const globals = globalThis as { keywardDb?: { $disconnect(): Promise<void> }; keywardVerifier?: { lookup: { close(): Promise<void> } } };
  await globals.keywardDb?.$disconnect();
  await globals.keywardVerifier?.lookup.close();
  delete globals.keywardDb;
  delete globals.keywardVerifier;
  await t.close();
});

function call(
  handler: (request: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>,
  method: string,
  path: string,
  options: { body?: unknown; params?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "X-API-Key": secret, ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const request = new NextRequest(`http://localhost${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

/** From now on every key read outside a transaction fails, as a database that went away right after a commit. */
async function failReadsAfterCommit() {
  // Verification caches the calling key first, so that only the routes' own reads are hit (on
  // PostgreSQL the cache is used once the change listener hears the database).
  const bus = await import("@/lib/db/key-change-bus");
  await bus.ensureKeyChangeListener();
  for (let i = 0; i < 100 && !bus.cacheTrustworthy(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await call(routes.whoami.GET, "GET", "/v1/whoami")).status).toBe(200);
  const { db } = await import("@/lib/db");
  vi.spyOn(db.apiKey, "findFirst").mockRejectedValue(new Error("connection lost after the commit"));
  vi.spyOn(db.apiKey, "findUnique").mockRejectedValue(new Error("connection lost after the commit"));
}

describe("a committed change is answered with what it produced", () => {
  it("create answers 201 with the key, its secret and ETag although every read after the commit fails", async () => {
    await failReadsAfterCommit();
    const response = await call(routes.list.POST, "POST", "/v1/api-keys", { body: { name: "after commit", groupId: t.fx.groups.acmeFull.id } });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ name: "after commit", status: "active", authorizationGroup: { id: t.fx.groups.acmeFull.id } });
    expect(body.secret).toMatch(/^kw_/);
    expect(response.headers.get("etag")).toBe('"v1"');
    expect(await t.db.apiKey.count({ where: { name: "after commit" } })).toBe(1);
  });

  it("rotate answers 200 with the new secret although every read after the commit fails", async () => {
    const target = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: "rotate after commit", groupId: t.fx.groups.acmeFull.id });
    if (!target.ok) throw new Error(target.error.message);
    await failReadsAfterCommit();
    const response = await call(routes.rotate.POST, "POST", `/v1/api-keys/${target.value.key.id}/rotate`, { params: { key_id: target.value.key.id } });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.secret).toMatch(/^kw_/);
    expect(body.secret).not.toBe(target.value.secret);
    expect(response.headers.get("etag")).toBe('"v2"');
  });

  it("an unexpected failure of a write never claims that nothing was changed", async () => {
    const { db } = await import("@/lib/db");
    expect((await call(routes.whoami.GET, "GET", "/v1/whoami")).status).toBe(200);
    vi.spyOn(db, "$transaction").mockRejectedValue(new Error("lost in flight"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await call(routes.list.POST, "POST", "/v1/api-keys", { body: { name: "in flight", groupId: t.fx.groups.acmeFull.id } });
    expect(response.status).toBe(500);
    const { error } = await response.json();
    expect(error.message).not.toMatch(/nothing was changed/i);
    expect(error.message).toMatch(/may or may not have been made/);
  });
});

describe("If-Match on PATCH and rotate", () => {
  async function newKey() {
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: "conditional", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.key.id;
  }

  it("GET gives the ETag; PATCH with it succeeds and moves it on; the old one then gets 412 and changes nothing", async () => {
    const id = await newKey();
    const read = await call(routes.one.GET, "GET", `/v1/api-keys/${id}`, { params: { key_id: id } });
    const etag = read.headers.get("etag")!;
    expect(etag).toBe('"v1"');
    const patched = await call(routes.one.PATCH, "PATCH", `/v1/api-keys/${id}`, { params: { key_id: id }, body: { name: "first" }, headers: { "If-Match": etag } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toBe('"v2"');
    const stale = await call(routes.one.PATCH, "PATCH", `/v1/api-keys/${id}`, { params: { key_id: id }, body: { name: "second" }, headers: { "If-Match": etag } });
    expect(stale.status).toBe(412);
    expect((await stale.json()).error.code).toBe("precondition_failed");
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id } })).name).toBe("first");
  });

  it("of two concurrent rotations with the same If-Match exactly one succeeds; the winner's secret is the key's", async () => {
    const id = await newKey();
    const rotate = () =>
      call(routes.rotate.POST, "POST", `/v1/api-keys/${id}/rotate`, { params: { key_id: id }, body: { overlap: "1h" }, headers: { "If-Match": '"v1"' } });
    const answers = await Promise.all([rotate(), rotate()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.version).toBe(2);
    const winner = await answers.find((a) => a.status === 200)!.json();
    expect(winner.prefix).toBe(row.prefix);
  });

  it("a weak or malformed tag never matches; * matches any version", async () => {
    const id = await newKey();
    for (const tag of ['W/"v1"', "v1", '"1"']) {
      const answer = await call(routes.rotate.POST, "POST", `/v1/api-keys/${id}/rotate`, { params: { key_id: id }, headers: { "If-Match": tag } });
      expect(answer.status, tag).toBe(412);
    }
    const any = await call(routes.rotate.POST, "POST", `/v1/api-keys/${id}/rotate`, { params: { key_id: id }, headers: { "If-Match": "*" } });
    expect(any.status).toBe(200);
  });

  it("PATCH refuses expiresIn and expiresAt with 422: the expiry is not editable", async () => {
    const id = await newKey();
    for (const body of [{ expiresIn: "7d" }, { name: "renamed", expiresAt: "2099-01-01T00:00:00Z" }]) {
      const answer = await call(routes.one.PATCH, "PATCH", `/v1/api-keys/${id}`, { params: { key_id: id }, body });
      expect(answer.status).toBe(422);
    }
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id } })).name).toBe("conditional");
  });
});
