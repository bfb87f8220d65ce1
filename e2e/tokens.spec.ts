// Signed tokens in the dashboard (issue 14): an admin generates a "Signed token (JWT)" (shown
// once, copy button, decoded claims) that jose and jsonwebtoken + jwks-rsa verify against the
// running server's JWKS and Keyward accepts as a Bearer; revoking it on the tokens page refuses it
// on the next request. A super user's forward-auth accepts a token, and rotating the signing key
// at /admin keeps old tokens verifying while new ones carry the new kid.
import { decodeJwt, decodeProtectedHeader } from "jose";
import { storageStateFor } from "./demo";
import { closeSecretDialog } from "./fixtures/ui";
import { expect, expectJson, test } from "./api/keys";
import { bearer, verifiers } from "./api/token-verifiers";

test.describe("admin of Acme", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("generates a signed token, shown once with its claims, verified offline and by Keyward; revoking stops it", async ({ page, api, urls }) => {
    const name = `CLI token ${Date.now()}`;
    await page.goto("/tenant-api-keys/new");
    await page.getByRole("link", { name: "Signed token (JWT)" }).click();
    await expect(page.getByRole("heading", { name: "Generate Signed Token" })).toBeVisible();
    // A live token takes a place of the key limit, and the form says so (the shared Acme's count varies).
    await expect(page.getByRole("main")).toContainText(/\d+\/\d+ keys in use\. A signed token takes a place of the key limit until it expires or is revoked\./);

    // The expiry is required: there is no "never" for a token.
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Generate JWT" }).click();
    await expect(page.getByText(/Choose an expiry: 15m, 1h/)).toBeVisible();

    await page.getByLabel("Expiration").selectOption("1h");
    await page.getByLabel("Authorization group").selectOption({ label: "Full access" });
    // Least privilege: drop the write scope the group would give.
    await page.getByRole("checkbox", { name: "api_keys:write" }).uncheck();
    await page.getByRole("button", { name: "Generate JWT" }).click();
    const token = (await page.getByTestId("signed-token").textContent())?.trim() ?? "";
    expect(token.split(".")).toHaveLength(3);
    await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: "admin@acme.test", scopes: ["api_keys:read"], name });
    expect(claims.exp! - claims.iat!).toBe(3600);
    await expect(page.getByTestId("token-claims")).toContainText(`"workspace": "${claims.workspace}"`);

    const { withJose, withJsonwebtoken } = verifiers(urls.trusted);
    expect(await withJose(token)).toMatchObject({ jti: claims.jti });
    // Retried: a JWKS fetch that timed out once under CI load is a retry, not a failed verification.
    await expect(async () => expect(await withJsonwebtoken(token)).toMatchObject({ jti: claims.jti })).toPass({ timeout: 15_000 });
    await expectJson(await api.get("/v1/whoami", { headers: bearer(token) }));

    await closeSecretDialog(page);
    await expect(page.getByTestId("signed-token")).toHaveCount(0);

    // The key list's usage counts live tokens and says how many.
    await page.goto("/tenant-api-keys");
    await expect(page.getByTestId("key-usage-tokens")).toHaveText(/^including \d+ signed tokens?$/);

    // Listed in the key table itself, with its JWT badge; the old tokens page is that list filtered.
    const row = page.locator("tr", { has: page.getByTestId("jwt-badge") }).filter({ hasText: name });
    await expect(row).toContainText("Active");
    // Its use through Keyward (the whoami above) shows as Last used once the batch is written.
    await expect(async () => {
      await page.reload();
      await expect(row).not.toContainText("Never used", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await page.goto("/tenant-api-keys/tokens");
    await expect(page).toHaveURL(/\/tenant-api-keys\?kind=token$/);
    await expect(page.getByRole("checkbox", { name: "JWT" })).toBeChecked();
    await expect(row).toContainText("JWT");
    await expect(page.locator("tr[data-key-id]").filter({ hasNot: page.getByTestId("jwt-badge") })).toHaveCount(0);
    await row.getByRole("button", { name: `Revoke token ${name}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(row).toContainText("Revoked");
    const refused = await api.get("/v1/whoami", { headers: bearer(token) });
    expect(refused.status()).toBe(401);
    const list = await (await api.get("/v1/tokens/revocations")).json();
    expect(list.revoked.map((r: { jti: string }) => r.jti)).toContain(claims.jti);
  });
});

test.describe("operator of Acme", () => {
  test.use({ storageState: storageStateFor("operator") });
  test("is told why they cannot generate a token", async ({ page }) => {
    await page.goto("/tenant-api-keys/new?type=token");
    await expect(page.getByText(/Your role \(operator\) is read-only/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Generate JWT" })).toHaveCount(0);
  });
});

test.describe("super user", () => {
  test.use({ storageState: storageStateFor("super") });

  test("forward-auth accepts a token; rotation keeps old tokens and gives new ones the new kid", async ({ page, api, acme }) => {
    const exchange = async () =>
      (await acme.issueToken<{ token: string; kid: string; claims: { jti: string } }>({ expiresIn: "15m" }));
    const old = await exchange();

    await page.goto("/admin/root-keys");
    await page.getByLabel("Name").fill(`Token gateway ${Date.now()}`);
    await page.getByRole("button", { name: "Create root key" }).click();
    const root = (await page.getByTestId("root-key-secret").textContent())?.trim() ?? "";
    await closeSecretDialog(page);
    // page.request, as e2e/root-keys.spec.ts does: forward-auth's answers are for gateways.
    const authorize = (token: string, scope?: string) =>
      page.request.get("/v1/authorize", {
        headers: { "X-Keyward-Root-Key": root, ...bearer(token), ...(scope ? { "X-Keyward-Required-Scope": scope } : {}) },
      });
    const allowed = await authorize(old.token, "api_keys:read");
    expect(allowed.status()).toBe(200);
    expect(allowed.headers()["x-keyward-tenant-id"]).toBe(acme.bootstrap.tenant.id);
    expect((await authorize(old.token, "billing:admin")).status()).toBe(403);
    expect((await authorize(old.token.slice(0, -4) + "AAAA")).status()).toBe(401);

    await page.goto("/admin");
    await page.getByRole("button", { name: "Rotate signing key" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Rotate signing key" }).click();
    const status = page.getByRole("status").filter({ hasText: "Rotated: new key" });
    await expect(status).toBeVisible();
    const newKid = ((await status.textContent()) ?? "").replace(/^.*new key\s+/, "").replace(/\.$/, "");

    await expectJson(await api.get("/v1/whoami", { headers: bearer(old.token) }));
    const fresh = await exchange();
    expect(decodeProtectedHeader(fresh.token).kid).toBe(newKid);
    expect(newKid).not.toBe(old.kid);
    const kids = (await (await api.get("/.well-known/jwks.json")).json()).keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([old.kid, newKid]));
    await expectJson(await api.get("/v1/whoami", { headers: bearer(fresh.token) }));
    const events = await page.goto("/admin/root-keys");
    expect(events?.status()).toBe(200);
  });
});
