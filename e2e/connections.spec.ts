// Settings -> Connections (issue 19): an owner creates an HTTP API connection to a server on
// loopback, rotates its credential (Update Credentials into the secondary slot, Test, Save), and
// clears the old slot; a failing Test keeps the active slot and the form keeps what was typed
// except the secret; the page never shows a stored secret; an operator sees the non-secret parts
// with every change disabled. The e2e server may reach loopback only (KEYWARD_CONNECTION_TEST_NETWORKS).
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/tenant";
import { connectionSecret, loopbackApi } from "./fixtures/connections";

test.describe.configure({ timeout: 90_000 });

const slotRow = (card: Locator, slot: "primary" | "secondary") => card.getByRole("row", { name: `${slot} slot` });

async function createConnection(page: Page, fields: Record<string, string>, kind: "PostgreSQL" | "HTTP API") {
  await page.goto("/settings/connections");
  await page.getByRole("button", { name: "New connection" }).click();
  const form = page.getByRole("form", { name: "New connection" });
  await form.getByLabel("Kind").selectOption({ label: kind });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole("button", { name: "Create connection" }).click();
  await expect(form).toBeHidden();
}

test("an owner rotates an HTTP connection's credential with no downtime: secondary, Test, Save, clear", async ({ ownerPage: page, tenant, newPage }) => {
  const api = await loopbackApi("X-Api-Key");
  try {
    const first = connectionSecret();
    const second = connectionSecret();
    api.accepted.value = first;
    // Reached from the Settings menu.
    await page.goto("/settings");
    await page.getByRole("main").getByRole("link", { name: "Connections" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();

    await createConnection(page, { Name: "Billing API", "Base URL": api.baseUrl, "Header name": "X-Api-Key", "Test path": "/health", Secret: first }, "HTTP API");
    const card = page.getByRole("region", { name: "Connection Billing API" });
    await expect(card.getByText(`HTTP API · ${api.baseUrl} · header X-Api-Key · test /health`)).toBeVisible();
    await expect(slotRow(card, "primary")).toContainText("Active");
    await card.getByRole("button", { name: "Test primary credential of Billing API" }).click();
    await expect(card.getByRole("status")).toHaveText("GET /health answered 200.");

    // The other system moves to the second value; a wrong one first: the Test fails, nothing switches.
    api.accepted.value = second;
    await card.getByRole("button", { name: "Update Credentials" }).click();
    const dialog = page.getByRole("dialog", { name: "Update Credentials: Billing API" });
    await dialog.getByLabel("Secret").fill(connectionSecret());
    await dialog.getByRole("button", { name: "Test", exact: true }).click();
    await expect(dialog.getByRole("status")).toHaveText("Test did not pass: GET /health answered 401, expected 2xx.");
    await expect(dialog.getByLabel("Secret")).toHaveValue("");
    await expect(dialog.getByRole("button", { name: "Save", exact: true })).toBeDisabled();

    await dialog.getByLabel("Secret").fill(second);
    await dialog.getByRole("button", { name: "Test", exact: true }).click();
    await expect(dialog.getByRole("status")).toHaveText("Test passed: GET /health answered 200.");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(slotRow(card, "secondary")).toContainText("Active");
    await expect(slotRow(card, "secondary")).toContainText(/Passed/);
    await expect(slotRow(card, "primary")).not.toContainText("Active");

    await card.getByRole("button", { name: "Clear primary slot" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Clear slot" }).click();
    await expect(slotRow(card, "primary")).toContainText("Empty");
    // Never a stored secret on the page.
    const html = await page.content();
    expect(html).not.toContain(first);
    expect(html).not.toContain(second);

    // An operator reads the non-secret parts; every change is disabled with the reason.
    const operator = await newPage({ email: tenant.users.operator.email });
    await operator.goto("/settings/connections");
    const seen = operator.getByRole("region", { name: "Connection Billing API" });
    await expect(seen.getByText(`HTTP API · ${api.baseUrl}`, { exact: false })).toBeVisible();
    await expect(seen.getByRole("button", { name: "Update Credentials" })).toBeDisabled();
    await expect(operator.getByRole("button", { name: "New connection" })).toBeDisabled();
    await expect(operator.getByText(/Your role \(operator\) is read-only here/)).toBeVisible();
    expect(await operator.content()).not.toContain(second);
  } finally {
    await api.close();
  }
});

test("a failing Test keeps the active slot, and the form keeps the user name but not the password", async ({ ownerPage: page }) => {
  // Nothing listens on port 1: the Test fails with the reason.
  await createConnection(
    page,
    { Name: "Orders database", Host: "127.0.0.1", Port: "1", Database: "orders", User: "orders_blue", Password: connectionSecret() },
    "PostgreSQL",
  );
  const card = page.getByRole("region", { name: "Connection Orders database" });
  await card.getByRole("button", { name: "Update Credentials" }).click();
  const dialog = page.getByRole("dialog", { name: "Update Credentials: Orders database" });
  await dialog.getByLabel("User").fill("orders_green");
  await dialog.getByLabel("Password").fill(connectionSecret());
  await dialog.getByRole("button", { name: "Test", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText("Test did not pass: Could not connect to 127.0.0.1:1/orders as orders_green: the connection was refused");
  await expect(dialog.getByLabel("User")).toHaveValue("orders_green");
  await expect(dialog.getByLabel("Password")).toHaveValue("");
  await expect(dialog.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(slotRow(card, "primary")).toContainText("Active");
  await expect(slotRow(card, "secondary")).toContainText("orders_green");
  await expect(slotRow(card, "secondary")).toContainText(/Failed/);

  // An address outside the allowed networks is refused with the operator's setting named.
  await createConnection(page, { Name: "Metadata", Host: "169.254.169.254", Port: "80", Database: "x", User: "u", Password: connectionSecret() }, "PostgreSQL");
  const metadata = page.getByRole("region", { name: "Connection Metadata" });
  await metadata.getByRole("button", { name: "Test primary credential of Metadata" }).click();
  await expect(metadata.getByRole("status")).toHaveText(/Tests may not reach 169\.254\.169\.254: the operator allows the networks 127\.0\.0\.0\/8,::1\/128\./);

  // Bad input stays in the form with the field's message.
  await page.getByRole("button", { name: "New connection" }).click();
  const form = page.getByRole("form", { name: "New connection" });
  await form.getByLabel("Kind").selectOption({ label: "HTTP API" });
  await form.getByLabel("Name", { exact: true }).fill("Files");
  await form.getByLabel("Base URL").fill("ftp://files.example.com");
  await form.getByLabel("Secret").fill(connectionSecret());
  await form.getByRole("button", { name: "Create connection" }).click();
  await expect(form.getByText("Only http:// and https:// URLs can be used.")).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Files");
});
