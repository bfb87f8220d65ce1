// The super user's tenant console (/admin): a 404 for everyone else; every tenant's usage; the
// key limit, whose change takes effect at once and is audited in the tenant's log; and a
// read-only look at a tenant's keys.
//
// Tenants: Acme's roles only visit /admin (nothing changes). Every limit change is made on a
// tenant the test seeds itself, with the super user's stored state in a context of its own.
import type { Page } from "@playwright/test";
import { columnTexts, keyRow, storageStateFor } from "./demo";
import { expect, insertKeys, test, type SeededTenant } from "./fixtures/tenant";
import { bodyRows } from "./fixtures/ui";

test.describe.configure({ timeout: 60_000 });

for (const role of ["owner", "admin", "operator"] as const) {
  test.describe(`${role} of Acme`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("/admin is not found (404), on the page and over HTTP", async ({ page }) => {
      const response = await page.goto("/admin");
      expect(response?.status()).toBe(404);
      await expect(page.getByText("This page could not be found.")).toBeVisible();
      await expect(page.getByRole("heading", { name: "Tenants" })).toHaveCount(0);
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin: Tenants" })).toHaveCount(0);

      const direct = await page.request.get("/admin");
      expect(direct.status()).toBe(404);
      expect(await direct.text()).not.toContain("Key limit of");
    });
  });
}

/** The admin page's row of one tenant. */
const tenantRow = (page: Page, name: string) => bodyRows(page).filter({ has: page.getByRole("cell", { name, exact: true }) });

/** Three active keys (and one revoked, which does not count) in a tenant with a limit of 10. */
async function threeKeys(tenant: SeededTenant) {
  await insertKeys(tenant, [{ name: "One" }, { name: "Two" }, { name: "Three" }, { name: "Gone", status: "revoked" }]);
}

async function openAdmin(newPage: (as: { storageState: string }) => Promise<Page>) {
  const page = await newPage({ storageState: storageStateFor("super") });
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
  return page;
}

test("the super user sees every tenant with its key usage against its limit", async ({ tenant, newPage }) => {
  await threeKeys(tenant);
  const page = await openAdmin(newPage);
  const tenants = await columnTexts(page, "Tenant");
  expect(tenants).toEqual(expect.arrayContaining(["Acme", "Globex", tenant.name]));
  expect(tenants).toEqual([...tenants].sort((a, b) => a.localeCompare(b)));
  await expect(tenantRow(page, tenant.name).getByRole("cell", { name: "3/10 keys", exact: true })).toBeVisible();
  // Acme and Globex: their counts change while e2e/api runs; the limits are the seed's.
  for (const name of ["Acme", "Globex"]) {
    await expect(tenantRow(page, name).getByRole("cell", { name: /^\d+\/10 keys$/ })).toBeVisible();
  }
  await expect(page.getByLabel(`Key limit of ${tenant.name}`)).toHaveValue("10");
});

test("lowering a tenant's limit below its count warns, and its owner can no longer generate", async ({
  tenant,
  newPage,
  ownerPage,
}) => {
  await threeKeys(tenant);
  const page = await openAdmin(newPage);
  const row = tenantRow(page, tenant.name);
  await row.getByLabel(`Key limit of ${tenant.name}`).fill("2");
  await expect(row.getByText("Below the 3 keys in use: new keys will be blocked.")).toBeVisible();
  await row.getByRole("button", { name: "Save limit" }).click();
  await expect(row.getByRole("status")).toHaveText(
    `Saved. ${tenant.name} has 3 keys, over the new limit: no new keys until some are revoked.`,
  );
  await expect(row.getByRole("cell", { name: "3/2 keys", exact: true })).toBeVisible();

  await ownerPage.goto("/tenant-api-keys");
  await expect(ownerPage.getByTestId("key-usage")).toHaveText("3/2 keys");
  const generate = ownerPage.getByRole("button", { name: "Generate API Key" });
  await expect(generate).toBeDisabled();
  await expect(generate).toHaveAccessibleDescription("Key limit reached (3/2). Revoke a key or ask support to raise the limit.");
});

test("a limit change appears in that tenant's audit log with the super user as actor", async ({
  tenant,
  newPage,
  ownerPage,
}) => {
  await threeKeys(tenant);
  const page = await openAdmin(newPage);
  const row = tenantRow(page, tenant.name);
  await row.getByLabel(`Key limit of ${tenant.name}`).fill("25");
  await row.getByRole("button", { name: "Save limit" }).click();
  await expect(row.getByRole("status")).toHaveText("Saved.");

  await ownerPage.goto("/audit-log");
  await expect.poll(() => columnTexts(ownerPage, "Action")).toEqual(["Key limit changed"]);
  await expect(bodyRows(ownerPage).first()).toContainText("super@keyward.test");
  await ownerPage.goto("/tenant-api-keys");
  await expect(ownerPage.getByTestId("key-usage")).toHaveText("3/25 keys");
});

test("“View <tenant>'s keys” opens that tenant's list read-only", async ({ tenant, newPage }) => {
  await threeKeys(tenant);
  const page = await openAdmin(newPage);
  await tenantRow(page, tenant.name).getByRole("button", { name: `View ${tenant.name}'s keys` }).click();

  await expect(page).toHaveURL(/\/tenant-api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("combobox", { name: "Tenant" }).locator("option:checked")).toHaveText(
    tenant.name,
  );
  await expect(page.getByRole("banner").getByText("Super user", { exact: true })).toBeVisible();
  for (const name of ["One", "Two", "Three", "Gone"]) await expect(keyRow(page, name), name).toHaveCount(1);

  await expect(page.getByRole("link", { name: "Generate API Key" })).toHaveCount(0);
  const generate = page.getByRole("button", { name: "Generate API Key" });
  await expect(generate).toBeDisabled();
  await expect(generate).toHaveAccessibleDescription(/read-only/);
  await expect(page.getByRole("button", { name: "Revoke all keys" })).toHaveCount(0);
  const actions = page.getByRole("table").getByRole("button", { name: /^(Edit|Rotate|Revoke) / });
  await expect(actions).toHaveCount(9);
  for (const button of await actions.all()) await expect(button).toBeDisabled();
});

test("clearing the limit field and saving is refused with a message; the limit stays", async ({ tenant, newPage }) => {
  await threeKeys(tenant);
  const page = await openAdmin(newPage);
  const row = tenantRow(page, tenant.name);
  await row.getByLabel(`Key limit of ${tenant.name}`).fill("");
  await row.getByRole("button", { name: "Save limit" }).click();
  await expect(row.getByRole("alert")).toHaveText("Enter a key limit.");

  await page.reload();
  const reloaded = tenantRow(page, tenant.name);
  await expect(reloaded.getByLabel(`Key limit of ${tenant.name}`)).toHaveValue("10");
  await expect(reloaded.getByRole("cell", { name: "3/10 keys", exact: true })).toBeVisible();
});
