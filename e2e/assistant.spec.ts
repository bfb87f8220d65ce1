// Ask Keyward, the command bar (seed 004): the seed's two sentences end to end with the keyboard
// only, the permission map's refusal for an operator, and bad input that gets an answer and
// changes nothing. Each test seeds its own tenant (e2e/fixtures/tenant.ts).
import type { Page } from "@playwright/test";
import { auditRows, deleteTenant, expect, insertKeys, keyRows, seedTenant, test } from "./fixtures/tenant";
import { readSecret } from "./fixtures/ui";

test.describe.configure({ timeout: 60_000 });

async function openBar(page: Page) {
  const bar = page.getByRole("dialog", { name: "Ask Keyward" });
  // Ctrl+K does nothing until the page has hydrated: press it again until the bar is open.
  await expect(async () => {
    if (!(await bar.isVisible())) await page.keyboard.press("Control+k");
    await expect(bar.getByRole("textbox", { name: "Ask Keyward" })).toBeFocused({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // The workspace's key names arrive from the server action; asking before that does nothing.
  await expect(bar.getByText("Loading this workspace's keys…")).toHaveCount(0);
  return bar;
}

async function ask(page: Page, sentence: string) {
  const bar = await openBar(page);
  await page.keyboard.type(sentence);
  await page.keyboard.press("Enter");
  return bar;
}

test("\"Create an API key for the mobile app with 30-day expiry.\" generates it and shows it once", async ({
  ownerPage: page,
  tenant,
}) => {
  const bar = await ask(page, "Create an API key for the mobile app with 30-day expiry.");
  const preview = bar.getByTestId("assistant-preview");
  await expect(preview).toContainText("Name: Mobile App");
  await expect(preview).toContainText("Expires: 30 days");
  await expect(preview.getByRole("button", { name: "Open the Generate form" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/tenant-api-keys\/new\?/);
  await expect(page.getByRole("status")).toContainText("Filled in by Ask Keyward");
  await expect(page.getByLabel("Key Name")).toHaveValue("Mobile App");
  await expect(page.getByLabel("Expiration Date")).toHaveValue("30d");
  await expect(page.getByLabel("Key Name")).toBeFocused();
  // Nothing exists until the form is submitted.
  expect(await keyRows(tenant)).toEqual([]);

  const before = Date.now();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "API key generated" });
  await expect(dialog).toBeVisible();
  const after = Date.now();
  const secret = await readSecret(dialog);

  const rows = await keyRows(tenant);
  expect(rows.map((r) => [r.name, r.status])).toEqual([["Mobile App", "active"]]);
  expect(secret.startsWith(rows[0].prefix)).toBe(true);
  const [created] = (await auditRows(tenant)).filter((e) => e.action === "api_key.created");
  const details = JSON.parse(created.details ?? "{}");
  expect(details.via).toBe("assistant");
  const expiresAt = Date.parse(details.expiresAt);
  expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1_000);
  expect(expiresAt).toBeLessThanOrEqual(after + 30 * 86_400_000 + 1_000);
  // The audit event never carries the secret.
  expect(created.details).not.toContain(secret);
});

test("\"Revoke all API keys for this workspace\" as owner revokes them after the typed confirmation", async ({
  ownerPage: page,
  tenant,
}) => {
  await insertKeys(tenant, [{ name: "ERP Integration" }, { name: "Mobile App" }, { name: "Old one", status: "revoked" }]);
  await page.goto("/tenant-api-keys");
  const bar = await ask(page, "Revoke all API keys for this workspace");
  const preview = bar.getByTestId("assistant-preview");
  await expect(preview).toContainText(`Every key of ${tenant.name} that is not yet revoked (2)`);
  await expect(preview.getByRole("button", { name: "Review revoke-all" })).toBeFocused();
  await page.keyboard.press("Enter");

  const confirm = page.getByRole("alertdialog", { name: "Revoke all API keys" });
  const button = confirm.getByRole("button", { name: "Revoke all keys" });
  await expect(confirm.getByLabel(`Type ${tenant.name} to confirm`)).toBeFocused();
  await page.keyboard.type(tenant.name.slice(0, -1));
  await expect(button).toBeDisabled();
  await page.keyboard.type(tenant.name.slice(-1));
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(button).toBeFocused();
  expect((await keyRows(tenant)).filter((r) => r.status === "active")).toHaveLength(2);
  await page.keyboard.press("Enter");

  await expect(page.getByRole("dialog", { name: "Ask Keyward" }).getByRole("status")).toHaveText("Revoked 2 keys.");
  expect((await keyRows(tenant)).map((r) => r.status)).toEqual(["revoked", "revoked", "revoked"]);
  const revokedAll = (await auditRows(tenant)).filter((e) => e.action === "api_key.revoked_all");
  expect(revokedAll).toHaveLength(1);
  expect(JSON.parse(revokedAll[0].details ?? "{}")).toMatchObject({ count: 2, via: "assistant" });
});

test("an operator asking to revoke is told why not, and nothing is revoked", async ({ tenant, newPage }) => {
  await insertKeys(tenant, [{ name: "ERP Integration" }]);
  const page = await newPage({ email: tenant.users.operator.email });
  for (const [sentence, reason] of [
    ["Revoke the ERP key", "Your role (operator) is read-only here: this needs an owner or admin."],
    ["Revoke all API keys for this workspace", "Your role (operator) is read-only here: this needs an owner."],
  ] as const) {
    const bar = await ask(page, sentence);
    await expect(bar.getByTestId("assistant-preview").getByRole("alert")).toHaveText(reason);
    await expect(bar.getByTestId("assistant-preview").getByRole("button")).toHaveCount(0);
    await page.keyboard.press("Escape");
    await expect(bar).toHaveCount(0);
  }
  expect((await keyRows(tenant)).map((r) => r.status)).toEqual(["active"]);
  expect(await auditRows(tenant)).toEqual([]);
});

test("bad input gets a clear answer and changes nothing", async ({ ownerPage: page, tenant }) => {
  const other = await seedTenant();
  try {
    await insertKeys(tenant, [{ name: "ERP Integration" }]);
    await insertKeys(other, [{ name: "Zebra Payments Bridge" }]);
    const bar = await openBar(page);
    const input = bar.getByRole("textbox", { name: "Ask Keyward" });
    const answer = bar.getByTestId("assistant-answer");
    for (const [text, message] of [
      ["", "Type what you would like to do"],
      ["x".repeat(10_000), "longer than 500 characters"],
      ["\u0007\u0000\t\u001b", "Type what you would like to do"],
      ["revoke Zebra Payments Bridge", 'No active key of this workspace is called "Zebra Payments Bridge"'],
      ["rotate zebra payments", 'No active key of this workspace is called "zebra payments"'],
      ["asdf qwerty", "I don't know how to do that"],
    ]) {
      await input.fill(text);
      await input.press("Enter");
      await expect(answer, JSON.stringify(text.slice(0, 40))).toContainText(message);
      await expect(answer.getByRole("listitem").first()).toBeVisible();
      await expect(bar.getByTestId("assistant-preview")).toHaveCount(0);
    }
    expect((await keyRows(tenant)).map((r) => r.status)).toEqual(["active"]);
    expect((await keyRows(other)).map((r) => r.status)).toEqual(["active"]);
    expect(await auditRows(tenant)).toEqual([]);
    expect(await auditRows(other)).toEqual([]);
  } finally {
    await deleteTenant(other);
  }
});
