// The key list on a slow network (issue #16, item 6): every request to the list's page (the
// RSC fetch of a filter change, a server action, a refresh) answers 2 s late. A clicked filter
// ticks at once, a progress indicator shows while the rows load, and after a revoke the row
// never says Active beside a message saying Revoked.
import type { Page } from "@playwright/test";
import { keyCell } from "./demo";
import { expect, insertKeys, test } from "./fixtures/tenant";

const LATENCY_MS = 2_000;

/** From now on, every request for the key list's page waits LATENCY_MS before it goes out. */
async function slowDown(page: Page) {
  await page.route(/\/tenant-api-keys(\?|$)/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
    await route.continue();
  });
}

test("a clicked filter ticks at once and a progress bar shows until the filtered rows arrive", async ({ ownerPage: page, tenant }) => {
  await insertKeys(tenant, [{ name: "Live one" }, { name: "Gone one", status: "revoked" }]);
  await page.goto("/tenant-api-keys");
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(2);
  await slowDown(page);

  const revoked = page.getByRole("group", { name: "Status" }).getByRole("checkbox", { name: "Revoked", exact: true });
  await revoked.click();
  // Well before the server's answer (2 s away): the box is ticked and the list says it is loading.
  await expect(revoked).toBeChecked({ timeout: LATENCY_MS / 2 });
  await expect(page.getByRole("progressbar", { name: "Loading keys" })).toBeVisible({ timeout: LATENCY_MS / 2 });

  await expect(page).toHaveURL(/[?&]status=revoked(&|$)/);
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Gone one", exact: true })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Loading keys" })).toHaveCount(0);
  await expect(revoked).toBeChecked();
});

test("after a revoke the row says Revoked by the time the message does", async ({ ownerPage: page, tenant }) => {
  await insertKeys(tenant, [{ name: "Doomed key" }, { name: "Other key" }]);
  await page.goto("/tenant-api-keys");
  await slowDown(page);

  await page.getByRole("button", { name: "Revoke Doomed key" }).click();
  await page.getByRole("alertdialog", { name: "Revoke API Key" }).getByRole("button", { name: "Revoke", exact: true }).click();
  const message = page.getByText("Revoked Doomed key");
  await expect(message).toBeVisible();
  // Read at once, with no waiting: the status the user sees beside the message.
  const status = await keyCell(page, "Doomed key", "Status");
  expect(await status.textContent()).toBe("Revoked");
  await expect(page.getByRole("button", { name: "Revoke Doomed key" })).toHaveCount(0);
  await expect(page.getByRole("progressbar", { name: "Loading keys" })).toHaveCount(0);
  await expect(status).toHaveText("Revoked");
});
