// Search, paging, empty states and sorting of the key list, and the audit filter bar's wrap
// (issue #16, items 8, 13 and 18).
import { columnTexts, keyPrefix } from "./demo";
import { DAY, expect, insertKeys, test } from "./fixtures/tenant";
import { shownPrefix } from "./fixtures/ui";

const shownNames = (page: import("@playwright/test").Page) =>
  page.getByRole("table").locator("tbody").getByRole("link").allTextContents();

test("search finds a key by its name, by a prefix pasted from a log, and by its description", async ({ ownerPage: page, tenant }) => {
  const [erp, , billing] = await insertKeys(tenant, [
    { name: "ERP sync", description: "Nightly order push" },
    { name: "Mobile app" },
    { name: "Billing bridge", description: "Invoices to the ledger" },
  ]);
  await page.goto("/tenant-api-keys");
  const search = page.getByRole("searchbox", { name: "Search keys" });

  await search.fill("erp");
  await expect.poll(() => shownNames(page)).toEqual(["ERP sync"]);

  // The first characters of a prefix, as a log line shows them, and the whole shown prefix with its ellipsis.
  await search.fill(erp.prefix.slice(0, 7));
  await expect.poll(() => shownNames(page)).toEqual(["ERP sync"]);
  await search.fill(shownPrefix(billing.prefix));
  await expect.poll(() => shownNames(page)).toEqual(["Billing bridge"]);
  await expect(keyPrefix(page, "Billing bridge")).toHaveText(shownPrefix(billing.prefix));

  await search.fill("ledger");
  await expect.poll(() => shownNames(page)).toEqual(["Billing bridge"]);
  await expect(page).toHaveURL(/[?&]q=ledger(&|$)/);

  await search.fill("nothing like this");
  await expect(page.getByText("No API keys match these filters.")).toBeVisible();
});

test("a page past the end shows the last page, not an empty range", async ({ ownerPage: page, tenant }) => {
  await insertKeys(tenant, Array.from({ length: 13 }, (_, i) => ({ name: `Key ${String(i + 1).padStart(2, "0")}` })));
  await page.goto("/tenant-api-keys?page=99&pageSize=10");
  const pagination = page.getByRole("navigation", { name: "Pagination" });
  await expect(pagination.getByText("11–13 of 13 keys")).toBeVisible();
  await expect(pagination.getByText("Page 2 of 2")).toBeVisible();
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(3);
  await expect(pagination.getByRole("button", { name: "Next" })).toBeDisabled();
  await pagination.getByRole("button", { name: "Previous" }).click();
  await expect(pagination.getByText("1–10 of 13 keys")).toBeVisible();
});

test("a tenant without keys gets a first-key empty state with Generate, not 'no match'", async ({ ownerPage: page }) => {
  await page.goto("/tenant-api-keys");
  const empty = page.getByRole("region", { name: "No API keys yet" });
  await expect(empty).toBeVisible();
  await expect(page.getByText("No API keys match these filters.")).toHaveCount(0);
  await empty.getByRole("link", { name: "Generate your first key" }).click();
  await expect(page).toHaveURL(/\/tenant-api-keys\/new$/);

  // With a filter on, an empty result is the "no match" message instead.
  await page.goto("/tenant-api-keys?status=revoked");
  await expect(page.getByText("No API keys match these filters.")).toBeVisible();
  await expect(page.getByRole("region", { name: "No API keys yet" })).toHaveCount(0);
});

test("the first click on Name sorts A-Z, the second Z-A", async ({ ownerPage: page, tenant }) => {
  const now = Date.now();
  // Created in the order B, C, A: the default order (newest first) is A, C, B.
  await insertKeys(tenant, [
    { name: "Bravo", createdAt: new Date(now - 3 * DAY) },
    { name: "Charlie", createdAt: new Date(now - 2 * DAY) },
    { name: "Alpha", createdAt: new Date(now - DAY) },
  ]);
  await page.goto("/tenant-api-keys");
  const header = page.getByRole("columnheader", { name: "Name" });
  await header.getByRole("button").click();
  await expect(page).toHaveURL(/[?&]sort=name&order=asc(&|$)/);
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(() => shownNames(page)).toEqual(["Alpha", "Bravo", "Charlie"]);
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => shownNames(page)).toEqual(["Charlie", "Bravo", "Alpha"]);
  expect(await columnTexts(page, "Status")).toEqual(["Active", "Active", "Active"]);
});

test("the audit filter bar never wraps Reset alone onto a line", async ({ ownerPage: page }) => {
  await page.goto("/audit-log");
  const apply = page.getByRole("button", { name: "Apply filters" });
  const reset = page.getByRole("button", { name: "Reset", exact: true });
  for (const width of [1440, 1280, 1180, 1100, 1024, 900, 768, 600, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expect
      .poll(async () => {
        const [a, r] = [await apply.boundingBox(), await reset.boundingBox()];
        return Math.abs(a!.y - r!.y);
      }, { message: `Apply and Reset on one line at ${width} px` })
      .toBeLessThan(2);
  }
});
