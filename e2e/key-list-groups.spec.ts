// Issue 15, "the list filters and groups by environment and service account": the keys list's
// Group by (lib/api-keys/grouped.ts) shows a header row per group with the group's whole count,
// groups by name with "No service account" last, repeats a header (marked continued) when a group
// runs on past a page boundary, keeps ?groupBy= on reload, and works as cards on a phone.
// And the key page's request log marks the entries of a signed token exchanged from the key, and
// its Key / Token filter shows either (in the URL, and in the CSV export).
import { expect, insertKeys, test } from "./fixtures/tenant";
import { e2eDb } from "./fixtures/db";
import type { Locator } from "@playwright/test";

test.describe.configure({ timeout: 90_000 });

/** Each header of the list as "name|count", in order. */
async function headers(list: Locator) {
  return list.locator("[data-group-header]").evaluateAll((rows) =>
    rows.map((row) => `${row.querySelector("[data-testid=group-name]")?.textContent}|${row.querySelector("[data-testid=group-count]")?.textContent}`),
  );
}

test("groups the keys list by service account and by environment, across pages, kept in the URL", async ({ ownerPage: page, tenant }) => {
  const db = await e2eDb();
  // Created in the opposite of name order, "beta" capitalised: the groups go by name, case aside.
  const beta = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "Beta-bridge", ownerUserId: tenant.owner.id }, select: { id: true } });
  const alpha = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "alpha-worker", ownerUserId: tenant.owner.id }, select: { id: true } });
  const envs = Object.fromEntries((await db.environment.findMany({ where: { tenantId: tenant.id }, select: { id: true, name: true } })).map((e) => [e.name, e.id]));
  await insertKeys(tenant, [
    ...Array.from({ length: 3 }, (_, i) => ({ name: `beta key ${i}`, serviceAccountId: beta.id, environmentId: envs.staging })),
    ...Array.from({ length: 9 }, (_, i) => ({ name: `alpha key ${i}`, serviceAccountId: alpha.id })),
    ...Array.from({ length: 2 }, (_, i) => ({ name: `loose key ${i}`, environmentId: envs.development })),
  ]);

  await page.goto("/tenant-api-keys?pageSize=10");
  const table = page.getByRole("table");
  await expect(table.getByRole("row").filter({ hasText: "loose key 0" })).toBeVisible();
  await expect(table.locator("[data-group-header]")).toHaveCount(0);
  await page.getByLabel("Group by").selectOption({ label: "Service account" });
  await expect(page).toHaveURL(/[?&]groupBy=serviceAccount(&|$)/);
  // Page 1: alpha-worker's 9 keys (newest first inside it), then the first of Beta-bridge's 3.
  await expect.poll(() => headers(table)).toEqual(["alpha-worker|9 keys", "Beta-bridge|3 keys"]);
  const names = () => table.locator("tr[data-key-id]").evaluateAll((rows) => rows.map((row) => row.querySelector("a")?.textContent));
  expect(await names()).toEqual([...Array.from({ length: 9 }, (_, i) => `alpha key ${8 - i}`), "beta key 2"]);
  await expect(page.getByTestId("grouped-keys-only")).toBeVisible();

  // Page 2: Beta-bridge runs on (its header again, continued), then the keys without one, last.
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  await expect.poll(() => headers(table)).toEqual(["Beta-bridge|3 keys", "No service account|2 keys"]);
  await expect(table.locator("[data-group-header]").first()).toContainText("(continued)");
  expect(await names()).toEqual(["beta key 1", "beta key 0", "loose key 1", "loose key 0"]);

  // A reload keeps the grouping and the page.
  await page.reload();
  await expect(page.getByLabel("Group by")).toHaveValue("serviceAccount");
  await expect.poll(() => headers(table)).toEqual(["Beta-bridge|3 keys", "No service account|2 keys"]);

  // By environment, with a filter: the counts are the filtered ones.
  await page.getByLabel("Group by").selectOption({ label: "Environment" });
  await expect(page).toHaveURL(/[?&]groupBy=environment(&|$)/);
  await expect(page).not.toHaveURL(/[?&]page=/);
  await expect.poll(() => headers(table)).toEqual(["development|2 keys", "production|9 keys"]);
  await page.getByLabel("Search keys").fill("beta");
  await expect.poll(() => headers(table)).toEqual(["staging|3 keys"]);
  await page.getByLabel("Group by").selectOption({ label: "None" });
  await expect(page).not.toHaveURL(/groupBy=/);
  await expect(table.locator("[data-group-header]")).toHaveCount(0);
});

test("a phone shows the grouped list's headers between the cards", async ({ ownerPage: page, tenant }) => {
  const db = await e2eDb();
  const account = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "phone-bot", ownerUserId: tenant.owner.id }, select: { id: true } });
  await insertKeys(tenant, [{ name: "Owned phone key", serviceAccountId: account.id }, { name: "Loose phone key" }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/tenant-api-keys?groupBy=serviceAccount");
  const cards = page.getByRole("list", { name: "API keys" });
  await expect.poll(() => headers(cards)).toEqual(["phone-bot|1 key", "No service account|1 key"]);
  // No sideways scrolling: the headers fit the phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("the key page's request log marks a signed token's entries with its jti and filters by Key / Token", async ({ ownerPage: page, tenant }) => {
  const [key] = await insertKeys(tenant, [{ name: "Exchanged key" }]);
  const issued = await page.request.post("/v1/tokens", { headers: { "X-API-Key": key.secret }, data: { expiresIn: "15m", scopes: ["api_keys:read"] } });
  expect(issued.status()).toBe(201);
  const { token, claims } = (await issued.json()) as { token: string; claims: { jti: string } };
  const stamp = Date.now();
  const tokenRequest = `req_e2e_token_${stamp}`;
  const keyRequest = `req_e2e_key_${stamp}`;
  expect((await page.request.get("/v1/whoami", { headers: { Authorization: `Bearer ${token}`, "X-Request-Id": tokenRequest } })).status()).toBe(200);
  expect((await page.request.get("/v1/whoami", { headers: { "X-API-Key": key.secret, "X-Request-Id": keyRequest } })).status()).toBe(200);

  await page.goto(`/tenant-api-keys/${encodeURIComponent(key.id)}`);
  const log = page.getByRole("region", { name: "Request log" });
  // Written by the next flush, not by the request.
  await expect(async () => {
    await page.reload();
    await expect(log.getByRole("cell", { name: tokenRequest })).toBeVisible({ timeout: 1_000 });
    await expect(log.getByRole("cell", { name: keyRequest })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const badge = log.getByRole("row").filter({ hasText: tokenRequest }).getByTestId("token-badge");
  await expect(badge).toContainText(`Token jwt_${claims.jti.slice(0, 8)}…`);
  await expect(badge).toHaveAttribute("title", `Signed token, jti ${claims.jti}`);
  await expect(log.getByRole("row").filter({ hasText: keyRequest }).getByTestId("token-badge")).toHaveCount(0);

  // The Key / Token filter: kept in the URL (and on reload), and the CSV export takes it along.
  await log.getByLabel("Key / Token").selectOption({ label: "Token" });
  await log.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]via=token/);
  await expect(log.getByRole("cell", { name: tokenRequest })).toBeVisible();
  await expect(log.getByRole("cell", { name: keyRequest })).toHaveCount(0);
  await page.reload();
  await expect(log.getByLabel("Key / Token")).toHaveValue("token");
  await expect(log.getByRole("cell", { name: keyRequest })).toHaveCount(0);
  const exportHref = await log.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(exportHref).toContain("via=token");
  const csv = (await (await page.request.get(exportHref!)).text()).trim().split("\r\n");
  expect(csv.slice(1).map((line) => line.split(",")[1])).toEqual([tokenRequest]);
  expect(csv[1].endsWith(`,${claims.jti}`)).toBe(true);

  await log.getByLabel("Key / Token").selectOption({ label: "Key" });
  await log.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]via=key/);
  await expect(log.getByRole("cell", { name: keyRequest })).toBeVisible();
  await expect(log.getByRole("cell", { name: tokenRequest })).toHaveCount(0);
});
