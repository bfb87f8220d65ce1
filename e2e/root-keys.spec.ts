// Root keys at /admin/root-keys: a 404 for everyone but a super user; the super user creates a
// root key (secret shown once), uses it against POST /v1/keys/verify, sees the platform audit
// event, renames it, and revokes it, after which the very next verification with it is refused.
import { storageStateFor } from "./demo";
import { closeSecretDialog } from "./fixtures/ui";
import { expect, test } from "@playwright/test";

test.describe("operator of Acme", () => {
  test.use({ storageState: storageStateFor("operator") });
  test("/admin/root-keys is not found", async ({ page }) => {
    const response = await page.goto("/admin/root-keys");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Root keys" })).toHaveCount(0);
  });
});

test.describe("super user", () => {
  test.use({ storageState: storageStateFor("super") });
  test("creates a root key, shown once, that verifies keys; revoking it stops it at once", async ({ page }) => {
    const name = `Gateway ${Date.now()}`;
    await page.goto("/admin/root-keys");
    await expect(page.getByRole("heading", { name: "Root keys", level: 1 })).toBeVisible();
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Create root key" }).click();
    const secret = (await page.getByTestId("root-key-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^kwr_[0-9A-Za-z]{38}$/);
    await closeSecretDialog(page);
    await expect(page.getByTestId("root-key-secret")).toHaveCount(0);
    await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(page.getByText("root_key.created").first()).toBeVisible();

    const check = () =>
      page.request.post("/v1/keys/verify", { headers: { Authorization: `Bearer ${secret}` }, data: { key: "kw_not_a_key" } });
    const ok = await check();
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toMatchObject({ valid: false, code: "NOT_FOUND" });

    const renamed = `${name} (edge)`;
    await page.getByRole("button", { name: `Rename ${name}` }).click();
    await page.getByLabel("New name").fill(renamed);
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByRole("cell", { name: renamed, exact: true })).toBeVisible();
    await expect(page.getByText("root_key.updated").first()).toBeVisible();

    await page.getByRole("button", { name: `Revoke ${renamed}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    const refused = await check();
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("unauthorized");
  });
});
