// Tenant isolation of the audit log: another tenant's members never see this tenant's events,
// not on the page, not in the CSV export, not in the checkpoints file, and their Verify chain
// reads and signs their own chain only. Neither filters (a key id of the other tenant) nor a
// tenant cookie naming the other tenant (the cookie only chooses among one's own tenants) reach
// across.
import { parse } from "csv-parse/sync";
import type { Page } from "@playwright/test";
import { columnTexts } from "./demo";
import { e2eDb } from "./fixtures/db";
import {
  deleteTenant,
  expect,
  insertAuditEvents,
  insertKeys,
  seedTenant,
  tamperAuditDetails,
  test,
  type SeededTenant,
} from "./fixtures/tenant";

test.describe.configure({ timeout: 60_000 });

/** Three events with request ids of their own, on one key of the tenant. */
async function seedChain(tenant: SeededTenant, label: string) {
  const [key] = await insertKeys(tenant, [{ name: `${label} key` }]);
  const events = await insertAuditEvents(
    tenant,
    ["api_key.created", "api_key.rotated", "api_key.revoked"].map((action) => ({
      action,
      actorLabel: `${label}-actor@initech.test`,
      targetKeyId: key.id,
      keyPrefix: key.prefix,
      details: { name: `${label} key` },
    })),
  );
  return { key, requestIds: events.map((event) => event.requestId) };
}

const checkpointCount = async (tenant: SeededTenant) => (await e2eDb()).auditCheckpoint.count({ where: { tenantId: tenant.id } });

function csvColumn(text: string, name: string): string[] {
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  const index = header.indexOf(name);
  expect(index, `${name} in ${header}`).toBeGreaterThanOrEqual(0);
  return rows.map((row) => row[index]);
}

/** Points the tenant cookie at another tenant, as a user could with the browser's tools. */
async function pretendTenant(page: Page, tenantId: string) {
  await page.context().addCookies([{ name: "kw_tenant", value: tenantId, url: page.url() }]);
}

test.describe("another tenant's admin", () => {
  let other: SeededTenant;
  test.beforeEach(async () => {
    other = await seedTenant();
  });
  test.afterEach(async () => {
    if (!process.env.KEEP_E2E_TENANTS) await deleteTenant(other);
  });

  test("never sees this tenant's events on the page, through a filter, or with a forged tenant cookie", async ({ tenant, newPage }) => {
    const mine = await seedChain(tenant, "mine");
    const theirs = await seedChain(other, "theirs");
    const page = await newPage({ email: other.users.admin.email });

    for (const forged of [false, true]) {
      if (forged) await pretendTenant(page, tenant.id);
      await page.goto("/audit-log");
      await expect.poll(() => columnTexts(page, "Request ID")).toEqual([...theirs.requestIds].reverse());
      await expect(page.getByRole("main")).not.toContainText("mine-actor@initech.test");
      await page.goto(`/audit-log?key=${mine.key.id}`);
      await expect(page.getByText("No audit events match these filters.")).toBeVisible();
      for (const id of mine.requestIds) await expect(page.getByText(id)).toHaveCount(0);
    }
  });

  test("cannot export this tenant's events or checkpoints", async ({ tenant, newPage }) => {
    const mine = await seedChain(tenant, "mine");
    const theirs = await seedChain(other, "theirs");
    const page = await newPage({ email: other.users.admin.email });

    for (const forged of [false, true]) {
      if (forged) await pretendTenant(page, tenant.id);
      const all = await page.request.get("/audit-log/export");
      expect(all.status()).toBe(200);
      expect(new Set(csvColumn(await all.text(), "request_id"))).toEqual(new Set(theirs.requestIds));
      const byKey = await page.request.get(`/audit-log/export?key=${mine.key.id}`);
      expect(csvColumn(await byKey.text(), "request_id")).toEqual([]);

      const checkpoints = await page.request.get("/audit-log/checkpoints");
      expect(checkpoints.status()).toBe(200);
      const document = JSON.stringify(await checkpoints.json());
      expect(document).toContain(other.id);
      expect(document).not.toContain(tenant.id);
    }
  });

  test("Verify chain checks and signs only their own chain", async ({ tenant, newPage, ownerPage }) => {
    await seedChain(tenant, "mine");
    await seedChain(other, "theirs");
    // This tenant's chain is broken at #2: the other admin's check must not see it, or sign it.
    await tamperAuditDetails(tenant, 2, JSON.stringify({ name: "forged" }));
    const page = await newPage({ email: other.users.admin.email });
    await pretendTenant(page, tenant.id);

    await page.goto("/audit-log");
    await page.getByRole("button", { name: "Verify chain" }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("Chain intact: 3 events verified. Last signed checkpoint: event #3.");
    expect(await checkpointCount(other)).toBe(1);
    expect(await checkpointCount(tenant)).toBe(0);

    // The owner's own check still finds the break in this tenant's chain.
    await ownerPage.goto("/audit-log");
    await ownerPage.getByRole("button", { name: "Verify chain" }).click();
    await expect(ownerPage.getByRole("main").getByRole("status")).toHaveText(
      "Chain broken at event #2: its content does not match its keyed hash (HMAC).",
    );
  });
});
