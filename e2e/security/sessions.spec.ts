// Server-side sessions, tested with a copied cookie: whoever holds a copy of the session cookie
// (another tab, a stolen cookie) loses access when the session is ended: by signing out, by
// "Sign out of all sessions", or by a super user's "End sessions" at /admin.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { auditRows, expect, test } from "../fixtures/tenant";
import { e2eDb } from "../fixtures/db";
import { isSessionCookie, storageStateFor } from "../demo";
import { BASE_URL, DIST_DIR } from "../server-env.cjs";

// Several sign-ins (scrypt) per test, on a machine shared with the rest of the suite.
test.describe.configure({ timeout: 60_000 });

/** A second browser holding a copy of `page`'s cookies. */
async function copyOf(browser: Browser, baseURL: string | undefined, page: Page) {
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => isSessionCookie(c.name))).toBe(true);
  const context = await browser.newContext({ baseURL, storageState: { cookies, origins: [] } });
  return context.newPage();
}

async function expectSignedIn(page: Page) {
  await page.goto("/audit-log");
  await expect(page.getByRole("heading", { level: 1, name: "Audit Log" })).toBeVisible();
  expect((await page.request.get("/audit-log/export")).status()).toBe(200);
}

/** The copied cookie gets the sign-in page, a 401 from a route, and no session from next-auth. */
async function expectSignedOut(page: Page) {
  await page.goto("/audit-log");
  await expect(page).toHaveURL("/sign-in?callbackUrl=%2Faudit-log");
  expect((await page.request.get("/audit-log/export")).status()).toBe(401);
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
}

test("signing out ends the session for every copy of the cookie; renewals keep it working until then", async ({
  browser,
  baseURL,
  ownerPage,
}) => {
  const copy = await copyOf(browser, baseURL, ownerPage);
  await expectSignedIn(copy);
  // A renewal (next-auth re-issues the cookie) keeps the same server-side session.
  const renewed = await copy.request.get("/api/auth/session");
  expect((await renewed.json()).user?.email).toMatch(/^owner-/);
  expect(renewed.headers()["set-cookie"]).toMatch(/next-auth\.session-token=/);
  await expectSignedIn(copy);

  await ownerPage.getByRole("banner").getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(ownerPage).toHaveURL(/\/sign-in/);
  await expectSignedOut(copy);
  await copy.context().close();
});

test("Sign out of all sessions ends this session, the user's other sessions and their copies", async ({
  browser,
  baseURL,
  tenant,
  ownerPage,
  newPage,
}) => {
  const elsewhere = await newPage({ email: tenant.owner.email });
  const copy = await copyOf(browser, baseURL, ownerPage);
  const colleague = await newPage({ email: tenant.users.admin.email });
  await expectSignedIn(copy);

  await ownerPage.getByRole("banner").getByText(tenant.owner.email).click();
  await ownerPage.getByRole("button", { name: "Sign out of all sessions" }).click();
  await expect(ownerPage).toHaveURL(/\/sign-in/);

  await expectSignedOut(copy);
  await expectSignedOut(elsewhere);
  // Another user of the tenant stays signed in.
  await expectSignedIn(colleague);
  await copy.context().close();
});

test("a super user ends a user's sessions at /admin; the copied cookie stops working, and it is audited", async ({
  browser,
  baseURL,
  tenant,
  newPage,
}) => {
  const admin = await newPage({ email: tenant.users.admin.email });
  const copy = await copyOf(browser, baseURL, admin);
  await expectSignedIn(copy);

  const superPage = await newPage({ storageState: storageStateFor("super") });
  await superPage.goto("/admin");
  await expect(superPage.getByTestId(`open-sessions-${tenant.users.admin.email}`)).toHaveText("1");
  await superPage.getByRole("button", { name: `End sessions of ${tenant.users.admin.email}` }).click();
  await superPage.getByRole("alertdialog").getByRole("button", { name: "End sessions" }).click();
  await expect(superPage.getByRole("status").filter({ hasText: "Ended 1 session(s)" })).toBeVisible();
  await expect(superPage.getByTestId(`open-sessions-${tenant.users.admin.email}`)).toHaveText("0");

  await expectSignedOut(copy);
  await expectSignedOut(admin);
  // The super user's own session is untouched.
  await superPage.goto("/admin");
  await expect(superPage.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();

  const events = (await auditRows(tenant)).filter((e) => e.action === "user.sessions_ended");
  expect(events.map((e) => JSON.parse(e.details ?? "{}"))).toEqual([{ user: tenant.users.admin.email, sessionsEnded: 1 }]);
  await copy.context().close();
});

/** Calls a server action by its id, outside the UI (as e2e/security/server-actions.spec.ts does). */
async function callAction(request: APIRequestContext, exportedName: string, args: unknown[]) {
  const file = path.resolve(__dirname, "..", "..", DIST_DIR, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, { exportedName: string }> };
  const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName)![0];
  const response = await request.post("/admin", {
    headers: { "Next-Action": id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: BASE_URL },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
  return response.text();
}

const openSessions = async (userId: string) => (await e2eDb()).session.count({ where: { userId, endedAt: null } });

test("End sessions called directly by a tenant owner or without a session is refused and ends nothing", async ({
  tenant,
  playwright,
  ownerPage,
  newPage,
}) => {
  const target = tenant.users.admin;
  await newPage({ email: target.email });
  const before = await openSessions(target.id);
  expect(before).toBe(1);

  expect(await callAction(ownerPage.request, "endUserSessionsAction", [target.id])).toMatch(/"code":"not_found"/);
  const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
  expect(await callAction(anonymous, "endUserSessionsAction", [target.id])).toMatch(/"code":"not_found"/);
  expect(await callAction(anonymous, "signOutEverywhere", [])).toMatch(/"ok":false/);
  await anonymous.dispose();
  expect(await openSessions(target.id)).toEqual(before);
});
