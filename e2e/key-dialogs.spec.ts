// The key dialogs as a tenant admin meets them (issue #16, items 3, 4, 5, 9 and 18): a toast
// names the key and its prefix after every action and its row is highlighted; focus returns to
// the control that opened the dialog; the secret dialog warns only when nothing was copied;
// a duplicate name is warned about, not refused; rotate and revoke say which key (prefix, last
// use); the Generate page starts on its first field and says which time zone a custom expiry uses.
import type { Page } from "@playwright/test";
import { keyCell, keyRow } from "./demo";
import { DAY, expect, insertKeys, test } from "./fixtures/tenant";
import { closeSecretDialog, escapeRegExp, generateKey, groupOptionLabel, minuteText, readSecret, shownPrefix, toastWith } from "./fixtures/ui";

test.describe.configure({ timeout: 60_000 });

/** The highlighted row (aria-current): exactly one, the named key's. */
async function expectHighlighted(page: Page, name: string) {
  const marked = page.locator('tbody tr[aria-current="true"]');
  await expect(marked).toHaveCount(1);
  await expect(marked.getByRole("link", { name, exact: true })).toBeVisible();
}

test("Generate: a toast names the key and its prefix, and the list highlights its row", async ({ ownerPage: page, tenant }) => {
  await insertKeys(tenant, [{ name: "Older key" }]);
  const { secret } = await generateKey(page, { name: "Fresh integration", group: "Read only" });
  await closeSecretDialog(page);
  await expect(page).toHaveURL(/\/tenant-api-keys\?highlight=\w+$/);
  await expect(toastWith(page, `Generated Fresh integration (${shownPrefix(secret)})`)).toBeVisible();
  await expectHighlighted(page, "Fresh integration");
});

test("Edit: the toast has the NEW name, the row is highlighted, and focus returns to Edit after Save and Escape", async ({
  ownerPage: page,
  tenant,
}) => {
  const [alpha] = await insertKeys(tenant, [{ name: "Alpha" }, { name: "Beta" }]);
  await page.goto("/tenant-api-keys");

  // Escape: nothing saved, focus back on the button that opened the dialog.
  await page.getByRole("button", { name: "Edit Alpha" }).click();
  await expect(page.getByRole("dialog", { name: "Edit API Key" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit Alpha" })).toBeFocused();

  // Save with a new name.
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Edit API Key" });
  await dialog.getByLabel("Key Name").fill("Alpha renamed");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(toastWith(page, `Saved Alpha renamed (${shownPrefix(alpha.prefix)})`)).toBeVisible();
  await expect(toastWith(page, "Saved Alpha (")).toHaveCount(0);
  await expectHighlighted(page, "Alpha renamed");
  await expect(page.getByRole("button", { name: "Edit Alpha renamed" })).toBeFocused();
});

test("Rotate and Revoke say which key (prefix, last used), toast it, and return focus", async ({ ownerPage: page, tenant }) => {
  const lastUsed = new Date(Date.now() - 2 * DAY);
  const [alpha, beta] = await insertKeys(tenant, [{ name: "Alpha", lastUsedAt: lastUsed }, { name: "Beta" }]);
  await page.goto("/tenant-api-keys");

  // Rotate: the dialog names the prefix and the last use; Escape returns focus to Rotate.
  await page.getByRole("button", { name: "Rotate Alpha" }).click();
  const rotate = page.getByRole("alertdialog", { name: "Rotate API Key" });
  await expect(rotate.getByTestId("dialog-key-facts")).toHaveText(`Key prefix${shownPrefix(alpha.prefix)}Last used${minuteText(lastUsed.getTime())}`);
  await page.keyboard.press("Escape");
  await expect(rotate).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rotate Alpha" })).toBeFocused();

  // Rotate for real: after the secret dialog, focus is on Rotate again and the toast has the new prefix.
  await page.keyboard.press("Enter");
  await rotate.getByRole("button", { name: "Rotate", exact: true }).click();
  const secret = await readSecret(page.getByRole("dialog", { name: "API key rotated" }));
  await closeSecretDialog(page);
  await expect(toastWith(page, `Rotated Alpha (${shownPrefix(secret)})`)).toBeVisible();
  await expectHighlighted(page, "Alpha");
  await expect(page.getByRole("button", { name: "Rotate Alpha" })).toBeFocused();

  // Revoke: never used is said so; afterwards the row has no buttons, so focus goes to its link.
  await page.getByRole("button", { name: "Revoke Beta" }).click();
  const revoke = page.getByRole("alertdialog", { name: "Revoke API Key" });
  await expect(revoke.getByTestId("dialog-key-facts")).toHaveText(`Key prefix${shownPrefix(beta.prefix)}Last usedNever used`);
  await revoke.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(revoke).toHaveCount(0);
  await expect(toastWith(page, `Revoked Beta (${shownPrefix(beta.prefix)})`)).toBeVisible();
  await expect((await keyCell(page, "Beta", "Status")).getByText("Revoked", { exact: true })).toBeVisible();
  await expectHighlighted(page, "Beta");
  await expect(keyRow(page, "Beta").getByRole("link", { name: "Beta", exact: true })).toBeFocused();
});

test.describe("the secret dialog", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("after Copy, Close closes without the warning; without it, the warning asks first", async ({ ownerPage: page }) => {
    const { dialog } = await generateKey(page, { name: "Copied first", group: "Read only" });
    await dialog.getByRole("button", { name: "Copy secret" }).click();
    await expect(dialog.getByRole("button", { name: "Copy secret" })).toHaveText(/Copied/);
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    await expect(page.getByRole("dialog", { name: "Close without the secret?" })).toHaveCount(0);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page).toHaveURL(/\/tenant-api-keys\?highlight=\w+$/);

    const second = await generateKey(page, { name: "Not copied", group: "Read only" });
    await second.dialog.getByRole("button", { name: "Close", exact: true }).click();
    await expect(page.getByRole("dialog", { name: "Close without the secret?" })).toBeVisible();
  });
});

test("a duplicate name is warned about on Generate and Edit, and still allowed", async ({ ownerPage: page, tenant }) => {
  const [alpha] = await insertKeys(tenant, [{ name: "Alpha" }, { name: "Beta" }]);
  const warning = (prefix: string) => `Another key is already named "Alpha" (${shownPrefix(prefix)}).`;

  await page.goto("/tenant-api-keys/new");
  // The Generate page starts on its first field.
  await expect(page.getByLabel("Key Name")).toBeFocused();
  await page.keyboard.type("Alpha");
  await expect(page.getByRole("status").filter({ hasText: warning(alpha.prefix) })).toBeVisible();
  await expect(page.getByLabel("Key Name")).toHaveAccessibleDescription(new RegExp(escapeRegExp(warning(alpha.prefix))));
  await page.getByLabel("Key Name").fill("Gamma");
  await expect(page.getByText(/Another key is already named/)).toHaveCount(0);

  // Non-blocking: a second "Alpha" can be generated.
  await page.getByLabel("Key Name").fill("Alpha");
  await expect(page.getByText(warning(alpha.prefix))).toBeVisible();
  await page.getByLabel("Authorization Group").selectOption({ label: groupOptionLabel("Read only") });
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await readSecret(page.getByRole("dialog", { name: "API key generated" }));
  await closeSecretDialog(page);
  await expect(page.getByRole("link", { name: "Alpha", exact: true })).toHaveCount(2);

  // Edit: renaming Beta to Alpha warns inside the dialog (against another key, never itself).
  await page.getByRole("button", { name: "Edit Beta" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit API Key" });
  await expect(dialog.getByText(/Another key is already named/)).toHaveCount(0);
  await dialog.getByLabel("Key Name").fill("Alpha");
  await expect(dialog.getByText(/Another key is already named "Alpha"/)).toBeVisible();
});

test.describe("the custom expiry's time zone", () => {
  test.use({ timezoneId: "Europe/Berlin" });

  test("the hint names the browser's zone, and the date is read in it", async ({ ownerPage: page }) => {
    await page.goto("/tenant-api-keys/new");
    await page.getByLabel("Key Name").fill("Berlin expiry");
    await page.getByLabel("Authorization Group").selectOption({ label: groupOptionLabel("Read only") });
    await page.getByLabel("Expiration Date", { exact: true }).selectOption("custom");
    const custom = page.getByLabel("Custom expiration date");
    await expect(custom).toHaveAccessibleDescription(/^In your browser's time zone, Europe\/Berlin \(UTC\+0[12]:00\)\. The list shows it in UTC\.$/);
    // 10:00 in Berlin in January (CET, UTC+1) is 09:00 UTC.
    const year = new Date().getUTCFullYear() + 1;
    await custom.fill(`${year}-01-15T10:00`);
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await readSecret(page.getByRole("dialog", { name: "API key generated" }));
    await closeSecretDialog(page);
    await expect(await keyCell(page, "Berlin expiry", "Expires")).toContainText(`${year}-01-15 09:00 UTC`);
  });
});
