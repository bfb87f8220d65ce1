// The key lifecycle in the list: edit (pencil), rotate (immediate and with an overlap window),
// revoke (trash), revoke all (owner only, typed confirmation), and the tenant key limit.
//
// Tenant: each test seeds its own (e2e/fixtures/tenant.ts) with the keys it needs, written
// straight into the database, and signs its owner (or admin, operator) in.
import { keyCell, keyRow, keyPrefix } from "./demo";
import { DAY, expect, insertKeys, keyRows, setKeyLimit, test } from "./fixtures/tenant";
import {
  closeSecretDialog,
  configValue,
  expectMinuteBetween,
  fillGenerateForm,
  groupOptionLabel,
  readSecret,
  shownPrefix,
  toastWith,
} from "./fixtures/ui";

// Each test seeds a tenant and signs in through the form: slow on our 2-core machines.
test.describe.configure({ timeout: 60_000 });


test.describe("edit", () => {
  test("the pencil changes name, description, group and IP allowlist; prefix and expiry stay", async ({
    ownerPage: page,
    tenant,
  }) => {
    const [key] = await insertKeys(tenant, [
      {
        name: "Billing bridge",
        description: "Before the edit",
        group: "Full access",
        ipAllowlist: "198.51.100.7",
        expiresAt: new Date(Date.now() + 20 * DAY),
      },
    ]);
    await page.goto("/tenant-api-keys");
    const expiresBefore = await (await keyCell(page, "Billing bridge", "Expires")).textContent();
    await page.getByRole("button", { name: "Edit Billing bridge" }).click();

    const dialog = page.getByRole("dialog", { name: "Edit API Key" });
    await expect(dialog.getByLabel("Key Name")).toHaveValue("Billing bridge");
    await expect(dialog.getByLabel("Description")).toHaveValue("Before the edit");
    await expect(dialog.getByLabel("Authorization Group").locator("option:checked")).toHaveText(groupOptionLabel("Full access"));
    await expect(dialog.getByLabel("IP Allowlist")).toHaveValue("198.51.100.7");
    // The expiry changes only by rotating.
    await expect(dialog.getByLabel(/expiration/i)).toHaveCount(0);

    await dialog.getByLabel("Key Name").fill("Billing bridge v2");
    await dialog.getByLabel("Description").fill("After the edit");
    await dialog.getByLabel("Authorization Group").selectOption({ label: groupOptionLabel("Read only") });
    await dialog.getByLabel("IP Allowlist").fill("10.20.0.0/16\n2001:db8:1::/48");
    await dialog.getByRole("button", { name: "Save" }).click();

    await expect(dialog).toHaveCount(0);
    // The toast names the key as saved, with its prefix.
    await expect(toastWith(page, `Saved Billing bridge v2 (${shownPrefix(key.prefix)})`)).toBeVisible();
    await expect(keyRow(page, "Billing bridge")).toHaveCount(0);
    await expect(keyRow(page, "Billing bridge v2")).toHaveCount(1);
    await expect(keyPrefix(page, "Billing bridge v2")).toHaveText(shownPrefix(key.prefix));
    await expect(await keyCell(page, "Billing bridge v2", "Authorization group")).toHaveText("Read only");
    await expect(await keyCell(page, "Billing bridge v2", "Expires")).toHaveText(expiresBefore!);

    await page.getByRole("link", { name: "Billing bridge v2", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Billing bridge v2" })).toBeVisible();
    await expect(configValue(page, "Description")).toHaveText("After the edit");
    await expect(configValue(page, "Authorization group")).toHaveText(groupOptionLabel("Read only"));
    expect(await configValue(page, "IP allowlist").innerText()).toBe("10.20.0.0/16\n2001:db8:1::/48");
    await expect(configValue(page, "Key prefix")).toHaveText(shownPrefix(key.prefix));
  });
});

test.describe("rotate", () => {
  test("immediate by default: a new secret, and the list shows its new prefix", async ({ ownerPage: page, tenant }) => {
    const [key] = await insertKeys(tenant, [{ name: "Mobile backend", group: "Read only", expiresAt: new Date(Date.now() + 30 * DAY) }]);
    await page.goto("/tenant-api-keys");
    const expiresBefore = await (await keyCell(page, "Mobile backend", "Expires")).textContent();
    await page.getByRole("button", { name: "Rotate Mobile backend" }).click();

    const confirm = page.getByRole("alertdialog", { name: "Rotate API Key" });
    const when = confirm.getByLabel("When should the current secret stop working?");
    await expect(when.locator("option:checked")).toHaveText("Immediately (default)");
    await expect(confirm).toContainText("All applications using the current secret will lose access immediately.");
    await confirm.getByRole("button", { name: "Rotate", exact: true }).click();

    const shown = page.getByRole("dialog", { name: "API key rotated" });
    await expect(shown).toBeVisible();
    const secret = await readSecret(shown);
    expect(secret.slice(0, 11)).not.toBe(key.prefix);
    await expect(shown).toContainText("The old secret no longer works.");
    await closeSecretDialog(page);

    // The toast names the key with its new prefix.
    await expect(toastWith(page, `Rotated Mobile backend (${shownPrefix(secret)})`)).toBeVisible();
    await expect(keyPrefix(page, "Mobile backend")).toHaveText(shownPrefix(secret));
    await expect(await keyCell(page, "Mobile backend", "Status")).toHaveText("Active");
    await expect(await keyCell(page, "Mobile backend", "Authorization group")).toHaveText("Read only");
    await expect(await keyCell(page, "Mobile backend", "Expires")).toHaveText(expiresBefore!);
    expect((await keyRows(tenant)).map((k) => k.prefix)).toEqual([secret.slice(0, 11)]);
  });

  test("with a 24-hour overlap the list says the old secret stays valid until then", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, [{ name: "Webhook relay" }]);
    await page.goto("/tenant-api-keys");
    await page.getByRole("button", { name: "Rotate Webhook relay" }).click();

    const confirm = page.getByRole("alertdialog", { name: "Rotate API Key" });
    await confirm
      .getByLabel("When should the current secret stop working?")
      .selectOption({ label: "Keep the old secret valid for 24 hours" });
    await expect(confirm).toContainText("will lose access when the overlap window ends");
    const before = Date.now();
    await confirm.getByRole("button", { name: "Rotate", exact: true }).click();
    const shown = page.getByRole("dialog", { name: "API key rotated" });
    await expect(shown).toBeVisible();
    const after = Date.now();
    const secret = await readSecret(shown);
    const keeps = shown.getByText(/^The old secret keeps working until /);
    expectMinuteBetween((await keeps.textContent()) ?? "", before + DAY, after + DAY);
    await closeSecretDialog(page);

    // The compact Rotating state (issue 16.10): badge, the old secret's prefix and its last use,
    // the end of the overlap; the exact end time in its title.
    const status = await keyCell(page, "Webhook relay", "Status");
    const rotating = status.getByTestId("rotation-overlap");
    await expect(rotating).toContainText("Rotating");
    await expect(rotating).toContainText(/old kw_\w+… no use since rotation/);
    await expect(rotating).toContainText(/ends in 2[34] hours/);
    expectMinuteBetween((await rotating.getAttribute("title")) ?? "", before + DAY, after + DAY);
    await expect(keyPrefix(page, "Webhook relay")).toHaveText(shownPrefix(secret));
  });
});

test.describe("revoke", () => {
  const NAME = "Legacy importer";
  const TEXT = `Are you sure you want to revoke the API key ${NAME}? This action cannot be undone and any applications using this key will lose access immediately.`;

  test("asks with the documented text; afterwards the key is Revoked and has no actions left", async ({
    ownerPage: page,
    tenant,
  }) => {
    await insertKeys(tenant, [{ name: NAME }, { name: "Still active" }]);
    await page.goto("/tenant-api-keys");
    await page.getByRole("button", { name: `Revoke ${NAME}` }).click();

    const confirm = page.getByRole("alertdialog", { name: "Revoke API Key" });
    await expect(confirm).toHaveAccessibleDescription(TEXT);
    await expect(confirm.getByText(TEXT, { exact: true })).toBeVisible();
    await confirm.getByRole("button", { name: "Revoke", exact: true }).click();

    await expect(confirm).toHaveCount(0);
    await expect(toastWith(page, `Revoked ${NAME} (kw_`)).toBeVisible();
    await expect((await keyCell(page, NAME, "Status")).getByText("Revoked", { exact: true })).toBeVisible();
    await expect(keyRow(page, NAME).getByRole("button")).toHaveCount(0);
    for (const action of ["Edit", "Rotate", "Revoke"]) {
      await expect(page.getByRole("button", { name: `${action} ${NAME}` })).toHaveCount(0);
      await expect(page.getByRole("button", { name: `${action} Still active` })).toBeEnabled();
    }
    expect((await keyRows(tenant)).map((k) => [k.name, k.status])).toEqual([
      [NAME, "revoked"],
      ["Still active", "active"],
    ]);
  });

  test("Cancel leaves the key active", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, [{ name: NAME }]);
    await page.goto("/tenant-api-keys");
    await page.getByRole("button", { name: `Revoke ${NAME}` }).click();
    await page.getByRole("alertdialog", { name: "Revoke API Key" }).getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    await expect(await keyCell(page, NAME, "Status")).toHaveText("Active");
    expect((await keyRows(tenant)).map((k) => k.status)).toEqual(["active"]);
  });
});

test.describe("revoke all", () => {
  test("only the owner is offered Revoke all keys", async ({ ownerPage: page, tenant, newPage }) => {
    await insertKeys(tenant, [{ name: "Any key" }]);
    await page.goto("/tenant-api-keys");
    await expect(page.getByRole("button", { name: "Revoke all keys" })).toBeEnabled();
    for (const role of ["admin", "operator"] as const) {
      const other = await newPage({ email: tenant.users[role].email });
      await expect(keyRow(other, "Any key"), role).toHaveCount(1);
      await expect(other.getByRole("button", { name: "Revoke all keys" }), role).toHaveCount(0);
    }
  });

  test("the confirm button stays disabled until the tenant's name is typed exactly", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, [{ name: "First" }, { name: "Second" }]);
    await page.goto("/tenant-api-keys");
    await page.getByRole("button", { name: "Revoke all keys" }).click();

    const confirm = page.getByRole("alertdialog", { name: "Revoke all API keys" });
    const input = confirm.getByLabel(`Type ${tenant.name} to confirm`);
    const button = confirm.getByRole("button", { name: "Revoke all keys" });
    await expect(button).toBeDisabled();
    for (const wrong of ["Initech", tenant.name.toLowerCase(), `${tenant.name}x`, tenant.name.slice(0, -1)]) {
      await input.fill(wrong);
      await expect(button, wrong).toBeDisabled();
      await expect(confirm.getByText("The name does not match."), wrong).toBeVisible();
    }
    await input.fill(tenant.name);
    await expect(button).toBeEnabled();
    await expect(confirm.getByText("The name does not match.")).toHaveCount(0);

    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect((await keyRows(tenant)).map((k) => k.status)).toEqual(["active", "active"]);
  });

  test("after confirming, every key of the tenant is Revoked, expired ones included", async ({ ownerPage: page, tenant }) => {
    const names = ["Alpha", "Bravo", "Charlie (expired)", "Delta (revoked)"];
    await insertKeys(tenant, [
      { name: names[0] },
      { name: names[1], expiresAt: new Date(Date.now() + 3 * DAY) },
      { name: names[2], expiresAt: new Date(Date.now() - DAY) },
      { name: names[3], status: "revoked" },
    ]);
    await page.goto("/tenant-api-keys");
    await page.getByRole("button", { name: "Revoke all keys" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Revoke all API keys" });
    await expect(confirm).toContainText("(3 in all, expired ones included)");
    await confirm.getByLabel(`Type ${tenant.name} to confirm`).fill(tenant.name);
    await confirm.getByRole("button", { name: "Revoke all keys" }).click();

    await expect(confirm).toHaveCount(0);
    await expect(toastWith(page, "Revoked 3 keys.")).toBeVisible();
    for (const name of names) {
      await expect((await keyCell(page, name, "Status")).getByText("Revoked", { exact: true }), name).toBeVisible();
    }
    await expect(page.getByTestId("key-usage")).toHaveText("0/10 keys");
    await expect(page.getByRole("button", { name: "Revoke all keys" })).toBeDisabled();
    expect((await keyRows(tenant)).map((k) => k.status)).toEqual(["revoked", "revoked", "revoked", "revoked"]);
  });
});

test.describe("the tenant key limit", () => {
  const LIMIT_KEYS = [
    { name: "Counts 1" },
    { name: "Counts 2", expiresAt: new Date(Date.now() + 10 * DAY) },
    // Neither of these counts against the limit.
    { name: "Revoked one", status: "revoked" as const },
    { name: "Expired one", expiresAt: new Date(Date.now() - DAY) },
  ];

  test("at the limit, Generate API Key is disabled and says why", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, LIMIT_KEYS);
    await setKeyLimit(tenant, 2);
    await page.goto("/tenant-api-keys");
    await expect(page.getByTestId("key-usage")).toHaveText("2/2 keys");
    const generate = page.getByRole("button", { name: "Generate API Key" });
    await expect(generate).toBeDisabled();
    await expect(generate).toHaveAccessibleDescription(
      "Key limit reached (2/2). Revoke a key or ask support to raise the limit.",
    );
    await expect(page.getByRole("link", { name: "Generate API Key" })).toHaveCount(0);
  });

  test("/new at the limit says so and offers no form that would fail", async ({ ownerPage: page, tenant }) => {
    await insertKeys(tenant, LIMIT_KEYS);
    await setKeyLimit(tenant, 2);
    await page.goto("/tenant-api-keys/new");
    await expect(page.getByRole("main")).toContainText("2/2 keys in use.");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "Key limit reached (2/2). Revoke a key or ask support to raise the limit before you generate a key.",
    );
    await expect(page.getByLabel("Key Name")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Generate", exact: true })).toHaveCount(0);
  });

  test("a form opened under the limit and submitted at it shows the limit message and keeps every typed value", async ({
    ownerPage: page,
    tenant,
  }) => {
    await insertKeys(tenant, LIMIT_KEYS);
    await setKeyLimit(tenant, 3);
    await page.goto("/tenant-api-keys/new");
    await expect(page.getByRole("main")).toContainText("2/3 keys in use.");
    // Meanwhile the limit is lowered (another admin, support): the server refuses the key.
    await setKeyLimit(tenant, 2);
    const typed = {
      name: "One too many",
      description: "Should not be created",
      group: "Full access" as const,
      expiration: "30 days",
      ipAllowlist: "192.0.2.0/24",
    };
    await fillGenerateForm(page, typed);
    await page.getByRole("button", { name: "Generate", exact: true }).click();

    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "Key limit reached: 2/2 keys. Revoke a key or ask support to raise the limit.",
    );
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByLabel("Key Name")).toHaveValue(typed.name);
    await expect(page.getByLabel("Description")).toHaveValue(typed.description);
    await expect(page.getByLabel("Authorization Group").locator("option:checked")).toHaveText(groupOptionLabel(typed.group));
    await expect(page.getByLabel("Expiration Date", { exact: true })).toHaveValue("30d");
    await expect(page.getByLabel("IP Allowlist")).toHaveValue(typed.ipAllowlist);
    expect((await keyRows(tenant)).map((k) => k.name)).toEqual(LIMIT_KEYS.map((k) => k.name));
  });
});
