// Foundation: what each tenant's members see in the key list, and what they never see.
import { expect, test } from "@playwright/test";
import {
  ACME_GROUPS,
  ACME_KEYS,
  GLOBEX_GROUPS,
  GLOBEX_KEYS,
  expectKeyTable,
  keyCell,
  keyRow,
  storageStateFor,
} from "./demo";

// The display prefix: the tag and 8 random characters, never more of the secret.
const PREFIX = /^kw_[0-9A-Za-z]{8}…?$/;

test.describe("operator of Acme", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("sees Acme's keys with prefix, status and usage", async ({ page }) => {
    await page.goto("/tenant-api-keys");
    await expectKeyTable(page);
    await expect(page.getByText("4/10 keys", { exact: true })).toBeVisible();
    for (const [name, status] of Object.entries(ACME_KEYS)) {
      const row = keyRow(page, name);
      await expect(row, name).toHaveCount(1);
      await expect((await keyCell(page, name, "Status")).getByText(status, { exact: true }), name).toBeVisible();
      await expect(await keyCell(page, name, "Key prefix"), name).toHaveText(PREFIX);
    }
    await expect(page.getByRole("main")).not.toContainText("Globex");
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
    await page.goto("/tenant-api-keys");
    const table = await expectKeyTable(page);
    for (const [name, status] of Object.entries(GLOBEX_KEYS)) {
      const row = keyRow(page, name);
      await expect(row, name).toHaveCount(1);
      await expect((await keyCell(page, name, "Status")).getByText(status, { exact: true }), name).toBeVisible();
    }
    await expect(keyRow(page, GLOBEX_GROUPS[0])).toHaveCount(1);
    // One header row plus Globex's one key.
    await expect(table.getByRole("row")).toHaveCount(2);

    const body = page.locator("body");
    for (const name of [...Object.keys(ACME_KEYS), ...ACME_GROUPS]) {
      await expect(body, name).not.toContainText(name);
    }
    // (Globex's seeded key description mentions Acme, so only the chrome is checked for the name.)
    await expect(page.getByRole("banner")).not.toContainText("Acme");
    await expect(page.getByRole("navigation", { name: "Main" })).not.toContainText("Acme");
    await expect(page.getByRole("combobox", { name: "Tenant" })).toHaveCount(0);
  });

  test("cannot reach Acme's keys through list filters or search", async ({ page }) => {
    for (const query of ["?q=ERP", "?q=Contractor&status=revoked", "?expiry=expired", "?q=Acme"]) {
      await page.goto(`/tenant-api-keys${query}`);
      await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
      for (const name of Object.keys(ACME_KEYS)) {
        await expect(page.locator("body"), `${query} ${name}`).not.toContainText(name);
      }
    }
  });
});
