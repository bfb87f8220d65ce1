// The one browser test of e2e/api: an admin generates a key in the UI, copies the secret with
// the copy button, and an integration calls /v1/whoami with exactly what was on the clipboard.
//
// Tenant and keys: Acme. One key generated through the UI (unique name), revoked at the end
// with Acme's shared bootstrap key.
import { storageStateFor } from "../demo";
import { closeSecretDialog, expect, expectApiError, expectJson, keyHeader, submitGenerateForm, test, uniqueName } from "./keys";

test.use({ storageState: storageStateFor("admin"), permissions: ["clipboard-read", "clipboard-write"] });

test("an admin generates a key, copies the secret, and the copied secret authenticates /v1/whoami", async ({
  page,
  api,
  acme,
}) => {
  const name = uniqueName("generated in the browser");
  await submitGenerateForm(page, { name, group: "Read only", expiration: "1 hour" });

  const shown = (await page.getByTestId("api-key-secret").textContent())?.trim() ?? "";
  await page.getByRole("button", { name: "Copy secret" }).click();
  await expect(page.getByRole("button", { name: "Copy secret" })).toHaveText(/Copied/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^kw_[0-9A-Za-z]{38}$/);
  expect(copied).toBe(shown);

  const before = Date.now();
  const me = await expectJson(await api.get("/v1/whoami", { headers: keyHeader(copied) }));
  acme.created.push(me.id);
  expect(me).toMatchObject({
    name,
    prefix: copied.slice(0, 11),
    tenant: { name: "Acme" },
    authorizationGroup: { name: "Read only" },
    scopes: ["api_keys:read"],
  });
  const hour = 60 * 60_000;
  expect(Date.parse(me.expiresAt)).toBeGreaterThan(before + hour - 5 * 60_000);
  expect(Date.parse(me.expiresAt)).toBeLessThanOrEqual(before + hour);

  // Show once: after closing, the list shows the key's prefix but the secret is nowhere on the page.
  await closeSecretDialog(page, { copied: true });
  await page.goto(`/tenant-api-keys?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText(copied.slice(0, 11));
  expect(await page.content()).not.toContain(copied);

  // The key is a read-only key: it may not create keys.
  await expectApiError(
    await api.post("/v1/api-keys", { headers: keyHeader(copied), data: { name: uniqueName("nope"), groupId: acme.groupId("Read only") } }),
    403,
    "insufficient_scope",
  );
});
