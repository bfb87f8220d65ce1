// Server actions called directly, by their action id, outside the UI: the role, the session,
// the tenant and the request's Origin are checked by the server, not by hiding buttons. Every
// refusal leaves the database as it was. Uses a tenant of its own (e2e/fixtures/tenant.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { expect, FIXTURE_PASSWORD, insertKeys, keyRows, test, type SeededTenant } from "../fixtures/tenant";
import { e2eDb } from "../fixtures/db";
import { BASE_URL, DIST_DIR } from "../server-env.cjs";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

/** Action ids of this build, by exported name (from Next.js's server reference manifest). */
function actionIds(): Record<string, string> {
  const file = path.resolve(__dirname, "..", "..", DIST_DIR, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  return Object.fromEntries(Object.entries(manifest.node).map(([id, entry]) => [entry.exportedName, id]));
}

async function callAction(request: APIRequestContext, id: string, args: unknown[], origin: string | null = BASE_URL) {
  const headers: Record<string, string> = {
    "Next-Action": id,
    "Content-Type": "text/plain;charset=UTF-8",
    Accept: "text/x-component",
  };
  if (origin !== null) headers.Origin = origin;
  const response = await request.post("/tenant-api-keys", { headers, data: JSON.stringify(args), maxRedirects: 0 });
  return { status: response.status(), body: await response.text() };
}

/** Everything an action could change in the tenant: its keys, its audit trail, its limit. */
async function tenantState(tenant: SeededTenant) {
  const keys = await keyRows(tenant);
  const db = await e2eDb();
  return {
    keys,
    keyHashes: await db.apiKey.findMany({
      where: { tenantId: tenant.id },
      select: { id: true, hash: true, name: true, status: true },
      orderBy: { id: "asc" },
    }),
    audit: await db.auditEvent.count({ where: { tenantId: tenant.id } }),
    limit: await db.tenant.findUnique({ where: { id: tenant.id }, select: { keyLimit: true } }),
  };
}

function keyActions(tenant: SeededTenant, keyId: string): [string, unknown[]][] {
  return [
    ["createApiKeyAction", [{ name: "Direct call", groupId: tenant.groups["Full access"] }]],
    ["updateApiKeyAction", [keyId, { name: "Renamed by a direct call", groupId: tenant.groups["Full access"], ipAllowlist: "" }]],
    ["rotateApiKeyAction", [keyId, { overlap: "none" }]],
    ["revokeApiKeyAction", [keyId]],
    ["revokeAllApiKeysAction", [tenant.name]],
  ];
}

test.describe("server actions called directly", () => {
  test("without a session every action is refused and nothing changes", async ({ tenant, playwright }) => {
    const [key] = await insertKeys(tenant, [{ name: "Target" }]);
    const before = await tenantState(tenant);
    const ids = actionIds();
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    for (const [name, args] of [
      ...keyActions(tenant, key.id),
      ["setTenantKeyLimitAction", [tenant.id, { keyLimit: 0 }]] as [string, unknown[]],
      ["verifyAuditChainAction", []] as [string, unknown[]],
    ]) {
      const { body } = await callAction(anonymous, ids[name], args);
      expect(body, name).toMatch(/"ok":false/);
      expect(body, name).not.toMatch(/"ok":true/);
    }
    await anonymous.dispose();
    expect(await tenantState(tenant)).toEqual(before);
  });

  test("an operator's session is forbidden every change and nothing changes", async ({ tenant, newPage }) => {
    const [key] = await insertKeys(tenant, [{ name: "Target" }]);
    const before = await tenantState(tenant);
    const ids = actionIds();
    const page = await newPage({ email: tenant.users.operator.email });
    for (const [name, args] of keyActions(tenant, key.id)) {
      const { body } = await callAction(page.request, ids[name], args);
      expect(body, name).toMatch(/"code":"forbidden"/);
    }
    // Not a super user: the limit action answers as if it did not exist.
    expect((await callAction(page.request, ids.setTenantKeyLimitAction, [tenant.id, { keyLimit: 0 }])).body).toMatch(/"code":"not_found"/);
    expect(await tenantState(tenant)).toEqual(before);
  });

  test("another tenant's owner gets not_found for this tenant's key ids, and nothing changes", async ({ tenant, newPage }) => {
    const [key] = await insertKeys(tenant, [{ name: "Target" }]);
    const before = await tenantState(tenant);
    const ids = actionIds();
    const acmeOwner = await newPage({ storageState: path.join(__dirname, "..", ".auth", "owner.json") });
    for (const name of ["updateApiKeyAction", "rotateApiKeyAction", "revokeApiKeyAction"]) {
      const args = keyActions(tenant, key.id).find(([n]) => n === name)![1];
      const { body } = await callAction(acmeOwner.request, ids[name], args);
      expect(body, name).toMatch(/"code":"(not_found|validation)"/);
    }
    expect(await tenantState(tenant)).toEqual(before);
  });

  test("a foreign Origin or Origin: null is rejected even with the owner's session", async ({ tenant, ownerPage }) => {
    const [key] = await insertKeys(tenant, [{ name: "Target" }]);
    const before = await tenantState(tenant);
    const ids = actionIds();
    for (const origin of ["https://evil.example", "null"]) {
      for (const [name, args] of keyActions(tenant, key.id)) {
        const { status, body } = await callAction(ownerPage.request, ids[name], args, origin);
        expect(status, `${name} from ${origin}`).toBeGreaterThanOrEqual(400);
        expect(body, `${name} from ${origin}`).not.toMatch(/"ok":true/);
      }
    }
    expect(await tenantState(tenant)).toEqual(before);
    // The same call from the right origin works, so the refusals above were about the Origin.
    const { body } = await callAction(ownerPage.request, ids.revokeApiKeyAction, [key.id]);
    expect(body).toMatch(/"ok":true/);
  });

  test("x-middleware-subrequest gains nothing", async ({ tenant, playwright, newPage }) => {
    const header = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: header });
    const page = await anonymous.get("/tenant-api-keys", { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers().location).toContain("/sign-in");
    await anonymous.dispose();
    const operator = await newPage({ email: tenant.users.operator.email }, { extraHTTPHeaders: header });
    expect((await operator.request.get("/admin")).status()).toBe(404);
  });

  test("the session cookie is HttpOnly and SameSite=Lax", async ({ tenant, playwright }) => {
    const context = await playwright.request.newContext({ baseURL: BASE_URL });
    const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await context.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: tenant.owner.email, password: FIXTURE_PASSWORD, json: "true" },
      maxRedirects: 0,
    });
    const cookie = response.headersArray().find((h) => h.name.toLowerCase() === "set-cookie" && h.value.includes("session-token"));
    expect(cookie?.value).toMatch(/HttpOnly/i);
    expect(cookie?.value).toMatch(/SameSite=Lax/i);
    await context.dispose();
  });
});
