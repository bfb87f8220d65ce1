// Accessibility: no WCAG 2 A/AA violations (axe-core) on every page and dialog of the key
// flows, and the whole lifecycle (generate, close the secret, rotate, revoke) with the keyboard
// alone.
//
// Tenants: each test that opens the key pages seeds its own tenant (with keys written straight
// into the database); /admin is checked with the super user's stored state.
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { keyCell, keyRow, storageStateFor, keyPrefix } from "./demo";
import { DAY, expect, insertAuditEvents, insertKeys, test, type SeededTenant } from "./fixtures/tenant";
import { generateKey, readSecret } from "./fixtures/ui";

test.describe.configure({ timeout: 60_000 });

/**
 * Runs axe with the WCAG 2 A and AA rules; fails with one line per rule and element. With a
 * dialog open, only the dialog is checked (`within`): the page behind it has its own test.
 */
async function expectNoViolations(page: Page, what: string, within?: string) {
  const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]);
  if (within) builder.include(within);
  const { violations } = await builder.analyze();
  const found = violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact}): ${v.help} at ${node.target.join(" ")} ${node.html.slice(0, 160)}`),
  );
  // Soft: a test that checks two states (a dialog and its confirmation) reports both.
  expect.soft(found, `WCAG 2 A/AA violations on ${what}`).toEqual([]);
}

/** Keys in every state the list can show, so that every badge, warning and button is checked. */
async function variedKeys(tenant: SeededTenant) {
  const now = Date.now();
  return insertKeys(tenant, [
    { name: "ERP sync", description: "Nightly order sync", ipAllowlist: "203.0.113.0/24", expiresAt: new Date(now + 60 * DAY), lastUsedAt: new Date(now - 300_000) },
    { name: "Expiring soon", group: "Read only", createdAt: new Date(now - 20 * DAY), expiresAt: new Date(now + 2 * DAY), lastUsedAt: new Date(now - DAY) },
    { name: "Idle and old", createdAt: new Date(now - 120 * DAY), lastUsedAt: new Date(now - 45 * DAY) },
    { name: "Expired", expiresAt: new Date(now - DAY) },
    { name: "Revoked", status: "revoked" },
  ]);
}

// Every page and dialog in both themes: the system's light and dark settings (the theme
// switch's own choice is checked in e2e/theme.spec.ts).
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("sign-in page", async ({ page }) => {
      await page.goto("/sign-in");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await expectNoViolations(page, "/sign-in");
    });

    test("key list with keys in every state and the warnings banner", async ({ ownerPage: page, tenant }) => {
      await variedKeys(tenant);
      await page.goto("/tenant-api-keys");
      await expect(page.getByRole("region", { name: "Keys needing attention" })).toBeVisible();
      await expect(await keyCell(page, "Revoked", "Status")).toHaveText("Revoked");
      await expectNoViolations(page, "/tenant-api-keys");
    });

    test("Generate API Key form, also with every field's error shown", async ({ ownerPage: page }) => {
      await page.goto("/tenant-api-keys/new");
      await expect(page.getByLabel("Key Name")).toBeVisible();
      await expectNoViolations(page, "/tenant-api-keys/new");

      await page.getByLabel("Key Name").fill("x");
      await page.getByLabel("IP Allowlist").fill("300.1.1.1");
      await page.getByLabel("Expiration Date", { exact: true }).selectOption({ label: "Custom date…" });
      await page.getByRole("button", { name: "Generate", exact: true }).click();
      await expect(page.getByText("Key Name must be at least 2 characters.")).toBeVisible();
      await expectNoViolations(page, "/tenant-api-keys/new with errors");
    });

    test("the show-once secret modal, and its close confirmation", async ({ ownerPage: page }) => {
      await generateKey(page, { name: "Axe key", group: "Read only", expiration: "7 days" });
      await expectNoViolations(page, "the secret modal", '[role="dialog"]');
      await page.getByRole("dialog").getByRole("button", { name: "Close", exact: true }).click();
      await expect(page.getByRole("dialog", { name: "Close without the secret?" })).toBeVisible();
      await expectNoViolations(page, "the secret modal's close confirmation", '[role="dialog"]');
    });

    test("the rotate confirmation dialog", async ({ ownerPage: page, tenant }) => {
      await variedKeys(tenant);
      await page.goto("/tenant-api-keys");
      await page.getByRole("button", { name: "Rotate ERP sync" }).click();
      await expect(page.getByRole("alertdialog", { name: "Rotate API Key" })).toBeVisible();
      await expectNoViolations(page, "the rotate dialog", '[role="alertdialog"]');
    });

    test("the revoke confirmation dialog", async ({ ownerPage: page, tenant }) => {
      await variedKeys(tenant);
      await page.goto("/tenant-api-keys");
      await page.getByRole("button", { name: "Revoke ERP sync" }).click();
      await expect(page.getByRole("alertdialog", { name: "Revoke API Key" })).toBeVisible();
      await expectNoViolations(page, "the revoke dialog", '[role="alertdialog"]');
    });

    test("the revoke-all confirmation dialog", async ({ ownerPage: page, tenant }) => {
      await variedKeys(tenant);
      await page.goto("/tenant-api-keys");
      await page.getByRole("button", { name: "Revoke all keys" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Revoke all API keys" });
      await dialog.getByLabel(`Type ${tenant.name} to confirm`).fill("wrong");
      await expect(dialog.getByText("The name does not match.")).toBeVisible();
      await expectNoViolations(page, "the revoke-all dialog", '[role="alertdialog"]');
    });

    test("the edit dialog", async ({ ownerPage: page, tenant }) => {
      await variedKeys(tenant);
      await page.goto("/tenant-api-keys");
      await page.getByRole("button", { name: "Edit ERP sync" }).click();
      await expect(page.getByRole("dialog", { name: "Edit API Key" })).toBeVisible();
      await expectNoViolations(page, "the edit dialog", '[role="dialog"]');
    });

    test("a key's page", async ({ ownerPage: page, tenant }) => {
      const [key] = await variedKeys(tenant);
      await page.goto(`/tenant-api-keys/${key.id}`);
      await expect(page.getByRole("heading", { level: 1, name: "ERP sync" })).toBeVisible();
      await expectNoViolations(page, "/tenant-api-keys/[keyId]");
    });

    test("the audit log, with chain verification shown", async ({ ownerPage: page, tenant }) => {
      const [key] = await variedKeys(tenant);
      await insertAuditEvents(tenant, [
        { action: "api_key.created", actorLabel: tenant.owner.email, targetKeyId: key.id, keyPrefix: key.prefix, scopes: "api_keys:read" },
        { action: "tenant.limit_changed", actorLabel: "super@keyward.test", details: { from: 10, to: 5 } },
      ]);
      await page.goto("/audit-log");
      await page.getByRole("button", { name: "Verify chain" }).click();
      await expect(page.getByRole("main").getByRole("status")).toHaveText(/^Chain intact/);
      await expectNoViolations(page, "/audit-log");
    });

      test("the signed tokens page", async ({ ownerPage: page }) => {
        await page.goto("/tenant-api-keys/tokens");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoViolations(page, "/tenant-api-keys/tokens");
      });

      test("the settings page", async ({ ownerPage: page }) => {
        await page.goto("/settings");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoViolations(page, "/settings");
      });

      test("the first-key empty state and the navigation drawer on a phone", async ({ ownerPage: page }) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto("/tenant-api-keys");
        await expect(page.getByRole("region", { name: "No API keys yet" })).toBeVisible();
        await expectNoViolations(page, "/tenant-api-keys (no keys, 390 px)");
        await page.getByRole("button", { name: "Open navigation" }).click();
        await expect(page.getByRole("dialog", { name: "Keyward" })).toBeVisible();
        await expectNoViolations(page, "the navigation drawer", '[role="dialog"]');
      });

    test.describe("super user", () => {
      test.use({ storageState: storageStateFor("super") });

      test("the tenants console (/admin)", async ({ page }) => {
        await page.goto("/admin");
        await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
        await expectNoViolations(page, "/admin");
      });

      test("the root keys console (/admin/root-keys)", async ({ page }) => {
        await page.goto("/admin/root-keys");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoViolations(page, "/admin/root-keys");
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Keyboard only: no mouse click from here on, only Tab, Shift+Tab, Enter, Space, Escape, arrows.

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement).catch(() => false);
}

/** Presses Tab (or Shift+Tab) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, key: "Tab" | "Shift+Tab" = "Tab") {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < 80; presses++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${target}`);
}

test("generate, close the secret, rotate and revoke with the keyboard alone", async ({ ownerPage: page, tenant }) => {
  const name = "Keyboard key";
  await page.goto("/tenant-api-keys");

  // Generate API Key → the form.
  await tabTo(page, page.getByRole("link", { name: "Generate API Key" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tenant-api-keys\/new$/);

  await tabTo(page, page.getByLabel("Key Name"));
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Description")).toBeFocused();
  await page.keyboard.type("Typed without a mouse");
  await page.keyboard.press("Tab");
  const group = page.getByLabel("Authorization Group");
  await expect(group).toBeFocused();
  await page.keyboard.press("ArrowDown"); // "Full access", the first group
  await expect(group).toHaveValue(tenant.groups["Full access"]);
  await tabTo(page, page.getByLabel("Expiration Date", { exact: true }));
  await page.keyboard.press("ArrowDown"); // "15 minutes"
  await page.keyboard.press("ArrowDown"); // "1 hour"
  await expect(page.getByLabel("Expiration Date", { exact: true })).toHaveValue("1h");
  // Back up to the allowlist (it comes before the expiry) and fill it.
  await tabTo(page, page.getByLabel("IP Allowlist"), "Shift+Tab");
  await page.keyboard.type("192.0.2.0/24");
  await tabTo(page, page.getByRole("button", { name: "Generate", exact: true }));
  await page.keyboard.press("Enter");

  // The secret: Close, then confirm.
  const generated = page.getByRole("dialog", { name: "API key generated" });
  await expect(generated).toBeVisible();
  const secret = await readSecret(generated);
  await tabTo(page, generated.getByRole("button", { name: "Close", exact: true }));
  await page.keyboard.press("Enter");
  await tabTo(page, page.getByRole("dialog").getByRole("button", { name: "I have stored it, close" }));
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/\/tenant-api-keys\?highlight=\w+$/);
  await expect(keyRow(page, name)).toHaveCount(1);
  await expect(keyPrefix(page, name)).toHaveText(`${secret.slice(0, 11)}…`);

  // Rotate with a 1-hour overlap, chosen with the arrow keys.
  await tabTo(page, page.getByRole("button", { name: `Rotate ${name}` }));
  await page.keyboard.press("Enter");
  const rotate = page.getByRole("alertdialog", { name: "Rotate API Key" });
  const when = rotate.getByLabel("When should the current secret stop working?");
  await tabTo(page, when);
  await page.keyboard.press("ArrowDown");
  await expect(when).toHaveValue("1h");
  await tabTo(page, rotate.getByRole("button", { name: "Rotate", exact: true }));
  await page.keyboard.press("Enter");
  const rotated = page.getByRole("dialog", { name: "API key rotated" });
  await expect(rotated).toBeVisible();
  const newSecret = await readSecret(rotated);
  // Escape does not drop the secret: it asks first.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Close without the secret?" })).toBeVisible();
  await tabTo(page, page.getByRole("dialog").getByRole("button", { name: "I have stored it, close" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(keyPrefix(page, name)).toHaveText(`${newSecret.slice(0, 11)}…`);
  await expect((await keyCell(page, name, "Status")).getByTestId("rotation-overlap")).toContainText("Rotating");

  // Revoke.
  await tabTo(page, page.getByRole("button", { name: `Revoke ${name}` }));
  await page.keyboard.press("Enter");
  const revoke = page.getByRole("alertdialog", { name: "Revoke API Key" });
  await tabTo(page, revoke.getByRole("button", { name: "Revoke", exact: true }));
  await page.keyboard.press("Enter");
  await expect(revoke).toHaveCount(0);
  await expect((await keyCell(page, name, "Status")).getByText("Revoked", { exact: true })).toBeVisible();
});

test("the command bar (Ask Keyward), with a preview, a choice and an answer", async ({ ownerPage: page, tenant }) => {
  await insertKeys(tenant, [{ name: "Billing Sync" }, { name: "Billing Export" }]);
  await page.getByRole("button", { name: "Ask Keyward" }).click();
  const bar = page.getByRole("dialog", { name: "Ask Keyward" });
  const input = bar.getByRole("textbox", { name: "Ask Keyward" });
  // The bar loads lazily: wait for it before waiting for its key names (asking before they
  // arrive does nothing), as e2e/assistant.spec.ts's openBar does.
  await expect(input).toBeFocused();
  await expect(bar.getByText("Loading this workspace's keys…")).toHaveCount(0);
  for (const [text, shown] of [
    ["Create an API key for the mobile app with 30-day expiry", "assistant-preview"],
    ["rotate billing", "assistant-choose"],
    ["hello", "assistant-answer"],
  ]) {
    await input.fill(text);
    await input.press("Enter");
    await expect(bar.getByTestId(shown)).toBeVisible();
    await expectNoViolations(page, `the command bar (${shown})`, '[role="dialog"]');
  }
});
