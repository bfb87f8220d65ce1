// Issue 15 in the browser: the default environments (production cannot be deleted); an owner
// creates a service account (a duplicate name is refused on the page), its page offers
// "+ Create Key", it is deleted; a key's request log on its page shows a verification made
// through the hot path, newest first, filtered by outcome, exported as CSV with the same
// filters; and the demo seed's ERP key page shows both of the log's hints.
import { storageStateFor } from "./demo";
import { expect, test } from "./fixtures/tenant";
import { closeSecretDialog, generateKey } from "./fixtures/ui";

test.describe.configure({ timeout: 90_000 });

test("an owner creates, sees and deletes a service account; a duplicate name is refused", async ({ ownerPage: page }) => {
  await page.goto("/service-accounts");
  await expect(page.getByRole("heading", { level: 1, name: "Service Accounts" })).toBeVisible();
  // Every tenant has the default environments (tests/factory.ts, as the seed and the migration
  // give them); production, where new keys run, cannot be deleted. An owner adds one (a bad
  // name is refused) and deletes it.
  const environments = page.getByRole("region", { name: "Environments" });
  await expect(environments.getByRole("listitem")).toHaveText([/^development/, /^production.*Default for new keys$/, /^staging/]);
  await expect(environments.getByRole("form", { name: "Delete environment production" })).toHaveCount(0);
  const newEnv = page.getByRole("form", { name: "New environment" });
  await newEnv.getByLabel("Name").fill("EU Staging");
  await newEnv.getByRole("button", { name: "Add environment" }).click();
  await expect(newEnv.getByRole("alert")).toContainText("lower-case letters");
  await newEnv.getByLabel("Name").fill("eu-staging");
  await newEnv.getByRole("button", { name: "Add environment" }).click();
  await expect(environments.getByRole("link", { name: "eu-staging", exact: true })).toBeVisible();
  await environments.getByRole("form", { name: "Delete environment eu-staging" }).getByRole("button", { name: "Delete" }).click();
  await expect(environments.getByRole("link", { name: "eu-staging", exact: true })).toHaveCount(0);

  const form = page.getByRole("form", { name: "New service account" });
  await form.getByLabel("Name").fill("nightly-scheduler");
  await form.getByLabel("Description").fill("Runs the nightly jobs");
  await form.getByRole("button", { name: "Create service account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "nightly-scheduler" })).toBeVisible();
  await expect(page.getByRole("link", { name: "+ Create Key" })).toHaveAttribute("href", /\/tenant-api-keys\/new\?/);
  await expect(page.getByText("No keys yet.")).toBeVisible();

  await page.goto("/service-accounts");
  await form.getByLabel("Name").fill("nightly-scheduler");
  await form.getByRole("button", { name: "Create service account" }).click();
  await expect(form.getByRole("alert")).toHaveText("A service account with this name exists already.");

  await page.getByRole("link", { name: "nightly-scheduler" }).click();
  await page.getByRole("button", { name: "Delete service account" }).click();
  await expect(page).toHaveURL(/\/service-accounts$/);
  await expect(page.getByRole("link", { name: "nightly-scheduler" })).toHaveCount(0);
});

test("a key's request log shows its verifications, filters by outcome and exports CSV", async ({ ownerPage: page, tenant }) => {
  const { secret } = await generateKey(page, { name: "Logged key", group: "Read only" });
  await closeSecretDialog(page);
  const keyId = await (async () => {
    await page.getByRole("link", { name: "Logged key" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Logged key" })).toBeVisible();
    return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  })();
  expect(keyId).not.toBe("");
  const requestId = `req_e2e_log_${Date.now()}`;
  const answer = await page.request.get("/v1/whoami", { headers: { "X-API-Key": secret, "X-Request-Id": requestId, "User-Agent": "e2e-agent/1.0" } });
  expect(answer.status()).toBe(200);

  const log = page.getByRole("region", { name: "Request log" });
  // Written by the next flush (KEYWARD_REQUEST_LOG_FLUSH_MS), not by the request.
  await expect(async () => {
    await page.reload();
    await expect(log.getByRole("cell", { name: requestId })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const row = log.getByRole("row").filter({ hasText: requestId });
  await expect(row).toContainText("Valid");
  await expect(row).toContainText("GET /v1/whoami");
  await expect(row).toContainText("e2e-agent/1.0");
  // The first address a key is used from is new in the last 30 days.
  await expect(log.getByRole("list", { name: "Request log hints" })).toContainText("New address");
  expect(tenant.id).not.toBe("");

  await log.getByLabel("Outcome").selectOption({ label: "IP not allowed" });
  await log.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/outcome=IP_NOT_ALLOWED/);
  await expect(log.getByText("No requests match these filters")).toBeVisible();

  const all = await page.request.get(`/tenant-api-keys/${encodeURIComponent(keyId)}/requests`);
  expect(all.status()).toBe(200);
  expect(all.headers()["content-type"]).toContain("text/csv");
  const text = await all.text();
  expect(text.split("\r\n")[0]).toBe("time,request_id,outcome,client_ip,method,path,user_agent,source,token_id");
  expect(text).toContain(`${requestId},VALID,`);
  const filtered = await page.request.get(`/tenant-api-keys/${encodeURIComponent(keyId)}/requests?outcome=IP_NOT_ALLOWED`);
  expect((await filtered.text()).trim().split("\r\n")).toHaveLength(1);
  const bad = await page.request.get(`/tenant-api-keys/${encodeURIComponent(keyId)}/requests?ip=not-an-ip`);
  expect(bad.status()).toBe(400);
});

test.describe("the demo seed, as Acme's operator (read-only: nothing here changes Acme)", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("the ERP Integration key's page shows both request-log hints: a new address and a failure spike", async ({ page }) => {
    await page.goto("/tenant-api-keys?q=ERP");
    await page.getByRole("table").getByRole("link", { name: "ERP Integration", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "ERP Integration" })).toBeVisible();
    const hints = page.getByRole("region", { name: "Request log" }).getByRole("list", { name: "Request log hints" });
    await expect(hints.getByRole("listitem")).toHaveText([/^New address 203\.0\.113\.99: first seen /, /^Failure spike: 8 failed requests in the hour from /]);
    await expect(hints.getByRole("listitem").first()).toContainText("(1 request).");
  });

  test("a service account's page offers + Create Key only to those who may create keys, and says why not", async ({ page }) => {
    await page.goto("/service-accounts");
    await page.getByRole("link", { name: "scheduler", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "scheduler" })).toBeVisible();
    await expect(page.getByRole("link", { name: "+ Create Key" })).toHaveCount(0);
    await expect(page.getByText(/owner or admin/i).first()).toBeVisible();
  });
});
