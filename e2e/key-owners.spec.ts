// Issue 15 in the key list: a key generated from a service account's "+ Create Key" belongs to
// it (pre-filled) and to the environment chosen on the form (production unless another is
// chosen); its row says both, the list filters by both, and the Edit dialog clears the service
// account ("None") and keeps the rest. A service account deleted while the form is open is a
// field error that keeps what was typed.
import { expect, insertKeys, test } from "./fixtures/tenant";
import { e2eDb } from "./fixtures/db";
import { closeSecretDialog, fillGenerateForm } from "./fixtures/ui";

test.describe.configure({ timeout: 90_000 });

test("a key's service account and environment: generated, shown in its row, filtered by, cleared on edit", async ({ ownerPage: page, tenant }) => {
  // The tenant has the default environments (tests/factory.ts, as every tenant); its service
  // account is written here as the Service Accounts page would (service-accounts.spec.ts).
  const db = await e2eDb();
  const account = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "nightly-scheduler", ownerUserId: tenant.owner.id }, select: { id: true } });
  const envs = Object.fromEntries((await db.environment.findMany({ where: { tenantId: tenant.id }, select: { id: true, name: true } })).map((e) => [e.name, e.id]));
  await insertKeys(tenant, [{ name: "Unowned key" }]);

  await page.goto(`/service-accounts/${encodeURIComponent(account.id)}`);
  await page.getByRole("link", { name: "+ Create Key" }).click();
  await expect(page).toHaveURL(/\/tenant-api-keys\/new\?/);
  await expect(page.getByLabel("Service account")).toHaveValue(account.id);
  // Every key has an environment: production unless another is chosen; no "None".
  await expect(page.getByLabel("Environment")).toHaveValue(envs.production);
  await expect(page.getByLabel("Environment").getByRole("option")).toHaveText(["development", "production", "staging"]);
  await fillGenerateForm(page, { name: "Scheduler staging", group: "Read only" });
  await page.getByLabel("Environment").selectOption({ label: "staging" });
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "API key generated" })).toBeVisible();
  await closeSecretDialog(page);

  await expect(page).toHaveURL(/\/tenant-api-keys\?highlight=/);
  const table = page.getByRole("table");
  const row = table.getByRole("row").filter({ hasText: "Scheduler staging" });
  const unowned = table.getByRole("row").filter({ hasText: "Unowned key" });
  const owners = row.getByTestId("key-owners");
  await expect(owners).toHaveText("Service account: nightly-scheduler Environment: staging");
  await expect(unowned.getByTestId("key-owners")).toHaveText("Environment: production");
  expect(await db.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Scheduler staging" }, select: { serviceAccountId: true, environmentId: true } })).toEqual({
    serviceAccountId: account.id,
    environmentId: envs.staging,
  });

  // The toolbar's filters: the URL params the key query reads.
  const toolbarEnvironment = page.getByLabel("Environment");
  await toolbarEnvironment.selectOption({ label: "staging" });
  await expect(page).toHaveURL(new RegExp(`[?&]environment=${envs.staging}(&|$)`));
  await expect(unowned).toHaveCount(0);
  await expect(row).toBeVisible();
  await toolbarEnvironment.selectOption({ label: "production" });
  await expect(unowned).toBeVisible();
  await expect(row).toHaveCount(0);
  await toolbarEnvironment.selectOption({ label: "All" });
  await page.getByLabel("Service account").selectOption({ label: "None" });
  await expect(page).toHaveURL(/[?&]serviceAccount=none(&|$)/);
  await expect(unowned).toBeVisible();
  await expect(row).toHaveCount(0);
  await page.getByLabel("Service account").selectOption({ label: "nightly-scheduler" });
  await expect(row).toBeVisible();
  await expect(unowned).toHaveCount(0);
  await page.getByLabel("Service account").selectOption({ label: "All" });
  await expect(page).not.toHaveURL(/[?&](serviceAccount|environment)=/);
  await expect(unowned).toBeVisible();

  // Edit: the dialog shows both; None clears the service account, the environment stays.
  await row.getByRole("button", { name: "Edit Scheduler staging" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit API Key" });
  await expect(dialog.getByLabel("Service account")).toHaveValue(account.id);
  await expect(dialog.getByLabel("Environment")).toHaveValue(envs.staging);
  await dialog.getByLabel("Service account").selectOption({ label: "None" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(owners).toHaveText("Environment: staging");
  expect(await db.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Scheduler staging" }, select: { serviceAccountId: true, environmentId: true } })).toEqual({
    serviceAccountId: null,
    environmentId: envs.staging,
  });
});

test("a service account deleted while a form is open: a field error on the select, what was typed kept, nothing written", async ({ ownerPage: page, tenant }) => {
  const db = await e2eDb();
  const account = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "short-lived", ownerUserId: tenant.owner.id }, select: { id: true } });
  const other = await db.serviceAccount.create({ data: { tenantId: tenant.id, name: "also-short-lived", ownerUserId: tenant.owner.id }, select: { id: true } });
  const [existing] = await insertKeys(tenant, [{ name: "Existing key" }]);
  await page.goto("/tenant-api-keys/new");
  await fillGenerateForm(page, { name: "Orphan key", description: "Typed before the account went", group: "Read only", ipAllowlist: "10.0.0.0/8" });
  await page.getByLabel("Service account").selectOption({ label: "short-lived" });
  // Someone else deletes the account (as the Service Accounts page would, the account has no keys).
  await db.serviceAccount.delete({ where: { id: account.id } });
  await page.getByRole("button", { name: "Generate", exact: true }).click();

  const select = page.getByLabel("Service account");
  await expect(select).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("No such service account in this tenant.")).toBeVisible();
  await expect(page.getByRole("dialog", { name: "API key generated" })).toHaveCount(0);
  await expect(page.getByLabel("Key Name")).toHaveValue("Orphan key");
  await expect(page.getByLabel("Description")).toHaveValue("Typed before the account went");
  await expect(page.getByLabel("IP Allowlist")).toHaveValue("10.0.0.0/8");
  expect(await db.apiKey.count({ where: { tenantId: tenant.id, name: "Orphan key" } })).toBe(0);

  // Choosing None sends the same form again: the key is made.
  await select.selectOption({ label: "None" });
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "API key generated" })).toBeVisible();
  expect(await db.apiKey.count({ where: { tenantId: tenant.id, name: "Orphan key", serviceAccountId: null } })).toBe(1);

  // The Edit dialog: the same field error, the dialog stays open with the new name, the key as it was.
  await page.goto("/tenant-api-keys");
  await page.getByRole("row").filter({ hasText: "Existing key" }).getByRole("button", { name: "Edit Existing key" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit API Key" });
  await dialog.getByLabel("Key Name").fill("Existing key renamed");
  await dialog.getByLabel("Service account").selectOption({ label: "also-short-lived" });
  await db.serviceAccount.delete({ where: { id: other.id } });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByLabel("Service account")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("No such service account in this tenant.")).toBeVisible();
  await expect(dialog.getByLabel("Key Name")).toHaveValue("Existing key renamed");
  expect(await db.apiKey.findUniqueOrThrow({ where: { id: existing.id }, select: { name: true, serviceAccountId: true } })).toEqual({ name: "Existing key", serviceAccountId: null });
});
