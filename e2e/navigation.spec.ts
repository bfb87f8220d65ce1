// Foundation: every demo role reaches the API keys list through Settings → Data & Monitoring.
import { expect, test } from "@playwright/test";
import { ROLES, ROLE_NAMES, expectKeyTable, storageStateFor } from "./demo";

for (const role of ROLE_NAMES) {
  test.describe(`${role} (${ROLES[role].email})`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("reaches API Keys through Settings → Data & Monitoring and sees the table", async ({ page }) => {
      await page.goto("/");
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Settings", exact: true }).click();
      await expect(page).toHaveURL(/\/settings$/);
      await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

      const section = page
        .getByRole("main")
        .locator("section")
        .filter({ has: page.getByRole("heading", { name: "Data & Monitoring" }) });
      await expect(section).toBeVisible();
      await section.getByRole("link", { name: "API Keys", exact: true }).click();

      await expect(page).toHaveURL(/\/tenant-api-keys$/);
      await expectKeyTable(page);
      await expect(nav.getByRole("link", { name: "API Keys", exact: true })).toHaveAttribute("aria-current", "page");
    });

    test("the sidebar lists API Keys under Settings and Data & Monitoring", async ({ page }) => {
      await page.goto("/settings");
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByText("Data & Monitoring", { exact: true })).toBeVisible();
      await nav.getByRole("link", { name: "API Keys", exact: true }).click();
      await expect(page).toHaveURL(/\/tenant-api-keys$/);
      await expectKeyTable(page);
    });

    test("the header shows the tenant, the role and a Sign out button", async ({ page }) => {
      await page.goto("/tenant-api-keys");
      const header = page.getByRole("banner");
      await expect(header.getByText(ROLES[role].roleLabel, { exact: true })).toBeVisible();
      await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
      const switcher = header.getByRole("combobox", { name: "Tenant" });
      if (role === "super") {
        // The super user has no membership but sees every tenant (read-only).
        await expect(switcher).toBeVisible();
        // Other specs add tenants of their own ("Initech-…") while this runs: Acme and Globex
        // must be offered, sorted by name, whatever else exists.
        const options = await switcher.locator("option").allTextContents();
        expect(options.slice(0, 2)).toEqual(["Acme", "Globex"]);
        await expect(switcher.locator("option:checked")).toHaveText(ROLES[role].tenant);
      } else {
        await expect(switcher).toHaveCount(0);
        await expect(header.getByText(ROLES[role].tenant, { exact: true })).toBeVisible();
      }
    });
  });
}
