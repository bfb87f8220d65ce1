// The key list's filters, search, sort and pagination: each lives in the URL and survives a
// reload; and the warnings banner's links filter the list.
//
// Tenants: Acme's seeded keys, read by its operator (nothing here changes Acme). e2e/api adds
// keys to Acme while this runs, so the Acme assertions are about the seeded keys and about
// every row shown, never about totals. Pagination and the banner need exact numbers and keys of
// a certain age: those tests seed their own tenant.
import type { Page } from "@playwright/test";
import { ACME_KEYS, columnTexts, storageStateFor } from "./demo";
import { DAY, expect, insertKeys, test } from "./fixtures/tenant";

// Each test that seeds a tenant also signs in through the form: slow on our 2-core machines.
test.describe.configure({ timeout: 60_000 });

const ALL_ON_ONE_PAGE = "/tenant-api-keys?pageSize=100";
const SEEDED = Object.keys(ACME_KEYS);

/** The key names of the rows shown, in order (each row's one link is its name). */
async function shownNames(page: Page): Promise<string[]> {
  return page.getByRole("table").locator("tbody").getByRole("link").allTextContents();
}

/** The seeded Acme keys shown, in the order shown. */
async function seededShown(page: Page): Promise<string[]> {
  return (await shownNames(page)).filter((name) => SEEDED.includes(name));
}

const filter = (page: Page, legend: string, option: string) =>
  page.getByRole("group", { name: legend }).getByRole("checkbox", { name: option, exact: true });

/** Asserts the list twice: as it is, and after a reload of the same URL. */
async function expectAlsoAfterReload(page: Page, url: RegExp, check: () => Promise<void>) {
  await expect(page).toHaveURL(url);
  await check();
  await page.reload();
  await expect(page).toHaveURL(url);
  await check();
}

test.describe("Acme, as its operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  const cases: { legend: string; option: string; param: RegExp; shown: string[]; rowCheck: (page: Page) => Promise<void> }[] = [
    {
      legend: "Status",
      option: "Active",
      param: /[?&]status=active(&|$)/,
      // Not revoked; the expired key's badge says Expired (expiry is the other filter).
      shown: ["ERP Integration", "Mobile App", "Reporting Exporter", "Staging Scheduler", "Legacy Webhook Relay"],
      rowCheck: async (page) => expect(await columnTexts(page, "Status")).not.toContain("Revoked"),
    },
    {
      legend: "Status",
      option: "Revoked",
      param: /[?&]status=revoked(&|$)/,
      shown: ["Contractor Sync"],
      rowCheck: async (page) => {
        for (const status of await columnTexts(page, "Status")) expect(status).toBe("Revoked");
      },
    },
    {
      legend: "Expiration",
      option: "Valid",
      param: /[?&]expiry=valid(&|$)/,
      // Never-expiring keys are valid.
      shown: ["ERP Integration", "Mobile App", "Staging Scheduler", "Contractor Sync"],
      rowCheck: async (page) => {
        for (const expires of await columnTexts(page, "Expires")) expect(expires).not.toMatch(/Expiring soon|ago/);
      },
    },
    {
      legend: "Expiration",
      option: "Expiring Soon",
      param: /[?&]expiry=expiring_soon(&|$)/,
      shown: ["Reporting Exporter"],
      rowCheck: async (page) => {
        for (const expires of await columnTexts(page, "Expires")) expect(expires).toContain("Expiring soon");
      },
    },
    {
      legend: "Expiration",
      option: "Expired",
      param: /[?&]expiry=expired(&|$)/,
      shown: ["Legacy Webhook Relay"],
      rowCheck: async (page) => {
        for (const status of await columnTexts(page, "Status")) expect(["Expired", "Revoked"]).toContain(status);
      },
    },
  ];

  for (const { legend, option, param, shown, rowCheck } of cases) {
    test(`${legend}: ${option} filters the list, is in the URL and survives a reload`, async ({ page }) => {
      await page.goto(ALL_ON_ONE_PAGE);
      await expect(page.getByRole("table").locator("tbody").getByRole("link", { name: "ERP Integration" })).toBeVisible();
      await filter(page, legend, option).click();
      await expectAlsoAfterReload(page, param, async () => {
        await expect(filter(page, legend, option)).toBeChecked();
        await expect.poll(() => seededShown(page)).toEqual(expect.arrayContaining(shown));
        expect((await seededShown(page)).sort()).toEqual([...shown].sort());
        await rowCheck(page);
      });
    });
  }

  test("search by name (case-insensitive) is in the URL and survives a reload", async ({ page }) => {
    await page.goto(ALL_ON_ONE_PAGE);
    await page.getByRole("searchbox", { name: "Search keys" }).fill("integration");
    await expectAlsoAfterReload(page, /[?&]q=integration(&|$)/, async () => {
      await expect(page.getByRole("searchbox", { name: "Search keys" })).toHaveValue("integration");
      await expect.poll(() => seededShown(page)).toEqual(["ERP Integration"]);
      // The search also matches prefixes and descriptions: each row shown holds the text somewhere.
      for (const text of await page.getByRole("table").locator("tbody tr").allTextContents()) expect(text.toLowerCase()).toContain("integration");
    });
  });

  test("sorting by Last used (header button) orders the rows, both ways, and survives a reload", async ({ page }) => {
    await page.goto(ALL_ON_ONE_PAGE);
    const header = page.getByRole("columnheader", { name: "Last used" });
    // Most recently used first; never-used keys last.
    const newestFirst = ["ERP Integration", "Reporting Exporter", "Mobile App", "Contractor Sync", "Legacy Webhook Relay"];
    const neverUsedLast = async () => {
      const cells = await columnTexts(page, "Last used");
      const firstNever = cells.indexOf("Never used");
      if (firstNever >= 0) expect(cells.slice(firstNever).every((c) => c === "Never used"), cells.join(" | ")).toBe(true);
    };

    await header.getByRole("button").click();
    await expectAlsoAfterReload(page, /[?&]sort=last_used&order=desc(&|$)/, async () => {
      await expect(header).toHaveAttribute("aria-sort", "descending");
      await expect.poll(async () => (await seededShown(page)).filter((n) => newestFirst.includes(n))).toEqual(newestFirst);
      await neverUsedLast();
    });

    await header.getByRole("button").click();
    await expectAlsoAfterReload(page, /[?&]sort=last_used&order=asc(&|$)/, async () => {
      await expect(header).toHaveAttribute("aria-sort", "ascending");
      await expect
        .poll(async () => (await seededShown(page)).filter((n) => newestFirst.includes(n)))
        .toEqual([...newestFirst].reverse());
      await neverUsedLast();
    });
  });

  test("sorting by Expires (header button) orders the rows, both ways, and survives a reload", async ({ page }) => {
    await page.goto(ALL_ON_ONE_PAGE);
    const header = page.getByRole("columnheader", { name: "Expires" });
    const latestFirst = ["ERP Integration", "Staging Scheduler", "Reporting Exporter", "Legacy Webhook Relay"];
    const neverLast = async () => {
      const cells = await columnTexts(page, "Expires");
      const firstNever = cells.indexOf("Never");
      if (firstNever >= 0) expect(cells.slice(firstNever).every((c) => c === "Never"), cells.join(" | ")).toBe(true);
    };

    await header.getByRole("button").click();
    await expectAlsoAfterReload(page, /[?&]sort=expires&order=desc(&|$)/, async () => {
      await expect(header).toHaveAttribute("aria-sort", "descending");
      await expect.poll(async () => (await seededShown(page)).filter((n) => latestFirst.includes(n))).toEqual(latestFirst);
      await neverLast();
    });

    await header.getByRole("button").click();
    await expectAlsoAfterReload(page, /[?&]sort=expires&order=asc(&|$)/, async () => {
      await expect(header).toHaveAttribute("aria-sort", "ascending");
      await expect
        .poll(async () => (await seededShown(page)).filter((n) => latestFirst.includes(n)))
        .toEqual([...latestFirst].reverse());
      await neverLast();
    });
  });
});

test.describe("pagination (own tenant with 25 keys)", () => {
  const names = Array.from({ length: 25 }, (_, i) => `Key ${String(i + 1).padStart(2, "0")}`);
  // Newest first by default; "Key 25" is the newest.
  const newestFirst = [...names].reverse();

  test("the page size is in the URL and survives a reload", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, names.map((name) => ({ name })));
    await page.goto("/tenant-api-keys");
    await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("1–20 of 25 keys");
    await page.getByLabel("Rows per page").selectOption("10");
    await expectAlsoAfterReload(page, /[?&]pageSize=10(&|$)/, async () => {
      await expect(page.getByLabel("Rows per page")).toHaveValue("10");
      await expect.poll(() => shownNames(page)).toEqual(newestFirst.slice(0, 10));
      await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("1–10 of 25 keys");
      await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("Page 1 of 3");
    });
  });

  test("Next and Previous walk the pages; the page is in the URL and survives a reload", async ({
    ownerPage: page,
    tenant,
  }) => {
    await insertKeys(tenant, names.map((name) => ({ name })));
    await page.goto("/tenant-api-keys?pageSize=10");
    const pagination = page.getByRole("navigation", { name: "Pagination" });
    const next = pagination.getByRole("button", { name: "Next" });
    const previous = pagination.getByRole("button", { name: "Previous" });
    await expect(previous).toBeDisabled();

    await next.click();
    await expectAlsoAfterReload(page, /[?&]page=2(&|$)/, async () => {
      await expect.poll(() => shownNames(page)).toEqual(newestFirst.slice(10, 20));
      await expect(pagination).toContainText("11–20 of 25 keys");
      await expect(pagination).toContainText("Page 2 of 3");
    });

    await next.click();
    await expectAlsoAfterReload(page, /[?&]page=3(&|$)/, async () => {
      await expect.poll(() => shownNames(page)).toEqual(newestFirst.slice(20));
      await expect(pagination).toContainText("21–25 of 25 keys");
      await expect(next).toBeDisabled();
    });

    await previous.click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect.poll(() => shownNames(page)).toEqual(newestFirst.slice(10, 20));
    await expect(page).toHaveURL(/[?&]pageSize=10(&|$)/);
  });

  test("changing a filter goes back to page 1", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, names.map((name) => ({ name })));
    await page.goto("/tenant-api-keys?pageSize=10&page=3");
    await expect.poll(() => shownNames(page)).toEqual(newestFirst.slice(20));
    await filter(page, "Status", "Active").click();
    await expect(page).toHaveURL(/[?&]status=active(&|$)/);
    await expect(page).not.toHaveURL(/[?&]page=/);
    await expect.poll(() => shownNames(page)).toEqual(newestFirst.slice(0, 10));
  });
});

test.describe("the warnings banner (own tenant)", () => {
  const now = Date.now();
  const KEYS = [
    { name: "Idle key", createdAt: new Date(now - 50 * DAY), lastUsedAt: new Date(now - 40 * DAY) },
    { name: "Old key", createdAt: new Date(now - 120 * DAY), lastUsedAt: new Date(now - 3_600_000) },
    {
      name: "Soon key",
      // 22 days long, 2 left: inside its last 20%, so expiring soon.
      createdAt: new Date(now - 20 * DAY),
      lastUsedAt: new Date(now - 3_600_000),
      expiresAt: new Date(now + 2 * DAY),
    },
    { name: "Healthy key", createdAt: new Date(now - DAY), lastUsedAt: new Date(now - 3_600_000) },
    // Revoked keys need no attention.
    { name: "Revoked key", status: "revoked" as const, createdAt: new Date(now - 200 * DAY), lastUsedAt: new Date(now - 60 * DAY) },
  ];
  const links = [
    { text: "1 key unused for 30 days or more", url: /[?&]flag=idle(&|$)/, only: "Idle key" },
    { text: "1 key older than the 90-day rotation policy", url: /[?&]flag=needs_rotation(&|$)/, only: "Old key" },
    { text: "1 key expiring soon", url: /[?&]status=active&expiry=expiring_soon(&|$)/, only: "Soon key" },
  ];

  for (const { text, url, only } of links) {
    test(`"${text}" filters the list to that key, and survives a reload`, async ({ ownerPage: page, tenant }) => {
      await insertKeys(tenant, KEYS);
      await page.goto("/tenant-api-keys");
      const banner = page.getByRole("region", { name: "Keys needing attention" });
      await expect(banner.getByRole("link")).toHaveText([
        "1 key expiring soon",
        "1 key unused for 30 days or more",
        "1 key older than the 90-day rotation policy",
      ]);
      await banner.getByRole("link", { name: text }).click();
      await expectAlsoAfterReload(page, url, async () => {
        await expect.poll(() => shownNames(page)).toEqual([only]);
        await expect(page.getByRole("button", { name: "Reset filters" })).toBeVisible();
      });
      await page.getByRole("button", { name: "Reset filters" }).click();
      await expect.poll(async () => (await shownNames(page)).length).toBe(KEYS.length);
    });
  }
});
