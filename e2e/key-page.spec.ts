// The key's own page (issue #16, items 7, 11 and 14): Edit, Rotate and Revoke there with the
// list's dialogs, a usage chart with axes, dates and formatted numbers, the revocation (who,
// when) in its timeline, no blank scroll at the bottom; the operator's one read-only banner
// naming whom to ask; and "Expiring soon" scaled to each key's lifetime.
import { keyCell } from "./demo";
import { e2eDb } from "./fixtures/db";
import { DAY, expect, insertKeys, test } from "./fixtures/tenant";
import { closeSecretDialog, readSecret, shownPrefix, toastWith } from "./fixtures/ui";

test.describe.configure({ timeout: 60_000 });

const today = () => new Date().toISOString().slice(0, 10);
const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

test("the chart has a y axis of formatted counts and a dated x axis, and the page has no blank scroll", async ({
  ownerPage: page,
  tenant,
}) => {
  const [key] = await insertKeys(tenant, [{ name: "Busy key" }]);
  await (await e2eDb()).apiKeyUsageDaily.create({
    data: { keyId: key.id, day: today(), successCount: 14595, failureCount: 1203 },
  });
  await page.goto(`/tenant-api-keys/${key.id}`);
  await expect(page.getByTestId("usage-totals")).toContainText("14,595 successful");
  await expect(page.getByTestId("usage-totals")).toContainText("1,203 refused");
  // 15,798 in the day: the axis tops at 20,000, with 10,000 and 0 below.
  const yAxis = page.getByTestId("usage-y-axis");
  for (const tick of ["0", "10,000", "20,000", "Requests"]) await expect(yAxis.getByText(tick, { exact: true })).toHaveCount(1);
  const xAxis = page.getByTestId("usage-x-axis");
  await expect(xAxis.getByText(shortDay(today()), { exact: true })).toHaveCount(1);
  // The first day, every 7th, and the last (30 days: day 28 is left out, too close to day 29).
  await expect(xAxis.locator("text")).toHaveCount(5);
  // No two dates overlap.
  const boxes = await xAxis.locator("text").evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect()).map((r) => [r.left, r.right]));
  for (let i = 1; i < boxes.length; i++) expect(boxes[i][0], `date ${i} starts after date ${i - 1} ends`).toBeGreaterThan(boxes[i - 1][1]);

  // Nothing below the last section but the page's own padding.
  const blank = await page.evaluate(() => {
    const last = document.querySelector("main")!.firstElementChild!.lastElementChild!;
    return document.documentElement.scrollHeight - (last.getBoundingClientRect().bottom + window.scrollY);
  });
  expect(blank).toBeLessThanOrEqual(48);
});

test("Edit, Rotate and Revoke from the key page; the revocation says who and when", async ({ ownerPage: page, tenant }) => {
  const [key] = await insertKeys(tenant, [{ name: "Page key" }]);
  await page.goto(`/tenant-api-keys/${key.id}`);
  const actions = page.getByRole("group", { name: "Key actions" });

  await actions.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit API Key" });
  await edit.getByLabel("Key Name").fill("Page key v2");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, `Saved Page key v2 (${shownPrefix(key.prefix)})`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page key v2");
  await expect(actions.getByRole("button", { name: "Edit" })).toBeFocused();

  await actions.getByRole("button", { name: "Rotate" }).click();
  const rotate = page.getByRole("alertdialog", { name: "Rotate API Key" });
  await expect(rotate.getByTestId("dialog-key-facts")).toContainText(shownPrefix(key.prefix));
  await rotate.getByRole("button", { name: "Rotate", exact: true }).click();
  const secret = await readSecret(page.getByRole("dialog", { name: "API key rotated" }));
  await closeSecretDialog(page);
  await expect(toastWith(page, `Rotated Page key v2 (${shownPrefix(secret)})`)).toBeVisible();
  await expect(page.getByRole("main")).toContainText(shownPrefix(secret));
  await expect(actions.getByRole("button", { name: "Rotate" })).toBeFocused();

  const before = Date.now();
  await actions.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog", { name: "Revoke API Key" }).getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(toastWith(page, `Revoked Page key v2 (${shownPrefix(secret)})`)).toBeVisible();
  const revocation = page.getByTestId("key-revocation");
  await expect(revocation).toHaveText(new RegExp(`^Revoked \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC by ${tenant.owner.email.replace(/[.]/g, "\\.")}\\. It no longer authenticates\\.$`));
  const minute = new Date(before).toISOString().slice(0, 16).replace("T", " ");
  const nextMinute = new Date(before + 60_000).toISOString().slice(0, 16).replace("T", " ");
  const text = (await revocation.textContent()) ?? "";
  expect([minute, nextMinute].some((m) => text.includes(m)), text).toBe(true);
  const timeline = page.getByRole("main").locator("section").filter({ has: page.getByRole("heading", { name: "Status timeline" }) });
  await expect(timeline.getByRole("listitem").filter({ hasText: "Key revoked" })).toContainText(`by ${tenant.owner.email}`);
  // A revoked key is never rotated again: no due date that reads as a task.
  await expect(page.getByRole("region", { name: "Owner and rotation" })).toContainText("Next rotation dueNot due: the key is revoked");
  // The actions are gone with the key; focus is on the heading rather than the page body.
  await expect(actions).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
});

test("an operator sees one read-only banner naming the tenant's owner and admin, and disabled actions", async ({ tenant, newPage }) => {
  const [key] = await insertKeys(tenant, [{ name: "Watched key" }]);
  const page = await newPage({ email: tenant.users.operator.email });
  const banner = `Your role (operator) is read-only here: this needs an owner or admin. Ask Initech owner (${tenant.users.owner.email}) or Initech admin (${tenant.users.admin.email}).`;

  await expect(page.getByTestId("read-only-banner")).toHaveText(banner);
  await expect(page.getByRole("main").getByText("is read-only here")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Generate API Key" })).toHaveAccessibleDescription(banner);

  await page.goto(`/tenant-api-keys/${key.id}`);
  await expect(page.getByTestId("read-only-banner")).toHaveText(banner);
  await expect(page.getByRole("main").getByText("is read-only here")).toHaveCount(1);
  for (const name of ["Edit", "Rotate", "Disable", "Revoke"]) {
    const button = page.getByRole("group", { name: "Key actions" }).getByRole("button", { name });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(banner);
  }
});

test("Expiring soon is the last 20% of a key's lifetime (at most 7 days), never a revoked key; badge and filter agree", async ({
  ownerPage: page,
  tenant,
}) => {
  const now = Date.now();
  const minute = 60_000;
  await insertKeys(tenant, [
    // A 1-hour key just made: not yet (its last 12 minutes are).
    { name: "Fresh hour", createdAt: new Date(now - minute), expiresAt: new Date(now + 59 * minute) },
    // A 1-hour key with 5 minutes left: yes.
    { name: "Ending hour", createdAt: new Date(now - 55 * minute), expiresAt: new Date(now + 5 * minute) },
    // A 7-day key made a day ago: not yet (its last 33.6 hours are).
    { name: "Fresh week", createdAt: new Date(now - DAY), expiresAt: new Date(now + 6 * DAY) },
    // A year-long key with 6 days left: yes (capped at 7 days).
    { name: "Ending year", createdAt: new Date(now - 359 * DAY), expiresAt: new Date(now + 6 * DAY) },
    // Revoked with a day left: never.
    { name: "Revoked ending", status: "revoked", createdAt: new Date(now - 359 * DAY), expiresAt: new Date(now + DAY) },
  ]);
  const soon = ["Ending hour", "Ending year"];
  const notSoon = ["Fresh hour", "Fresh week", "Revoked ending"];

  await page.goto("/tenant-api-keys?status=active,revoked&pageSize=100");
  for (const name of soon) await expect(await keyCell(page, name, "Name")).toContainText("Expiring soon");
  for (const name of notSoon) {
    await expect(await keyCell(page, name, "Name")).not.toContainText("Expiring soon");
    await expect(await keyCell(page, name, "Expires")).not.toContainText("Expiring soon");
  }
  await expect(page.getByRole("link", { name: "2 keys expiring soon" })).toBeVisible();

  await page.goto("/tenant-api-keys?status=active,revoked&expiry=expiring_soon&pageSize=100");
  await expect.poll(() => page.getByRole("table").locator("tbody").getByRole("link").allTextContents()).toEqual(["Ending hour", "Ending year"]);
});
