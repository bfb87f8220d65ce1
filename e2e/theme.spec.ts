// Dark mode (issue #16, item 17): the dashboard follows the system's setting until the theme
// switch chooses one, and the choice survives a reload. (axe checks every page in both themes:
// e2e/accessibility.spec.ts.)
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/tenant";

/** The page's background lightness: near 1 on a light theme, near 0 on a dark one. */
async function backgroundLightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d")!;
    canvas.fillStyle = getComputedStyle(document.body).backgroundColor;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b] = canvas.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
}

test.describe("with the system set to dark", () => {
  test.use({ colorScheme: "dark" });

  test("the dashboard is dark until the switch chooses light, and the choice survives a reload", async ({ ownerPage: page }) => {
    await page.goto("/tenant-api-keys");
    const theme = page.getByRole("group", { name: "Theme" });
    await expect(theme.getByRole("button", { name: "System theme" })).toHaveAttribute("aria-pressed", "true");
    expect(await backgroundLightness(page)).toBeLessThan(0.2);

    await theme.getByRole("button", { name: "Light theme" }).click();
    await expect.poll(() => backgroundLightness(page)).toBeGreaterThan(0.8);
    await page.reload();
    await expect(page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Light theme" })).toHaveAttribute("aria-pressed", "true");
    expect(await backgroundLightness(page)).toBeGreaterThan(0.8);

    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "System theme" }).click();
    await expect.poll(() => backgroundLightness(page)).toBeLessThan(0.2);
    await page.reload();
    expect(await backgroundLightness(page)).toBeLessThan(0.2);
  });
});

test.describe("with the system set to light", () => {
  test.use({ colorScheme: "light" });

  test("the switch chooses dark, for every page and after a reload", async ({ ownerPage: page }) => {
    await page.goto("/tenant-api-keys");
    expect(await backgroundLightness(page)).toBeGreaterThan(0.8);
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark theme" }).click();
    await expect.poll(() => backgroundLightness(page)).toBeLessThan(0.2);
    await page.goto("/audit-log");
    expect(await backgroundLightness(page)).toBeLessThan(0.2);
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  });
});
