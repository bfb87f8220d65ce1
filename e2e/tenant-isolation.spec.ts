// Foundation: what each tenant's members see in the key list, and what they never see.
//
// The e2e/api suite creates (and revokes) keys of its own in both tenants while these tests run,
// so the assertions here are about the seeded keys and about every row shown, never about how
// many keys there are in total. The exact seeded numbers (4 of 10 active) are checked in
// lib/db/seed.test.ts.
import { expect, test } from "@playwright/test";
import {
  ACME_GROUPS,
  ACME_KEYS,
  GLOBEX_GROUPS,
  GLOBEX_KEYS,
  KEY_LIST_ALL,
  columnTexts,
  expectKeyTable,
  keyCell,
  keyRow,
  keyPrefix,
  storageStateFor,
} from "./demo";

// The display prefix: the tag and 8 random characters, never more of the secret.
const PREFIX = /^kw_[0-9A-Za-z]{8}…?$/;
const ACME_KEY_GROUPS = ["Read only", "Full access"]; // "Support staff" is a group for people, never for keys

test.describe("operator of Acme", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("sees Acme's keys with prefix, status, group and the key usage", async ({ page }) => {
    await page.goto(KEY_LIST_ALL);
    await expectKeyTable(page);

    // "N/10 keys": N is exactly the number of active keys the same page lists (the 4 seeded ones
    // and any that e2e/api holds at that moment). e2e/api may create or revoke one between the
    // page's two reads, so the page is loaded again until both agree.
    await expect
      .poll(async () => {
        await page.goto(KEY_LIST_ALL);
        const usage = page.getByText(/^\d+\/10 keys$/);
        await expect(usage).toBeVisible();
        const used = Number((await usage.textContent())!.split("/")[0]);
        const active = (await columnTexts(page, "Status")).filter((status) => /^Active/.test(status)).length;
        return { used, listed: used === active ? "the same" : active };
      })
      .toEqual({ used: expect.any(Number), listed: "the same" });

    for (const [name, status] of Object.entries(ACME_KEYS)) {
      await expect(keyRow(page, name), name).toHaveCount(1);
      await expect((await keyCell(page, name, "Status")).getByText(status, { exact: true }), name).toBeVisible();
      await expect(keyPrefix(page, name), name).toHaveText(PREFIX);
    }
    // Every key shown, seeded or not, belongs to one of Acme's key groups.
    const groups = await columnTexts(page, "Authorization group");
    expect(groups.length).toBeGreaterThanOrEqual(Object.keys(ACME_KEYS).length);
    for (const group of groups) expect(ACME_KEY_GROUPS, group).toContain(group);
    for (const text of [...Object.keys(GLOBEX_KEYS), ...GLOBEX_GROUPS]) {
      await expect(page.getByText(text, { exact: true }), text).toHaveCount(0);
    }
  });

  test("cannot generate keys: the button is disabled and says why", async ({ page }) => {
    await page.goto("/tenant-api-keys");
    const generate = page.getByRole("button", { name: "Generate API Key" });
    await expect(generate).toBeDisabled();
    await expect(generate).toHaveAccessibleDescription(/read-only/);
  });
});

test.describe("admin of Globex", () => {
  test.use({ storageState: storageStateFor("globex-admin") });

  test("sees Globex's key and none of Acme's keys or groups", async ({ page }) => {
    await page.goto(KEY_LIST_ALL);
    await expectKeyTable(page);
    for (const [name, status] of Object.entries(GLOBEX_KEYS)) {
      await expect(keyRow(page, name), name).toHaveCount(1);
      await expect((await keyCell(page, name, "Status")).getByText(status, { exact: true }), name).toBeVisible();
    }
    // Every key shown belongs to Globex's one key group.
    const groups = await columnTexts(page, "Authorization group");
    expect(groups.length).toBeGreaterThanOrEqual(1);
    for (const group of groups) expect([...GLOBEX_GROUPS], group).toContain(group);

    // Nothing of Acme anywhere on the page: key names, group names (also not in any filter).
    for (const text of [...Object.keys(ACME_KEYS), ...ACME_GROUPS]) {
      await expect(page.getByText(text, { exact: true }), text).toHaveCount(0);
    }
    // (Globex's seeded key description mentions Acme, so only the chrome is checked for the name.)
    await expect(page.getByRole("banner")).not.toContainText("Acme");
    await expect(page.getByRole("navigation", { name: "Main" })).not.toContainText("Acme");
    await expect(page.getByRole("combobox", { name: "Tenant" })).toHaveCount(0);
  });

  test("cannot reach Acme's keys through list filters or search", async ({ page }) => {
    for (const query of [
      "?q=ERP",
      "?q=Contractor&status=revoked",
      "?expiry=expired",
      "?q=Acme",
      "?status=active,revoked&expiry=valid,expiring_soon,expired&pageSize=100",
    ]) {
      await page.goto(`/tenant-api-keys${query}`);
      await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
      for (const name of Object.keys(ACME_KEYS)) {
        await expect(page.getByText(name, { exact: true }), `${query} ${name}`).toHaveCount(0);
      }
    }
  });

  test("cannot open an Acme key's page by its id", async ({ page, browser }) => {
    // Find the id of an Acme key as Acme's owner sees it (rows carry data-key-id).
    const owner = await browser.newContext({ storageState: storageStateFor("owner") });
    try {
      const ownerPage = await owner.newPage();
      await ownerPage.goto(KEY_LIST_ALL);
      const id = await keyRow(ownerPage, "ERP Integration").getAttribute("data-key-id");
      expect(id).toMatch(/^\w{10,}$/);

      const response = await page.goto(`/tenant-api-keys/${id}`);
      expect(response?.status(), "status of another tenant's key page").toBe(404);
      await expect(page.getByText("ERP Integration", { exact: true })).toHaveCount(0);
      await expect(page.locator("body")).not.toContainText("Nightly order sync from the ERP");
    } finally {
      await owner.close();
    }
  });
});
