// Helpers for the HTTP-level tests of the /v1 API (e2e/api/*.spec.ts).
//
// Nobody knows the secrets of the seeded keys, so each tenant gets one "bootstrap" key of its
// read+write group, generated once per run through the real Generate API Key page (as the
// tenant's admin) and shared by all workers through a file in e2e/.auth (git-ignored). Every
// other key a test needs is created with POST /v1/api-keys and revoked when the test ends, so
// that the tenant stays below its key limit while two workers run.
//
// Client addresses: the e2e server trusts 127.0.0.1 as a proxy (TRUSTED_PROXIES in
// server-env.cjs), so requests to http://127.0.0.1:<port> carrying X-Forwarded-For count as
// coming from that address. Every test's `api` context sends its own unique address (from
// 2001:db8::/32), so the failed-attempts throttle of one test never blocks another. Requests
// to http://[::1]:<port> come from an untrusted peer whose X-Forwarded-For is ignored.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import {
  expect,
  test as base,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type Page,
  type PlaywrightWorkerArgs,
} from "@playwright/test";
import { storageStateFor, type RoleName } from "../demo";
import { e2eDb } from "../fixtures/db";
import { validatingContext } from "./openapi-validator";

const ROOT = path.resolve(__dirname, "..", "..");

export type ServerUrls = {
  /** The project's baseURL (http://localhost:<port>): the browser's origin. */
  browser: string;
  /** The trusted proxy address: X-Forwarded-For is honoured. */
  trusted: string;
  /** An untrusted peer (IPv6 loopback): X-Forwarded-For is ignored. */
  untrusted: string;
};

export function serverUrls(baseURL: string | undefined): ServerUrls {
  if (!baseURL) throw new Error("The Playwright project has no baseURL.");
  const port = new URL(baseURL).port;
  return { browser: baseURL, trusted: `http://127.0.0.1:${port}`, untrusted: `http://[::1]:${port}` };
}

// One prefix per worker process; the counter makes every address of this process unique.
const RUN = randomBytes(2).toString("hex");
let addressCounter = 0;

/** A client address no other test uses (2001:db8::/32 is the IPv6 documentation prefix). */
export function uniqueClientAddress(): string {
  addressCounter += 1;
  const pid = process.pid;
  return `2001:db8:${RUN}:${(pid >>> 16).toString(16)}:${(pid & 0xffff).toString(16)}::${addressCounter.toString(16)}`;
}

/** A key name no other test (or earlier run) uses; lower case, so it sorts after the seed's names. */
export function uniqueName(label: string): string {
  return `api ${label} ${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export function keyHeader(secret: string): Record<string, string> {
  return { "X-API-Key": secret };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type ErrorBody = {
  error: { code: string; message: string; requestId: string; fieldErrors?: Record<string, string[]> };
};

/**
 * Asserts an error in the /v1 envelope: the status, JSON (never an HTML page), code, message,
 * and a request id that is also in the X-Request-Id header.
 */
export async function expectApiError(response: APIResponse, status: number, code: string): Promise<ErrorBody> {
  const text = await response.text();
  const where = `${response.url()} -> ${response.status()} ${text.slice(0, 500)}`;
  expect(response.status(), where).toBe(status);
  expect(response.headers()["content-type"], where).toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body), where).toEqual(["error"]);
  expect(body.error.code, where).toBe(code);
  expect(typeof body.error.message, where).toBe("string");
  expect(body.error.message.length, where).toBeGreaterThan(0);
  expect(body.error.requestId, where).toBeTruthy();
  expect(response.headers()["x-request-id"], where).toBe(body.error.requestId);
  return body;
}

/** Asserts a successful JSON response and returns its body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body of any shape; specs name the type they expect
export async function expectJson<T = Record<string, any>>(response: APIResponse, status = 200): Promise<T> {
  const text = await response.text();
  expect(response.status(), `${response.url()} -> ${response.status()} ${text.slice(0, 500)}`).toBe(status);
  expect(response.headers()["content-type"]).toMatch(/^application\/json/);
  return JSON.parse(text) as T;
}

/** A key as GET /v1/api-keys/{id} shows it (secret only in create and rotate responses). */
export type ApiKeyJson = {
  id: string;
  name: string;
  description: string | null;
  prefix: string;
  status: "active" | "revoked" | "expired";
  expirationState: string;
  authorizationGroup: { id: string; name: string; scopes: string[] };
  ipAllowlist: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  previousSecretValidUntil: string | null;
  secret?: string;
};
export type CreatedKey = ApiKeyJson & { secret: string };

// ---------------------------------------------------------------------------------------------
// The Generate API Key page

export type GenerateOptions = {
  name: string;
  /** The group's name; the option's label is "<name> (<scopes>)". */
  group: string;
  /** An option label of the Expiration Date select, e.g. "Never expires", "1 hour". */
  expiration?: string;
  ipAllowlist?: string;
};

/** Fills and submits the Generate API Key form; leaves the show-once secret dialog open. */
export async function submitGenerateForm(page: Page, options: GenerateOptions) {
  await page.goto("/tenant-api-keys/new");
  await page.getByLabel("Key Name").fill(options.name);
  const group = page.getByLabel("Authorization Group");
  const option = group.locator("option").filter({ hasText: new RegExp(`^${escapeRegExp(options.group)}( \\(|$)`) });
  await expect(option).toHaveCount(1);
  await group.selectOption((await option.getAttribute("value"))!);
  if (options.expiration) await page.getByLabel("Expiration Date", { exact: true }).selectOption({ label: options.expiration });
  if (options.ipAllowlist) await page.getByLabel("IP Allowlist").fill(options.ipAllowlist);
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page.getByTestId("api-key-secret")).toBeVisible();
}

/**
 * Closes the show-once dialog the way a user does, back to the list: once the secret was
 * copied Close closes; otherwise it asks first (components/show-once-dialog.tsx).
 */
export async function closeSecretDialog(page: Page, { copied = false } = {}) {
  await page.getByRole("button", { name: "Close", exact: true }).click();
  if (!copied) await page.getByRole("button", { name: "I have stored it, close" }).click();
  await expect(page).toHaveURL(/\/tenant-api-keys\?highlight=\w+$/);
}

/** The key groups the Generate page offers: name -> id. */
async function offeredGroups(page: Page): Promise<Record<string, string>> {
  const options = await page
    .getByLabel("Authorization Group")
    .locator("option")
    .evaluateAll((nodes) => nodes.map((n) => ({ value: (n as HTMLOptionElement).value, text: n.textContent ?? "" })));
  const groups: Record<string, string> = {};
  for (const { value, text } of options) if (value) groups[text.replace(/ \(.*\)$/, "").trim()] = value;
  return groups;
}

/** Generates a key through the UI as `role`; returns the secret and the groups on offer. */
export async function generateKeyInUi(
  browser: Browser,
  baseURL: string,
  role: RoleName,
  options: GenerateOptions,
): Promise<{ secret: string; groups: Record<string, string> }> {
  const context = await browser.newContext({ storageState: storageStateFor(role), baseURL });
  try {
    const page = await context.newPage();
    await submitGenerateForm(page, options);
    const secret = (await page.getByTestId("api-key-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^kw_[0-9A-Za-z]{38}$/);
    const groups = await offeredGroups(page);
    await closeSecretDialog(page);
    return { secret, groups };
  } finally {
    await context.close();
  }
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ---------------------------------------------------------------------------------------------
// Bootstrap keys, one per tenant and run, shared by the workers

export type Bootstrap = {
  role: RoleName;
  tenant: { id: string; name: string };
  id: string;
  secret: string;
  /** The tenant's key groups (type Tenant API Key): name -> id. */
  groups: Record<string, string>;
};

const BOOTSTRAP_GROUP: Partial<Record<RoleName, string>> = { admin: "Full access", "globex-admin": "Globex automation" };

async function whoami(request: APIRequestContext, secret: string) {
  return request.get("/v1/whoami", { headers: keyHeader(secret) });
}

async function readCachedBootstrap(file: string, request: APIRequestContext): Promise<Bootstrap | null> {
  let cached: Bootstrap;
  try {
    cached = JSON.parse(fs.readFileSync(file, "utf8")) as Bootstrap;
  } catch {
    return null;
  }
  // A file from an earlier run (another database) or a revoked key answers 401.
  const response = await whoami(request, cached.secret);
  if (response.status() !== 200) return null;
  const body = await response.json();
  return body.id === cached.id ? cached : null;
}

async function createBootstrap(browser: Browser, urls: ServerUrls, request: APIRequestContext, role: RoleName) {
  const group = BOOTSTRAP_GROUP[role];
  if (!group) throw new Error(`No bootstrap group for ${role}`);
  const { secret, groups } = await generateKeyInUi(browser, urls.browser, role, {
    name: `api tests bootstrap ${role} ${Date.now().toString(36)}`,
    group,
  });
  const me = await expectJson(await whoami(request, secret));
  const bootstrap: Bootstrap = { role, tenant: me.tenant, id: me.id, secret, groups };
  return bootstrap;
}

/**
 * The tenant's bootstrap key: the one another worker made in this run, or a new one. A lock
 * directory makes sure that only one worker at a time checks the file or generates the key; the
 * check (one request, which fails for a file from an earlier run) happens only under the lock,
 * so that waiting never piles up failed attempts.
 */
export async function bootstrapKey(
  browser: Browser,
  playwright: PlaywrightWorkerArgs["playwright"],
  urls: ServerUrls,
  role: RoleName,
): Promise<Bootstrap> {
  const dir = path.join(ROOT, "e2e", ".auth");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `api-bootstrap-${role}.json`);
  const lock = `${file}.lock`;
  const request = await playwright.request.newContext({
    baseURL: urls.trusted,
    extraHTTPHeaders: { "X-Forwarded-For": uniqueClientAddress() },
  });
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        fs.mkdirSync(lock);
      } catch {
        // Another worker holds it; a lock older than a minute belongs to a dead worker.
        const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > 60_000) fs.rmSync(lock, { recursive: true, force: true });
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
        await sleep(200);
        continue;
      }
      try {
        const cached = await readCachedBootstrap(file, request);
        if (cached) return cached;
        const made = await createBootstrap(browser, urls, request, role);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(made, null, 2));
        fs.renameSync(`${file}.tmp`, file);
        return made;
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
    }
  } finally {
    await request.dispose();
  }
}

/** The id of any of a tenant's authorization groups, straight from the e2e database (read only). */
export async function groupIdFromDatabase(tenantId: string, groupName: string): Promise<string> {
  const row = await (await e2eDb()).authorizationGroup.findFirst({ where: { tenantId, name: groupName }, select: { id: true } });
  if (!row) {
    throw new Error(`No group "${groupName}" for tenant ${tenantId}: is the server on this port serving this checkout's database?`);
  }
  return row.id;
}

// ---------------------------------------------------------------------------------------------
// A tenant as its bootstrap key sees it through the API

export class TenantApi {
  /** Keys this test created: revoked when the test ends. */
  readonly created: string[] = [];
  /** Signed tokens this test issued (jtis): revoked when the test ends, since a live token takes a place of the key limit. */
  readonly tokens: string[] = [];

  constructor(
    readonly request: APIRequestContext,
    readonly bootstrap: Bootstrap,
  ) {}

  get auth(): Record<string, string> {
    return keyHeader(this.bootstrap.secret);
  }

  groupId(name: string): string {
    const id = this.bootstrap.groups[name];
    if (!id) throw new Error(`${this.bootstrap.tenant.name} has no key group "${name}"`);
    return id;
  }

  /** POST /v1/api-keys; `group` names the group (default: the bootstrap key's). */
  async create(body: Record<string, unknown> & { group?: string }): Promise<CreatedKey> {
    const { group, ...rest } = body;
    const data = { groupId: this.groupId(group ?? BOOTSTRAP_GROUP[this.bootstrap.role]!), ...rest };
    const response = await this.request.post("/v1/api-keys", { headers: this.auth, data });
    const key = await expectJson<CreatedKey>(response, 201);
    this.created.push(key.id);
    expect(key.secret).toMatch(/^kw_[0-9A-Za-z]{38}$/);
    return key;
  }

  /** POST /v1/tokens with the bootstrap key (or `headers`); the token is revoked when the test ends. */
  async issueToken<T extends { claims: { jti: string } }>(data: Record<string, unknown>, headers = this.auth): Promise<T> {
    const issued = await expectJson<T>(await this.request.post("/v1/tokens", { headers, data }), 201);
    this.tokens.push(issued.claims.jti);
    return issued;
  }

  async get(id: string): Promise<ApiKeyJson> {
    return expectJson<ApiKeyJson>(await this.request.get(`/v1/api-keys/${id}`, { headers: this.auth }));
  }

  async list(query: Record<string, string | number>) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return expectJson<{ data: ApiKeyJson[]; pagination: { page: number; pageSize: number; total: number } }>(
      await this.request.get(`/v1/api-keys?${params}`, { headers: this.auth }),
    );
  }

  async revoke(id: string): Promise<ApiKeyJson> {
    return expectJson<ApiKeyJson>(await this.request.delete(`/v1/api-keys/${id}`, { headers: this.auth }));
  }

  /** Revokes every key this test created that is still active, and every token it issued. */
  async cleanup() {
    for (const jti of this.tokens) {
      const response = await this.request.delete(`/v1/tokens/${jti}`, { headers: this.auth });
      if (response.status() !== 200) throw new Error(`Cleanup of token ${jti} failed: ${response.status()} ${await response.text()}`);
    }
    for (const id of this.created) {
      const response = await this.request.delete(`/v1/api-keys/${id}`, { headers: this.auth });
      // 409: already revoked by the test itself.
      if (![200, 409].includes(response.status())) {
        throw new Error(`Cleanup of key ${id} failed: ${response.status()} ${await response.text()}`);
      }
    }
  }
}

type TestFixtures = {
  /** Server addresses derived from the project's baseURL. */
  urls: ServerUrls;
  /** Requests through the trusted proxy 127.0.0.1, from this test's own client address. */
  api: APIRequestContext;
  /** This test's simulated client address (the X-Forwarded-For that `api` sends). */
  clientAddress: string;
  acme: TenantApi;
  globex: TenantApi;
};
type WorkerFixtures = { acmeBootstrap: Bootstrap; globexBootstrap: Bootstrap };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // Every request context a spec makes (the fixtures' and its own) checks each response against
  // the OpenAPI document (openapi-validator.ts): an undocumented status, a missing header or a
  // body off its schema fails the test that received it.
  playwright: [
    async ({ playwright }, use) => {
      const request = new Proxy(playwright.request, {
        get(target, property, receiver) {
          if (property !== "newContext") return Reflect.get(target, property, receiver);
          return async (...args: Parameters<typeof target.newContext>) => validatingContext(await target.newContext(...args));
        },
      });
      await use(new Proxy(playwright, { get: (target, property, receiver) => (property === "request" ? request : Reflect.get(target, property, receiver)) }));
    },
    { scope: "worker" },
  ],
  acmeBootstrap: [
    async ({ browser, playwright }, use, workerInfo) => {
      await use(await bootstrapKey(browser, playwright, serverUrls(workerInfo.project.use.baseURL), "admin"));
    },
    { scope: "worker", timeout: 90_000 },
  ],
  globexBootstrap: [
    async ({ browser, playwright }, use, workerInfo) => {
      await use(await bootstrapKey(browser, playwright, serverUrls(workerInfo.project.use.baseURL), "globex-admin"));
    },
    { scope: "worker", timeout: 90_000 },
  ],
  urls: async ({ baseURL }, use) => {
    await use(serverUrls(baseURL));
  },
  clientAddress: async ({}, use) => {
    await use(uniqueClientAddress());
  },
  api: async ({ playwright, urls, clientAddress }, use) => {
    const context = await playwright.request.newContext({
      baseURL: urls.trusted,
      extraHTTPHeaders: { "X-Forwarded-For": clientAddress },
    });
    await use(context);
    await context.dispose();
  },
  acme: async ({ api, acmeBootstrap }, use) => {
    const tenant = new TenantApi(api, acmeBootstrap);
    await use(tenant);
    await tenant.cleanup();
  },
  globex: async ({ api, globexBootstrap }, use) => {
    const tenant = new TenantApi(api, globexBootstrap);
    await use(tenant);
    await tenant.cleanup();
  },
});

export { expect };
