// Rate limits and credits in the dashboard (issue 13): Generate sets them, the list shows the
// credits left, the key page shows the windows, the credits and their refill, and charts the
// key's rate-limited refusals beside its successes; bad values are refused beside the field with
// nothing created; Edit changes them. An admin sets an authorization group's limits in Settings,
// and its keys without limits of their own follow them at once; an operator may only look.
import { keyCell } from "./demo";
import { auditRows, expect, keyRows, test } from "./fixtures/tenant";
import { closeSecretDialog, generateKey } from "./fixtures/ui";

test.describe.configure({ timeout: 90_000 });

test("Generate with rate limits and credits: the list shows credits left, the key page its limits", async ({ ownerPage: page, tenant }) => {
  await page.goto("/tenant-api-keys/new");
  await page.getByLabel("Key Name").fill("Metered partner");
  await page.getByLabel("Authorization Group").selectOption({ index: 1 });
  await page.getByLabel("Rate Limits", { exact: true }).selectOption({ value: "own" });
  await page.getByLabel("Requests", { exact: true }).fill("2");
  await page.getByLabel("Per (seconds)", { exact: true }).fill("3600");
  await page.getByLabel("Credits", { exact: true }).fill("500");
  await page.getByLabel("Refill", { exact: true }).selectOption({ label: "Daily (midnight UTC)" });
  await page.getByLabel("Refill amount").fill("500");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "API key generated" });
  await expect(dialog).toBeVisible();
  const secret = (await dialog.getByTestId("api-key-secret").textContent())!.trim();
  await closeSecretDialog(page);

  await page.goto("/tenant-api-keys");
  await expect(await keyCell(page, "Metered partner", "Credits")).toHaveText("500 left");

  // Two requests pass, the third is rate limited: the key page charts both kinds.
  for (const expected of [200, 200, 429]) {
    const response = await page.request.get("/v1/whoami", { headers: { "X-API-Key": secret } });
    expect(response.status()).toBe(expected);
  }
  const [key] = (await keyRows(tenant)).filter((k) => k.name === "Metered partner");
  await expect(async () => {
    await page.goto(`/tenant-api-keys/${key.id}`);
    await expect(page.getByText("1 rate limited", { exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText("2 successful", { exact: true })).toBeVisible();
  await expect(page.getByText("2 per hour", { exact: true })).toBeVisible();
  await expect(page.getByText(/^49[89] left; refilled to 500 daily, next /)).toBeVisible();
});

test("bad limits are refused beside the field and nothing is created; Edit changes the credits", async ({ ownerPage: page, tenant }) => {
  const before = (await keyRows(tenant)).length;
  await page.goto("/tenant-api-keys/new");
  await page.getByLabel("Key Name").fill("Bad limits");
  await page.getByLabel("Authorization Group").selectOption({ index: 1 });
  await page.getByLabel("Rate Limits", { exact: true }).selectOption({ value: "own" });
  await page.getByLabel("Requests", { exact: true }).fill("-5");
  await page.getByLabel("Credits", { exact: true }).fill("2.5");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByText("Rate limit must be at least 1.")).toBeVisible();
  await expect(page.getByText("Credits must be a whole number.")).toBeVisible();
  await expect(page).toHaveURL(/\/tenant-api-keys\/new$/);
  expect((await keyRows(tenant)).length).toBe(before);

  await page.getByLabel("Rate Limits", { exact: true }).selectOption({ value: "group" });
  await page.getByLabel("Credits", { exact: true }).fill("10");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await closeSecretDialog(page);
  await page.goto("/tenant-api-keys");
  await expect(await keyCell(page, "Bad limits", "Credits")).toHaveText("10 left");
  await page.getByRole("button", { name: "Edit Bad limits" }).click();
  const edit = page.getByRole("dialog", { name: "Edit API Key" });
  await expect(edit.getByLabel("Credits", { exact: true })).toHaveValue("10");
  await edit.getByLabel("Credits", { exact: true }).fill("0");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toHaveCount(0);
  await expect(await keyCell(page, "Bad limits", "Credits")).toHaveText("0 left");
});

test("an admin sets a group's rate limits in Settings: its keys without their own follow at once; an operator may only look", async ({ newPage, tenant }) => {
  const page = await newPage({ email: tenant.users.admin.email });
  const { secret } = await generateKey(page, { name: "Follows the group", group: "Read only" });
  await closeSecretDialog(page);
  const [key] = (await keyRows(tenant)).filter((k) => k.name === "Follows the group");
  await page.goto(`/tenant-api-keys/${key.id}`);
  await expect(page.getByText("None (the group has none)", { exact: true })).toBeVisible();

  await page.goto("/settings");
  const row = page.getByRole("row", { name: "Read only" });
  await expect(row).toContainText("api_keys:read");
  await expect(row.getByRole("cell").nth(2)).toHaveText("None");
  await row.getByRole("button", { name: "Edit rate limits of Read only" }).click();
  const dialog = page.getByRole("dialog", { name: "Rate limits of Read only" });
  await dialog.getByRole("button", { name: "Add window" }).click();
  // Bad input: refused beside the field, nothing saved.
  await dialog.getByLabel("Requests", { exact: true }).fill("0");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Rate limit must be at least 1.")).toBeVisible();
  expect((await auditRows(tenant)).filter((e) => e.action === "group.rate_limits_changed")).toHaveLength(0);

  await dialog.getByLabel("Requests", { exact: true }).fill("2");
  await dialog.getByLabel("Per (seconds)", { exact: true }).fill("3600");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row.getByRole("cell").nth(2)).toHaveText("2 per hour");
  expect((await auditRows(tenant)).filter((e) => e.action === "group.rate_limits_changed")).toHaveLength(1);

  await page.goto(`/tenant-api-keys/${key.id}`);
  await expect(page.getByText("2 per hour (from the group)", { exact: true })).toBeVisible();
  for (const expected of [200, 200, 429]) {
    const response = await page.request.get("/v1/whoami", { headers: { "X-API-Key": secret } });
    expect(response.status()).toBe(expected);
  }

  const operator = await newPage({ email: tenant.users.operator.email });
  await operator.goto("/settings");
  await expect(operator.getByRole("row", { name: "Read only" }).getByRole("cell").nth(2)).toHaveText("2 per hour");
  await expect(operator.getByRole("button", { name: "Edit rate limits of Read only" })).toBeDisabled();
});
