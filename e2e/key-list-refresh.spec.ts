// The key list and a key's page follow live traffic without a reload (issue #16, item 15): a
// rollout can be watched as traffic appears in Last used. Playwright's clock stands in for the
// 20 s that the refresh interval waits; a real request through /v1 records the use.
import type { Page } from "@playwright/test";
import { keyCell } from "./demo";
import { e2eDb } from "./fixtures/db";
import { expect, test, type SeededTenant } from "./fixtures/tenant";
import { closeSecretDialog, configValue, generateKey } from "./fixtures/ui";

/** Sends one authenticated request with the key and waits until its use is stored. */
async function recordUse(page: Page, tenant: SeededTenant, secret: string) {
  const response = await page.request.get("/v1/whoami", { headers: { "X-API-Key": secret } });
  expect(response.status()).toBe(200);
  await expect
    .poll(async () => {
      const key = await (await e2eDb()).apiKey.findFirst({ where: { tenantId: tenant.id, prefix: secret.slice(0, 11) }, select: { lastUsedAt: true } });
      return key?.lastUsedAt ?? null;
    })
    .not.toBeNull();
}

test("the list's Last used updates by itself within the refresh interval while the tab is visible", async ({ ownerPage: page, tenant }) => {
  const { secret } = await generateKey(page, { name: "Rollout key", group: "Read only" });
  await closeSecretDialog(page);
  await page.clock.install();
  await page.goto("/tenant-api-keys");
  const lastUsed = await keyCell(page, "Rollout key", "Last used");
  await expect(lastUsed).toHaveText("Never used");

  await recordUse(page, tenant, secret);
  // Stored, but the page has not asked again yet.
  await expect(lastUsed).toHaveText("Never used");
  await page.clock.runFor(20_000);
  await expect(lastUsed).toHaveText("just now");
});

test("the list refreshes when the window gets the focus back", async ({ ownerPage: page, tenant }) => {
  const { secret } = await generateKey(page, { name: "Focus key", group: "Read only" });
  await closeSecretDialog(page);
  await page.goto("/tenant-api-keys");
  const lastUsed = await keyCell(page, "Focus key", "Last used");
  await expect(lastUsed).toHaveText("Never used");
  await recordUse(page, tenant, secret);
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(lastUsed).toHaveText("just now");
});

test("a key's page updates its Last used by itself", async ({ ownerPage: page, tenant }) => {
  const { secret } = await generateKey(page, { name: "Watched key", group: "Read only" });
  await closeSecretDialog(page);
  await page.clock.install();
  await page.getByRole("link", { name: "Watched key", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Watched key" })).toBeVisible();
  await expect(configValue(page, "Last used")).toHaveText("Never used");

  await recordUse(page, tenant, secret);
  await expect(configValue(page, "Last used")).toHaveText("Never used");
  await page.clock.runFor(20_000);
  await expect(configValue(page, "Last used")).not.toHaveText("Never used");
});
