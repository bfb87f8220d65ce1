// The audit log page: what the key lifecycle writes, the filters (in the URL), chain
// verification (intact, then broken by an UPDATE in the database), CSV export of exactly the
// filtered rows, the key page's link to its history, and read access for operators.
//
// Tenant: each test seeds its own. Where the rows must come from the app itself (the lifecycle,
// the chain), the owner performs the actions in the browser; where only the page is under test
// (filters, export), events are appended to the tenant's chain with the app's own hash function.
import { parse } from "csv-parse/sync";
import type { Page } from "@playwright/test";
import { columnTexts, keyCell, keyRow } from "./demo";
import {
  auditRows,
  DAY,
  expect,
  insertAuditEvents,
  insertKeys,
  tamperAuditDetails,
  test,
  type SeededTenant,
} from "./fixtures/tenant";
import { bodyRows, closeSecretDialog, generateKey, readSecret, shownPrefix, toastWith } from "./fixtures/ui";

// Tests that drive the lifecycle through the UI take a while on our 2-core machines.
test.describe.configure({ timeout: 90_000 });

const REQUEST_ID = /^req_[0-9a-f]{32}$/;
const LABELS: Record<string, string> = {
  "api_key.created": "Key created",
  "api_key.updated": "Key edited",
  "api_key.rotated": "Key rotated",
  "api_key.revoked": "Key revoked",
  "api_key.revoked_all": "All keys revoked",
  "tenant.limit_changed": "Key limit changed",
};
const FULL = "api_keys:read api_keys:write";
const READ = "api_keys:read";

/**
 * Waits until the list shows what the last action did. Every action refreshes the list from the
 * server, which re-renders the row buttons; a click during that refresh can hit a button that is
 * being replaced, so the next action waits for the refreshed list.
 */
async function expectCell(page: Page, name: string, header: string, text: string) {
  await expect(keyRow(page, name)).toHaveCount(1);
  await expect(await keyCell(page, name, header)).toContainText(text);
}

/** Generate, edit, rotate and revoke one key, then generate a second and revoke all, as the owner. */
async function runLifecycle(page: Page, tenant: SeededTenant) {
  const created = await generateKey(page, { name: "Audited key", group: "Full access" });
  await closeSecretDialog(page);
  await expectCell(page, "Audited key", "Name", shownPrefix(created.secret));

  await page.getByRole("button", { name: "Edit Audited key" }).click();
  const edit = page.getByRole("dialog", { name: "Edit API Key" });
  await edit.getByLabel("Description").fill("Edited for the audit log");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Saved Audited key (kw_")).toBeVisible();
  await expectCell(page, "Audited key", "Name", "Edited for the audit log");

  await page.getByRole("button", { name: "Rotate Audited key" }).click();
  await page.getByRole("alertdialog", { name: "Rotate API Key" }).getByRole("button", { name: "Rotate", exact: true }).click();
  const rotated = await readSecret(page.getByRole("dialog", { name: "API key rotated" }));
  await closeSecretDialog(page);
  await expectCell(page, "Audited key", "Name", shownPrefix(rotated));

  await page.getByRole("button", { name: "Revoke Audited key" }).click();
  await page.getByRole("alertdialog", { name: "Revoke API Key" }).getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(toastWith(page, "Revoked Audited key (kw_")).toBeVisible();
  await expectCell(page, "Audited key", "Status", "Revoked");

  const second = await generateKey(page, { name: "Second key", group: "Read only" });
  await closeSecretDialog(page);
  await expectCell(page, "Second key", "Name", shownPrefix(second.secret));
  await page.getByRole("button", { name: "Revoke all keys" }).click();
  const all = page.getByRole("alertdialog", { name: "Revoke all API keys" });
  await all.getByLabel(`Type ${tenant.name} to confirm`).fill(tenant.name);
  await all.getByRole("button", { name: "Revoke all keys" }).click();
  await expect(toastWith(page, "Revoked 1 key.")).toBeVisible();

  return {
    first: created.secret.slice(0, 11),
    rotated: rotated.slice(0, 11),
    second: second.secret.slice(0, 11),
  };
}

/** Generate, rotate and revoke one key: three events written by the app. */
async function runShortLifecycle(page: Page) {
  const { secret } = await generateKey(page, { name: "Chained key", group: "Read only" });
  await closeSecretDialog(page);
  await expectCell(page, "Chained key", "Name", shownPrefix(secret));
  await page.getByRole("button", { name: "Rotate Chained key" }).click();
  await page.getByRole("alertdialog", { name: "Rotate API Key" }).getByRole("button", { name: "Rotate", exact: true }).click();
  const rotated = await readSecret(page.getByRole("dialog", { name: "API key rotated" }));
  await closeSecretDialog(page);
  await expectCell(page, "Chained key", "Name", shownPrefix(rotated));
  await page.getByRole("button", { name: "Revoke Chained key" }).click();
  await page.getByRole("alertdialog", { name: "Revoke API Key" }).getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(toastWith(page, "Revoked Chained key (kw_")).toBeVisible();
}

/** Three keys and seven events: three created, one of each change, and a limit change. */
async function seedEvents(tenant: SeededTenant) {
  const [a, b, c] = await insertKeys(tenant, [{ name: "Key A" }, { name: "Key B", group: "Read only" }, { name: "Key C" }]);
  const actor = tenant.owner.email;
  const events = await insertAuditEvents(tenant, [
    { action: "api_key.created", actorLabel: actor, targetKeyId: a.id, keyPrefix: a.prefix, scopes: FULL, details: { name: "Key A" } },
    { action: "api_key.created", actorLabel: actor, targetKeyId: b.id, keyPrefix: b.prefix, scopes: READ, details: { name: "Key B" } },
    { action: "api_key.created", actorLabel: actor, targetKeyId: c.id, keyPrefix: c.prefix, scopes: FULL, details: { name: "Key C" } },
    { action: "api_key.updated", actorLabel: actor, targetKeyId: a.id, keyPrefix: a.prefix, scopes: FULL, details: { changed: ["description"] } },
    { action: "api_key.rotated", actorLabel: actor, targetKeyId: b.id, keyPrefix: b.prefix, scopes: READ, details: { overlap: "none" } },
    { action: "api_key.revoked", actorLabel: actor, targetKeyId: c.id, keyPrefix: c.prefix, scopes: FULL, details: { name: "Key C" } },
    { action: "tenant.limit_changed", actorLabel: "super@keyward.test", details: { from: 10, to: 12, keysInUse: 2 } },
  ]);
  return { keys: { a, b, c }, events };
}

/** The export as RFC 4180 records, read by csv-parse (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

test("create, edit, rotate, revoke and revoke-all are listed with actor, key prefix, scopes and request id", async ({
  ownerPage: page,
  tenant,
}) => {
  const prefixes = await runLifecycle(page, tenant);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
  await page
    .getByRole("main")
    .locator("section")
    .filter({ has: page.getByRole("heading", { name: "Data & Monitoring" }) })
    .getByRole("link", { name: "Audit Log", exact: true })
    .click();
  await expect(page).toHaveURL(/\/audit-log$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit Log" })).toBeVisible();

  // Newest first. Revoke all wrote its own event and one per key it revoked (the second key).
  await expect.poll(() => columnTexts(page, "Action")).toEqual([
    "Key revoked",
    "All keys revoked",
    "Key created",
    "Key revoked",
    "Key rotated",
    "Key edited",
    "Key created",
  ]);
  // Each key's current name beside the prefix the event was about.
  expect(await columnTexts(page, "Key")).toEqual([
    `Second key ${prefixes.second}…`,
    "—",
    `Second key ${prefixes.second}…`,
    `Audited key ${prefixes.rotated}…`,
    `Audited key ${prefixes.rotated}…`,
    `Audited key ${prefixes.first}…`,
    `Audited key ${prefixes.first}…`,
  ]);
  expect(await columnTexts(page, "Scopes")).toEqual([READ, "", READ, FULL, FULL, FULL, FULL]);
  for (const actor of await columnTexts(page, "Actor")) expect(actor).toBe(`${tenant.owner.email}User`);
  const requestIds = await columnTexts(page, "Request ID");
  for (const id of requestIds) expect(id).toMatch(REQUEST_ID);
  // One request id per action: the per-key event of revoke all shares the bulk event's.
  expect(requestIds[0]).toBe(requestIds[1]);
  expect(new Set(requestIds).size).toBe(requestIds.length - 1);
  // Never a secret: only display prefixes (11 characters) anywhere on the page.
  expect(await page.content()).not.toMatch(/kw_[0-9A-Za-z]{12,}/);
});

test("Verify chain reports the chain the app wrote as intact", async ({ ownerPage: page }) => {
  await runShortLifecycle(page);
  await page.goto("/audit-log");
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Chain intact: 3 events verified. Last signed checkpoint: event #3.");
});

test("after one event's details are altered in the database, Verify chain reports that event", async ({
  ownerPage: page,
  tenant,
}) => {
  await runShortLifecycle(page);
  expect((await auditRows(tenant)).map((e) => [e.seq, e.action])).toEqual([
    [1, "api_key.created"],
    [2, "api_key.rotated"],
    [3, "api_key.revoked"],
  ]);
  await tamperAuditDetails(tenant, 2, JSON.stringify({ previousPrefix: "kw_forged00", previousValidUntil: null }));

  await page.goto("/audit-log");
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(
    "Chain broken at event #2: its content does not match its keyed hash (HMAC).",
  );
});

test("the Action filter narrows the list and is kept in the URL", async ({ ownerPage: page, tenant }) => {
  await seedEvents(tenant);
  await page.goto("/audit-log");
  await expect.poll(async () => (await columnTexts(page, "Action")).length).toBe(7);

  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Key created" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]action=api_key\.created(&|$)/);
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key created", "Key created", "Key created"]);

  await page.reload();
  await expect(page.getByLabel("Action", { exact: true })).toHaveValue("api_key.created");
  expect(await columnTexts(page, "Action")).toEqual(["Key created", "Key created", "Key created"]);
});

test("the Key filter narrows the list to one key's events, by prefix or by id", async ({ ownerPage: page, tenant }) => {
  const { keys } = await seedEvents(tenant);
  await page.goto("/audit-log");
  await page.getByLabel("Key", { exact: true }).fill(keys.b.prefix);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]key=${keys.b.prefix}(&|$)`));
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key rotated", "Key created"]);
  expect(await columnTexts(page, "Key")).toEqual([`Key B ${keys.b.prefix}…`, `Key B ${keys.b.prefix}…`]);

  await page.goto(`/audit-log?key=${keys.a.id}`);
  await expect(page.getByLabel("Key", { exact: true })).toHaveValue(keys.a.id);
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key edited", "Key created"]);
});

test("the From and To dates and the Actor filter narrow the list, newest first, with the right total", async ({ ownerPage: page, tenant }) => {
  // Seven events on three days (UTC): two 10 days ago, three 3 days ago, two today. Their seq
  // order is their time order, as the app writes them.
  const day = (daysAgo: number, hour: number) => {
    const d = new Date(Date.now() - daysAgo * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d;
  };
  const ymd = (d: Date) => d.toISOString().slice(0, 10);
  const other = "admin@example.test";
  await insertAuditEvents(tenant, [
    { action: "api_key.created", actorLabel: tenant.owner.email, createdAt: day(10, 9) },
    { action: "api_key.updated", actorLabel: other, createdAt: day(10, 10) },
    { action: "api_key.created", actorLabel: tenant.owner.email, createdAt: day(3, 8) },
    { action: "api_key.rotated", actorLabel: other, createdAt: day(3, 12) },
    { action: "api_key.revoked", actorLabel: tenant.owner.email, createdAt: day(3, 23) },
    { action: "api_key.created", actorLabel: other, createdAt: day(0, 0) },
    { action: "api_key.revoked", actorLabel: tenant.owner.email, createdAt: day(0, 0) },
  ]);
  await page.goto("/audit-log");
  await expect(page.getByText("1–7 of 7 events")).toBeVisible();

  await page.getByLabel("From", { exact: true }).fill(ymd(day(4, 0)));
  await page.getByLabel("To", { exact: true }).fill(ymd(day(3, 0)));
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]from=${ymd(day(4, 0))}(&|$)`));
  await expect(page).toHaveURL(new RegExp(`[?&]to=${ymd(day(3, 0))}(&|$)`));
  // "To" includes its whole day: 23:00 is in.
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key revoked", "Key rotated", "Key created"]);
  await expect(page.getByText("1–3 of 3 events")).toBeVisible();

  await page.getByLabel("Actor", { exact: true }).fill(other);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key rotated"]);
  await expect(page.getByText("1–1 of 1 events")).toBeVisible();

  // From alone, with a page size of 25: the last three days and today, newest first.
  await page.goto(`/audit-log?from=${ymd(day(3, 0))}&pageSize=25`);
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key revoked", "Key created", "Key revoked", "Key rotated", "Key created"]);
  await expect(page.getByText("1–5 of 5 events")).toBeVisible();
});

test("a filter that matches no event says so, not 0–0 of 0", async ({ ownerPage: page, tenant }) => {
  await insertAuditEvents(tenant, [{ action: "api_key.created", actorLabel: tenant.owner.email, createdAt: new Date() }]);
  await page.goto("/audit-log");
  await expect(page.getByText("1–1 of 1 events")).toBeVisible();
  await page.goto(`/audit-log?actor=${encodeURIComponent("nobody@example.test")}`);
  await expect(page.getByText("No audit events match these filters.")).toBeVisible();
  const pagination = page.getByRole("navigation", { name: "Pagination" });
  await expect(pagination.getByText("No events", { exact: true })).toBeVisible();
  await expect(pagination).not.toContainText("0–0");
});

test("Export CSV has a header row and exactly the filtered rows", async ({ ownerPage: page, tenant }) => {
  await seedEvents(tenant);
  await page.goto("/audit-log");
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Key created" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]action=api_key\.created(&|$)/);
  await expect.poll(async () => (await columnTexts(page, "Action")).length).toBe(3);

  const link = page.getByRole("link", { name: "Export CSV" });
  const href = await link.getAttribute("href");
  expect(href).toBe("/audit-log/export?action=api_key.created");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/csv/);
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="keyward-audit-.+\.csv"$/);

  const [header, ...rows] = parseCsv(await response.text());
  expect(header).toEqual(["time", "seq", "actor_type", "actor", "action", "key_id", "key_prefix", "scopes", "request_id", "details"]);
  const column = (name: string) => rows.map((row) => row[header.indexOf(name)]);
  // The same rows as the table, in the same order.
  expect(column("action").map((action) => LABELS[action])).toEqual(await columnTexts(page, "Action"));
  expect(column("request_id")).toEqual(await columnTexts(page, "Request ID"));
  // The page prints the key's name before its prefix; the CSV has the prefix alone.
  expect(column("key_prefix").map((prefix) => `${prefix}…`)).toEqual((await columnTexts(page, "Key")).map((text) => text.split(" ").at(-1)));
  expect(column("seq")).toEqual(["3", "2", "1"]);
  for (const row of rows) expect(row).toHaveLength(header.length);
});

test("the key's page links to the key's full history in the audit log", async ({ ownerPage: page, tenant }) => {
  const { keys } = await seedEvents(tenant);
  await page.goto(`/tenant-api-keys/${keys.b.id}`);
  const timeline = page.getByRole("main").locator("section").filter({ has: page.getByRole("heading", { name: "Status timeline" }) });
  await expect(timeline.getByRole("listitem")).toHaveCount(2);
  const entries = timeline.getByRole("listitem");
  await expect(entries.nth(0).getByText("Created", { exact: true })).toBeVisible();
  await expect(entries.nth(0).getByText(`by ${tenant.owner.email}`, { exact: true })).toBeVisible();
  await expect(entries.nth(1).getByText("Key rotated", { exact: true })).toBeVisible();
  await expect(entries.nth(1).getByText(`by ${tenant.owner.email}`, { exact: true })).toBeVisible();

  await timeline.getByRole("link", { name: "Full history in the audit log" }).click();
  await expect(page).toHaveURL(new RegExp(`/audit-log\\?key=${keys.b.id}$`));
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key rotated", "Key created"]);
  expect(await columnTexts(page, "Key")).toEqual([`Key B ${keys.b.prefix}…`, `Key B ${keys.b.prefix}…`]);
});

test("an operator can read the audit log, verify it and export it", async ({ tenant, newPage }) => {
  await seedEvents(tenant);
  const page = await newPage({ email: tenant.users.operator.email });
  await page.goto("/audit-log");
  await expect(page.getByRole("heading", { level: 1, name: "Audit Log" })).toBeVisible();
  await expect.poll(async () => (await columnTexts(page, "Action")).length).toBe(7);
  await expect(bodyRows(page).first()).toContainText("Key limit changed");
  await expect(bodyRows(page).first()).toContainText("super@keyward.test");

  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Chain intact: 7 events verified. Last signed checkpoint: event #7.");
  const csv = await page.request.get((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(parseCsv(await csv.text())).toHaveLength(8);
});
