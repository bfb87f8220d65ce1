// The audit log against someone who can write the database (SECURITY.md): Verify chain names
// the newest events deleted after a signed checkpoint and an old event rewritten and re-chained
// with plain SHA-256; Download checkpoints gives a file an auditor verifies with node:crypto
// alone. And Revoke all leaves an event in each key's own history.
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFile } from "node:fs/promises";
import { auditHashInput } from "../lib/audit/chain";
import { columnTexts } from "./demo";
import { e2eDb } from "./fixtures/db";
import { toastWith } from "./fixtures/ui";
import { e2eAuditKeys, expect, insertAuditEvents, insertKeys, test, type SeededTenant } from "./fixtures/tenant";

test.describe.configure({ timeout: 90_000 });

async function seedChain(tenant: SeededTenant, count: number) {
  await insertAuditEvents(
    tenant,
    Array.from({ length: count }, (_, i) => ({ action: "api_key.updated", actorLabel: tenant.owner.email, details: { n: i + 1 } })),
  );
}

async function verifyChain(page: import("@playwright/test").Page) {
  await page.goto("/audit-log");
  await page.getByRole("button", { name: "Verify chain" }).click();
  return page.getByRole("main").getByRole("status");
}

/** As an attacker without the chain key: change event `seq` and recompute the chain with SHA-256. */
async function rewriteAndRechain(tenant: SeededTenant, seq: number) {
  const db = await e2eDb();
  const rows = await db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { seq: "asc" } });
  let prevHash: string | null = null;
  for (const row of rows) {
    const event = { ...row, prevHash };
    if (event.seq === seq) event.details = JSON.stringify({ n: "forged" });
    const hash: string = createHash("sha256").update(auditHashInput(event)).digest("hex");
    if (event.seq >= seq) {
      await db.auditEvent.update({ where: { id: row.id }, data: { details: event.details, prevHash, hash } });
      prevHash = hash;
    } else prevHash = row.hash;
  }
}

test("deleting the newest events after a checkpoint: Verify chain reports the truncation", async ({ ownerPage: page, tenant }) => {
  await seedChain(tenant, 3);
  const status = await verifyChain(page);
  await expect(status).toHaveText("Chain intact: 3 events verified. Last signed checkpoint: event #3.");

  await (await e2eDb()).auditEvent.deleteMany({ where: { tenantId: tenant.id, seq: { gte: 2 } } });
  await expect(await verifyChain(page)).toHaveText(
    /^Chain broken at event #2: the log ends at event #1, but the signed checkpoint of .+ UTC counted 3 events: the newest events were deleted\.$/,
  );
});

test("an old event rewritten and re-chained with plain SHA-256: Verify chain names it", async ({ ownerPage: page, tenant }) => {
  await seedChain(tenant, 4);
  await rewriteAndRechain(tenant, 2);
  await expect(await verifyChain(page)).toHaveText("Chain broken at event #2: its content does not match its keyed hash (HMAC).");
});

test("Download checkpoints: a file whose signatures verify with its own public key and node:crypto", async ({ ownerPage: page, tenant }) => {
  await seedChain(tenant, 2);
  await expect(await verifyChain(page)).toHaveText("Chain intact: 2 events verified. Last signed checkpoint: event #2.");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download checkpoints" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^keyward-audit-checkpoints-Initech-.+\.json$/);
  const file = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(file.tenant).toEqual({ id: tenant.id, name: tenant.name });
  expect(file.publicKey.keyId).toBe(e2eAuditKeys().keyId);
  await expect(page.getByTestId("checkpoint-key-id")).toHaveText(file.publicKey.keyId);
  expect(file.checkpoints).toHaveLength(1);
  const [checkpoint] = file.checkpoints;
  const key = createPublicKey(file.publicKey.pem);
  expect(verify(null, Buffer.from(checkpoint.payload), key, Buffer.from(checkpoint.signature, "base64url"))).toBe(true);
  const head = await (await e2eDb()).auditEvent.findUnique({ where: { tenantId_seq: { tenantId: tenant.id, seq: 2 } }, select: { hash: true } });
  expect(JSON.parse(checkpoint.payload)).toMatchObject({ tenantId: tenant.id, seq: 2, hash: head!.hash });
});

test("Revoke all: each key's timeline and the audit log's key filter show who revoked it", async ({ ownerPage: page, tenant }) => {
  const [first, second] = await insertKeys(tenant, [{ name: "Nightly export" }, { name: "Webhook relay", group: "Read only" }]);
  await page.goto("/tenant-api-keys");
  await page.getByRole("button", { name: "Revoke all keys" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Revoke all API keys" });
  await dialog.getByLabel(`Type ${tenant.name} to confirm`).fill(tenant.name);
  await dialog.getByRole("button", { name: "Revoke all keys" }).click();
  await expect(toastWith(page, "Revoked 2 keys.")).toBeVisible();

  for (const key of [first, second]) {
    await page.goto(`/tenant-api-keys/${key.id}`);
    const timeline = page.getByRole("main").locator("section").filter({ has: page.getByRole("heading", { name: "Status timeline" }) });
    const last = timeline.getByRole("listitem").last();
    await expect(last.getByText("Key revoked", { exact: true })).toBeVisible();
    await expect(last.getByText(`by ${tenant.owner.email}`, { exact: true })).toBeVisible();
  }

  await page.goto(`/audit-log?key=${second.prefix}`);
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key revoked"]);
  expect(await columnTexts(page, "Actor")).toEqual([`${tenant.owner.email}User`]);
  await page.goto("/audit-log");
  await expect.poll(() => columnTexts(page, "Action")).toEqual(["Key revoked", "Key revoked", "All keys revoked"]);
});
