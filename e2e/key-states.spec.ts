// A key's reversible states in the list (issue 16): Disable / Re-enable (16.16) and the rotation
// overlap made visible with End overlap now (16.10). Keys are made through /v1 with Acme's
// bootstrap key, so each test holds real secrets and checks what the gate answers to them; every
// /v1 answer is checked against the OpenAPI document (e2e/api/keys.ts).
import { storageStateFor } from "./demo";
import { expect, expectJson, keyHeader, test } from "./api/keys";

test.describe.configure({ timeout: 90_000 });
test.use({ storageState: storageStateFor("admin") });

test("disable refuses the key everywhere at once, shows its badge and filter, and re-enable (REST) brings it back", async ({ page, api, acme }) => {
  const name = `Pause me ${Date.now()}`;
  const key = await acme.create({ name });
  const whoami = () => api.get("/v1/whoami", { headers: keyHeader(key.secret) });
  expect((await whoami()).status()).toBe(200);

  await page.goto(`/tenant-api-keys?q=${encodeURIComponent(name)}`);
  const row = page.locator(`tr[data-key-id="${key.id}"]`);
  await row.getByRole("button", { name: `Disable ${name}` }).click();
  const confirm = page.getByRole("alertdialog", { name: "Disable API Key" });
  await expect(confirm).toContainText("Unlike revoking, this can be undone");
  await confirm.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(row.getByRole("cell").filter({ hasText: /^Disabled$/ })).toBeVisible();
  // Edit and rotate wait for a re-enable; the switch now offers Re-enable.
  await expect(row.getByRole("button", { name: `Rotate ${name}` })).toBeDisabled();
  await expect(row.getByRole("button", { name: `Re-enable ${name}` })).toBeEnabled();

  // Refused by the /v1 gate from the next request on, in the error envelope.
  const refused = await whoami();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthorized");

  // Its own filter: listed under Disabled, not under Active.
  await page.goto(`/tenant-api-keys?status=disabled&q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("checkbox", { name: "Disabled" })).toBeChecked();
  await expect(row).toBeVisible();
  await page.goto(`/tenant-api-keys?status=active&q=${encodeURIComponent(name)}`);
  await expect(page.getByText("No API keys match these filters.")).toBeVisible();

  // REST: a stale If-Match is refused, then re-enable answers the active key.
  const stale = await api.post(`/v1/api-keys/${key.id}/enable`, { headers: { ...acme.auth, "If-Match": '"999"' } });
  expect(stale.status()).toBe(412);
  const enabled = await expectJson<{ status: string; disabledAt: string | null }>(await api.post(`/v1/api-keys/${key.id}/enable`, { headers: acme.auth }));
  expect(enabled).toMatchObject({ status: "active", disabledAt: null });
  expect((await whoami()).status()).toBe(200);
  const again = await api.post(`/v1/api-keys/${key.id}/enable`, { headers: acme.auth });
  expect(again.status()).toBe(409);

  // Audited, both ways.
  await page.goto(`/audit-log?key=${encodeURIComponent(key.id)}`);
  await expect(page.getByRole("main")).toContainText("Key disabled");
  await expect(page.getByRole("main")).toContainText("Key re-enabled");
});

test("a rotation overlap shows Rotating with the old prefix and its last use; rotate warns; End overlap now kills the old secret", async ({
  page,
  api,
  acme,
}) => {
  const name = `Overlapping ${Date.now()}`;
  const key = await acme.create({ name });
  const rotated = await expectJson<{ secret: string; prefix: string; previousSecretValidUntil: string; previousSecretPrefix: string }>(
    await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth, data: { overlap: "24h" } }),
  );
  expect(rotated.previousSecretPrefix).toBe(key.prefix);
  // The old secret still works during the overlap, and that use is recorded (batched).
  expect((await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status()).toBe(200);

  await page.goto(`/tenant-api-keys?q=${encodeURIComponent(name)}`);
  const row = page.locator(`tr[data-key-id="${key.id}"]`);
  const overlap = row.getByTestId("rotation-overlap");
  await expect(overlap).toContainText("Rotating");
  await expect(overlap).toContainText(`old ${key.prefix}…`);
  await expect(overlap).toContainText(/ends in 2[34] hours/);
  await expect(async () => {
    await page.reload();
    await expect(overlap).toContainText(/used (just now|\d+ (second|minute)s? ago)/, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // Compact: the status cell is three short lines at most, never wrapped.
  const box = await overlap.boundingBox();
  expect(box!.height).toBeLessThanOrEqual(3 * 24);

  // Rotating again during the overlap says that it ends it.
  await row.getByRole("button", { name: `Rotate ${name}` }).click();
  const rotate = page.getByRole("alertdialog", { name: "Rotate API Key" });
  await expect(rotate.getByTestId("overlap-running-warning")).toContainText("Rotating again ends that overlap");
  await rotate.getByRole("button", { name: "Cancel" }).click();

  await row.getByRole("button", { name: `End overlap now for ${name}` }).click();
  const end = page.getByRole("alertdialog", { name: "End rotation overlap" });
  await expect(end).toContainText(`${key.prefix}…`);
  await end.getByRole("button", { name: "End overlap now" }).click();
  await expect(overlap).toHaveCount(0);
  await expect(row.getByRole("cell").filter({ hasText: /^Active$/ })).toBeVisible();
  expect((await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status()).toBe(401);
  expect((await api.get("/v1/whoami", { headers: keyHeader(rotated.secret) })).status()).toBe(200);
});
