// Issue 15 in the key list: a key generated from a service account's "+ Create Key" belongs to
// it (pre-filled) and to the environment chosen on the form; its row says both, the list filters
// by environment, and the Edit dialog clears the service account ("None") and keeps the rest.
import { expect, insertKeys, test } from "./fixtures/tenant";
import { e2eDb } from "./fixtures/db";
import { closeSecretDialog, fillGenerateForm } from "./fixtures/ui";

test.describe.configure({ timeout: 90_000 });

test("a key's service account and environment: generated, shown in its row, filtered by, cleared on edit", async ({ ownerPage: page, tenant }) => {
  // This test's tenant comes without service accounts or environments: written here as the
  // Service Accounts page would (that page's own spec is service-accounts.spec.ts).
  const db = await e2eDb();
  const account = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "nightly-scheduler", ownerUserId: tenant.owner.id }, select: { id: true } });
  const [production] = await Promise.all(
    ["production", "staging"].map((name) => db.environment.create({ data: { tenantId: tenant.id, name }, select: { id: true } })),
  );
  await insertKeys(tenant, [{ name: "Unowned key" }]);

  await page.goto(`/service-accounts/${encodeURIComponent(account.id)}`);
  await page.getByRole("link", { name: "+ Create Key" }).click();
  await expect(page).toHaveURL(/\/tenant-api-keys\/new\?/);
  await expect(page.getByLabel("Service account")).toHaveValue(account.id);
  await expect(page.getByLabel("Environment")).toHaveValue("");
  await fillGenerateForm(page, { name: "Scheduler production", group: "Read only" });
  await page.getByLabel("Environment").selectOption({ label: "production" });
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "API key generated" })).toBeVisible();
  await closeSecretDialog(page);

  await expect(page).toHaveURL(/\/tenant-api-keys\?highlight=/);
  const table = page.getByRole("table");
  const row = table.getByRole("row").filter({ hasText: "Scheduler production" });
  const owners = row.getByTestId("key-owners");
  await expect(owners).toHaveText("Service account: nightly-scheduler Environment: production");
  await expect(table.getByRole("row").filter({ hasText: "Unowned key" }).getByTestId("key-owners")).toHaveCount(0);
  expect(await db.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Scheduler production" }, select: { serviceAccountId: true, environmentId: true } })).toEqual({
    serviceAccountId: account.id,
    environmentId: production.id,
  });

  // The toolbar's Environment filter: the URL param the key query reads.
  await page.getByLabel("Environment").selectOption({ label: "production" });
  await expect(page).toHaveURL(new RegExp(`[?&]environment=${production.id}(&|$)`));
  await expect(table.getByRole("row").filter({ hasText: "Unowned key" })).toHaveCount(0);
  await expect(row).toBeVisible();
  await page.getByLabel("Environment").selectOption({ label: "None" });
  await expect(page).toHaveURL(/[?&]environment=none(&|$)/);
  await expect(table.getByRole("row").filter({ hasText: "Unowned key" })).toBeVisible();
  await expect(row).toHaveCount(0);
  await page.getByLabel("Environment").selectOption({ label: "production" });
  await expect(row).toBeVisible();

  // Edit: the dialog shows both; None clears the service account, the environment stays.
  await row.getByRole("button", { name: "Edit Scheduler production" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit API Key" });
  await expect(dialog.getByLabel("Service account")).toHaveValue(account.id);
  await expect(dialog.getByLabel("Environment")).toHaveValue(production.id);
  await dialog.getByLabel("Service account").selectOption({ label: "None" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(owners).toHaveText("Environment: production");
  expect(await db.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Scheduler production" }, select: { serviceAccountId: true, environmentId: true } })).toEqual({
    serviceAccountId: null,
    environmentId: production.id,
  });
});
