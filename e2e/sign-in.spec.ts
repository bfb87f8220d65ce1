// Foundation: signing in, the return path, and a failed sign-in that makes no session.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { ROLES, expectKeyTable, isSessionCookie, storageStateFor, submitSignIn } from "./demo";
import { BASE_URL } from "./server-env.cjs";

// Every test here starts signed out.
test.use({ storageState: { cookies: [], origins: [] } });

async function expectNoSession(page: Page, context: BrowserContext) {
  expect((await context.cookies()).filter((c) => isSessionCookie(c.name))).toEqual([]);
  const response = await page.request.get("/api/auth/session");
  expect(response.ok()).toBe(true);
  const session = await response.json();
  expect(session?.user ?? null).toBeNull();
  expect(session).toEqual({});
}

test("a signed-out visit to the key list goes to sign-in and comes back after signing in", async ({ page }) => {
  await page.goto("/tenant-api-keys");
  await expect(page).toHaveURL("/sign-in?callbackUrl=%2Ftenant-api-keys");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await submitSignIn(page, ROLES.admin.email);
  await expect(page).toHaveURL(/\/tenant-api-keys$/);
  await expectKeyTable(page);
});

test("the return path works for other pages too", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL("/sign-in?callbackUrl=%2Fsettings");
  await submitSignIn(page, ROLES.owner.email);
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
});

test("a wrong password shows the generic error and makes no session", async ({ page, context }) => {
  await page.goto("/sign-in");
  await submitSignIn(page, ROLES.owner.email, "not-the-password");
  // Scoped to the page's main landmark: Next.js adds its own (empty) route-announcer alert.
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(/\/sign-in/);

  await expectNoSession(page, context);
  await page.goto("/tenant-api-keys");
  await expect(page).toHaveURL("/sign-in?callbackUrl=%2Ftenant-api-keys");
});

test("an unknown email gets the same answer as a wrong password", async ({ page, context }) => {
  await page.goto("/sign-in");
  await submitSignIn(page, "nobody@acme.test", "not-the-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invalid email or password.");
  await expectNoSession(page, context);
});

test("signing out ends the session", async ({ page, context }) => {
  await page.goto("/sign-in");
  await submitSignIn(page, ROLES.operator.email);
  await expect(page).toHaveURL(/\/tenant-api-keys$/);
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expectNoSession(page, context);
  await page.goto("/tenant-api-keys");
  await expect(page).toHaveURL("/sign-in?callbackUrl=%2Ftenant-api-keys");
});

const FOREIGN_CALLBACKS = [
  "https://evil.example/",
  "//evil.example/",
  "/\\evil.example/",
  // Browsers drop tabs and newlines from URLs: "/<TAB>/evil.example/" becomes "//evil.example/".
  "/\t/evil.example/",
  "/\n/evil.example/",
];

/** Answers any request to evil.example locally and tells whether the page went there. */
async function watchForeignSite(page: Page) {
  const state = { left: false };
  await page.route(
    (url) => url.hostname === "evil.example",
    (route) => {
      state.left = true;
      return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" });
    },
  );
  return state;
}

test.describe("the return path never leaves the site", () => {
  for (const callbackUrl of FOREIGN_CALLBACKS) {
    test(`signing in with callbackUrl ${JSON.stringify(callbackUrl)}`, async ({ page }) => {
      const foreign = await watchForeignSite(page);
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await submitSignIn(page, ROLES.admin.email);
      await expect(page).toHaveURL(`${BASE_URL}/tenant-api-keys`);
      await expectKeyTable(page);
      expect(foreign.left).toBe(false);
    });
  }
});

test.describe("the return path never leaves the site when already signed in", () => {
  test.use({ storageState: storageStateFor("admin") });

  for (const callbackUrl of FOREIGN_CALLBACKS) {
    test(`visiting sign-in with callbackUrl ${JSON.stringify(callbackUrl)}`, async ({ page }) => {
      const foreign = await watchForeignSite(page);
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await expect(page).toHaveURL(`${BASE_URL}/tenant-api-keys`);
      await expectKeyTable(page);
      expect(foreign.left).toBe(false);
    });
  }
});
