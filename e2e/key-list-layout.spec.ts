// The key list's layout on a 1280 px laptop and on a 390 px phone (issue #16, items 1 and 2):
// the row actions never leave the screen, the page never scrolls sideways, and a phone can
// generate, copy, close and revoke with every control on screen.
import type { Locator, Page } from "@playwright/test";
import { keyCell, keyRow } from "./demo";
import { DAY, expect, insertKeys, test, type SeededTenant } from "./fixtures/tenant";
import { generateKey, shownPrefix } from "./fixtures/ui";

/** Keys with long names, descriptions, warnings and every column filled: the widest rows there are. */
async function wideKeys(tenant: SeededTenant) {
  const now = Date.now();
  return insertKeys(tenant, [
    { name: "Enterprise resource planning nightly order synchronisation", description: "Pushes every order of the day to the ERP; owned by the finance integrations team", expiresAt: new Date(now + 60 * DAY), lastUsedAt: new Date(now - 300_000) },
    { name: "Expiring soon", group: "Read only", expiresAt: new Date(now + 2 * DAY), lastUsedAt: new Date(now - DAY) },
    { name: "Idle and old", createdAt: new Date(now - 120 * DAY), lastUsedAt: new Date(now - 45 * DAY) },
    { name: "Expired", expiresAt: new Date(now - DAY) },
    { name: "Revoked", status: "revoked" },
  ]);
}

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(clientWidth);
}

/** The element's box lies wholly inside the viewport (or only between its left and right edges). */
async function expectOnScreen(page: Page, target: Locator, what: string, axis: "x" | "both" = "both") {
  const viewport = page.viewportSize()!;
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  expect(box.x, `${what} starts left of the screen`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends right of the screen`).toBeLessThanOrEqual(viewport.width);
  if (axis === "x") return;
  expect(box.y, `${what} starts above the screen`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${what} ends below the screen`).toBeLessThanOrEqual(viewport.height);
}

test.describe("at 1280x800", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("every row's actions are on screen, the table fits without scrolling, the page has no horizontal scroll", async ({ ownerPage: page, tenant }) => {
    const keys = await wideKeys(tenant);
    await page.goto("/tenant-api-keys");
    await expect(page.getByRole("table").getByRole("row")).toHaveCount(keys.length + 1);
    await expectNoSidewaysScroll(page);

    const table = page.getByRole("table");
    const fits = await table.evaluate((element) => element.parentElement!.scrollWidth <= element.parentElement!.clientWidth);
    expect(fits, "the key table is wider than its box").toBe(true);

    const viewport = page.viewportSize()!;
    for (const key of keys) {
      const row = keyRow(page, key.name);
      const actions = key.name === "Revoked" ? [] : ["Edit", "Rotate", "Revoke"];
      for (const action of actions) {
        const button = row.getByRole("button", { name: `${action} ${key.name}` });
        await expect(button).toBeVisible();
        const box = (await button.boundingBox())!;
        expect(box.x + box.width, `${action} ${key.name} is off-screen`).toBeLessThanOrEqual(viewport.width);
      }
      // The prefix sits under the name, in the name's cell.
      await expect((await keyCell(page, key.name, "Name")).getByTestId("key-prefix")).toHaveText(shownPrefix(key.prefix));
    }
  });

  test("tabbing to a row's Revoke keeps its name in view", async ({ ownerPage: page, tenant }) => {
    const [key] = await wideKeys(tenant);
    await page.goto("/tenant-api-keys");
    await page.getByRole("button", { name: `Revoke ${key.name}` }).focus();
    await expectOnScreen(page, page.getByRole("link", { name: key.name, exact: true }), "the key's name", "x");
    await expectNoSidewaysScroll(page);
  });
});

test.describe("on a 390x844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ["clipboard-read", "clipboard-write"] });

  test("the sidebar is a drawer and the keys are cards", async ({ ownerPage: page, tenant }) => {
    const keys = await wideKeys(tenant);
    await page.goto("/tenant-api-keys");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("table")).toBeHidden();
    const cards = page.getByRole("list", { name: "API keys" }).getByRole("listitem");
    await expect(cards).toHaveCount(keys.length);
    await expectNoSidewaysScroll(page);
    const revokes = page.getByRole("list", { name: "API keys" }).getByRole("button", { name: /^Revoke / });
    await expect(revokes).toHaveCount(keys.length - 1);
    for (const revoke of await revokes.all()) await expectOnScreen(page, revoke, "a card's Revoke", "x");

    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog", { name: "Keyward" });
    await expectOnScreen(page, drawer.getByRole("navigation", { name: "Main" }), "the navigation drawer");
    await drawer.getByRole("link", { name: "Audit Log" }).click();
    await expect(page).toHaveURL(/\/audit-log$/);
    await expect(drawer).toBeHidden();
    await expectNoSidewaysScroll(page);
  });

  test("generate a key, copy it, close the dialog, revoke it, all on screen", async ({ ownerPage: page }) => {
    const name = "Phone key";
    await page.goto("/tenant-api-keys/new");
    const input = page.getByLabel("Key Name");
    const inputBox = (await input.boundingBox())!;
    expect(inputBox.width, "the Key Name input is cramped").toBeGreaterThanOrEqual(300);
    await expectNoSidewaysScroll(page);

    const { dialog, secret } = await generateKey(page, { name, group: "Read only", expiration: "7 days" });
    // A sheet as wide as the screen, with its buttons on it.
    const sheet = (await dialog.boundingBox())!;
    expect(sheet.width).toBeGreaterThanOrEqual(389);
    const copy = dialog.getByRole("button", { name: "Copy secret" });
    await copy.scrollIntoViewIfNeeded();
    await expectOnScreen(page, copy, "Copy");
    await copy.click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const close = dialog.getByRole("button", { name: "Close", exact: true });
    await close.scrollIntoViewIfNeeded();
    await expectOnScreen(page, close, "Close");
    await close.click();
    // A warning before closing (if the dialog asks for one) must be on screen too.
    const stored = page.getByRole("button", { name: "I have stored it, close" });
    await expect(stored.or(page.getByRole("heading", { level: 1, name: "API Keys" }))).toBeVisible();
    if (await stored.isVisible()) {
      await expectOnScreen(page, stored, "I have stored it, close");
      await stored.click();
    }
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page).toHaveURL(/\/tenant-api-keys(\?highlight=\w+)?$/);

    const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(card.getByTestId("key-prefix")).toHaveText(shownPrefix(secret));
    await card.getByRole("button", { name: `Revoke ${name}` }).click();
    const confirm = page.getByRole("alertdialog", { name: "Revoke API Key" });
    expect((await confirm.boundingBox())!.width).toBeGreaterThanOrEqual(389);
    const revoke = confirm.getByRole("button", { name: "Revoke", exact: true });
    await expectOnScreen(page, revoke, "the dialog's Revoke");
    await revoke.click();
    await expect(confirm).toBeHidden();
    await expect(card.getByText("Revoked", { exact: true }).first()).toBeVisible();
    await expectNoSidewaysScroll(page);
  });
});
