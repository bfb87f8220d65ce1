// The audit log reads as a history (issue #16, item 12): each key event names the key beside
// its prefix, an edit's changes (from -> to) expand in its row, times have seconds, and a From
// date after To is explained instead of showing an empty table.
import { expect, insertKeys, test } from "./fixtures/tenant";
import { closeSecretDialog, escapeRegExp, readSecret, shownPrefix, toastWith } from "./fixtures/ui";

test.describe.configure({ timeout: 60_000 });

test("key names beside prefixes, what changed in an expandable row, times with seconds", async ({ ownerPage: page, tenant }) => {
  const [key] = await insertKeys(tenant, [{ name: "Ledger sync", description: "Before" }]);
  await page.goto("/tenant-api-keys");
  await page.getByRole("button", { name: "Edit Ledger sync" }).click();
  const edit = page.getByRole("dialog", { name: "Edit API Key" });
  await edit.getByLabel("Key Name").fill("Ledger sync v2");
  await edit.getByLabel("Description").fill("After");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Saved Ledger sync v2")).toBeVisible();
  await page.getByRole("button", { name: "Rotate Ledger sync v2" }).click();
  await page.getByRole("alertdialog", { name: "Rotate API Key" }).getByRole("button", { name: "Rotate", exact: true }).click();
  const secret = await readSecret(page.getByRole("dialog", { name: "API key rotated" }));
  await closeSecretDialog(page);

  await page.goto("/audit-log");
  const rows = page.getByRole("table").locator("tbody tr");
  const updated = rows.filter({ hasText: "Key edited" });
  await expect(updated).toHaveCount(1);
  // The key's current name, beside the prefix the event was about.
  await expect(updated.getByRole("link", { name: `Ledger sync v2 ${shownPrefix(key.prefix)}` })).toBeVisible();
  await expect(updated.locator("time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);

  // Collapsed until asked for; then from -> to for each field.
  const changes = updated.getByTestId("audit-changes");
  await expect(changes).toBeHidden();
  await updated.getByText("2 changes").click();
  await expect(changes).toBeVisible();
  await expect(changes).toContainText(/Name:\s*Ledger sync →\s*changed to Ledger sync v2/);
  await expect(changes).toContainText(/Description:\s*Before →\s*changed to After/);

  const rotated = rows.filter({ hasText: "Key rotated" });
  await rotated.getByText(/^\d+ changes?$/).click();
  await expect(rotated.getByTestId("audit-changes")).toContainText(new RegExp(`${escapeRegExp(shownPrefix(key.prefix))} →\\s*changed to ${escapeRegExp(shownPrefix(secret))}`));
});

test("a From date after To is explained instead of an empty result", async ({ ownerPage: page }) => {
  await page.goto("/audit-log?from=2026-12-05&to=2026-12-01");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "The From date (2026-12-05) is after the To date (2026-12-01), so no event can match. Swap the dates or change one of them.",
  );
  await expect(page.getByText("No audit events match these filters.")).toHaveCount(0);
  await expect(page.getByLabel("To", { exact: true })).toHaveAccessibleDescription(/The From date \(2026-12-05\) is after the To date/);
  // Swapped, the same range is a real (possibly empty) result again.
  await page.goto("/audit-log?from=2026-12-01&to=2026-12-05");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
});
