import path from "node:path";
import { expect, type Page } from "@playwright/test";

/** The seeded demo accounts (lib/db/seed.ts); one password for all of them. */
export const DEMO_PASSWORD = "keyward-demo";

export const ROLES = {
  owner: { email: "owner@acme.test", tenant: "Acme", roleLabel: "Owner" },
  admin: { email: "admin@acme.test", tenant: "Acme", roleLabel: "Admin" },
  operator: { email: "operator@acme.test", tenant: "Acme", roleLabel: "Operator" },
  "globex-admin": { email: "admin@globex.test", tenant: "Globex", roleLabel: "Admin" },
  super: { email: "super@keyward.test", tenant: "Acme", roleLabel: "Super user" },
} as const;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

/** Where the setup project leaves each role's signed-in browser state (git-ignored). */
export function storageStateFor(role: RoleName): string {
  return path.join(__dirname, ".auth", `${role}.json`);
}

export const ACME_KEYS = {
  "ERP Integration": "Active",
  "Mobile App": "Active",
  "Reporting Exporter": "Active",
  "Staging Scheduler": "Active",
  "Legacy Webhook Relay": "Expired",
  "Contractor Sync": "Revoked",
} as const;
export const ACME_GROUPS = ["Read only", "Full access", "Support staff"] as const;
export const GLOBEX_KEYS = { "Globex Billing Bridge": "Active" } as const;
export const GLOBEX_GROUPS = ["Globex automation"] as const;

export const KEY_TABLE_HEADERS = ["Name", "Status", "Authorization group", "Expires", "Last used"];

/** Fills and submits the sign-in form on the current page. */
export async function submitSignIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The API keys table: headed as documented, one row per key. */
export async function expectKeyTable(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  const table = page.getByRole("table");
  await expect(table).toBeVisible();
  for (const header of KEY_TABLE_HEADERS) {
    await expect(table.getByRole("columnheader", { name: header, exact: true })).toBeVisible();
  }
  return table;
}

export function keyRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });
}

/** A key's display prefix ("kw_AbCd1234…"), shown under its name in the list. */
export function keyPrefix(page: Page, name: string) {
  return keyRow(page, name).getByTestId("key-prefix");
}

/** The cell of a key's row under the given column header (e.g. "Status"). */
export async function keyCell(page: Page, name: string, header: string) {
  // The table may still be on its way (right after a dialog closes and the list re-renders):
  // read the headers once the key's row is there, not whatever is on screen at this instant.
  await keyRow(page, name).first().waitFor();
  const headers = await page.getByRole("table").getByRole("columnheader").allTextContents();
  // Sortable headers also hold an arrow (aria-hidden): compare the leading text only.
  const index = headers.findIndex((text) => text.replace(/[↕▲▼]/g, "").trim() === header);
  expect(index, `column "${header}" in ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return keyRow(page, name).getByRole("cell").nth(index);
}

/** The text of every body row's cell under the given column header. */
export async function columnTexts(page: Page, header: string): Promise<string[]> {
  const headers = await page.getByRole("table").getByRole("columnheader").allTextContents();
  const index = headers.findIndex((text) => text.replace(/[↕▲▼]/g, "").trim() === header);
  expect(index, `column "${header}" in ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return (await page.getByRole("table").locator(`tbody tr td:nth-child(${index + 1})`).allTextContents()).map((t) =>
    t.trim(),
  );
}

/**
 * The key list with room for every key on one page. Other suites (e2e/api) create keys in the
 * same database while these tests run, and the newest keys come first: without this the seeded
 * keys could move to page 2.
 */
export const KEY_LIST_ALL = "/tenant-api-keys?pageSize=100&sort=name&order=asc";

/** The session cookie next-auth sets on success (plain over http, __Secure- over https). */
export function isSessionCookie(name: string) {
  return /(^|\.)next-auth\.session-token(\.\d+)?$/.test(name);
}
