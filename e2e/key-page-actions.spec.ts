// The key's own page has the list's state actions (issue 15 follow-up): Disable / Re-enable and
// End overlap now, with the same dialogs, server actions, toasts and focus return. Keys are made
// through /v1 with Acme's bootstrap key (e2e/api/keys.ts), so each test holds real secrets and
// checks what the gate answers to them.
import { storageStateFor } from "./demo";
import { expect, expectJson, keyHeader, test } from "./api/keys";
import { toastWith } from "./fixtures/ui";

test.describe.configure({ timeout: 90_000 });
test.use({ storageState: storageStateFor("admin") });

test("Disable and Re-enable from the key page: the badge, the other actions and the gate follow", async ({ page, api, acme }) => {
  const name = `Page pause ${Date.now()}`;
  const key = await acme.create({ name });
  const whoami = () => api.get("/v1/whoami", { headers: keyHeader(key.secret) });
  expect((await whoami()).status()).toBe(200);

  await page.goto(`/tenant-api-keys/${encodeURIComponent(key.id)}`);
  const actions = page.getByRole("group", { name: "Key actions" });
  const badge = page.locator("[data-key-heading] + span");
  await expect(badge).toHaveText("Active");

  await actions.getByRole("button", { name: "Disable" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Disable API Key" });
  await expect(confirm).toContainText("Unlike revoking, this can be undone");
  await confirm.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(toastWith(page, `Disabled ${name}.`)).toBeVisible();
  await expect(badge).toHaveText("Disabled");
  // Edit and Rotate wait for a re-enable (with the reason); focus is on the switch, now Re-enable.
  for (const label of ["Edit", "Rotate"]) {
    await expect(actions.getByRole("button", { name: label })).toBeDisabled();
    await expect(actions.getByRole("button", { name: label })).toHaveAttribute("title", "Re-enable the key to edit or rotate it.");
  }
  await expect(actions.getByRole("button", { name: "Re-enable" })).toBeFocused();
  const refused = await whoami();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthorized");

  await actions.getByRole("button", { name: "Re-enable" }).click();
  await page.getByRole("alertdialog", { name: "Re-enable API Key" }).getByRole("button", { name: "Re-enable", exact: true }).click();
  await expect(toastWith(page, `Re-enabled ${name}.`)).toBeVisible();
  await expect(badge).toHaveText("Active");
  await expect(actions.getByRole("button", { name: "Edit" })).toBeEnabled();
  await expect(actions.getByRole("button", { name: "Disable" })).toBeFocused();
  expect((await whoami()).status()).toBe(200);

  // Audited, both ways, in the key's timeline.
  const timeline = page.getByRole("main").locator("section").filter({ has: page.getByRole("heading", { name: "Status timeline" }) });
  await expect(timeline).toContainText("Key disabled");
  await expect(timeline).toContainText("Key re-enabled");
});

test("End overlap now from the key page: the old secret stops at once, the new one works", async ({ page, api, acme }) => {
  const name = `Page overlap ${Date.now()}`;
  const key = await acme.create({ name });
  const rotated = await expectJson<{ secret: string; previousSecretPrefix: string }>(
    await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth, data: { overlap: "24h" } }),
  );
  expect((await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status()).toBe(200);

  await page.goto(`/tenant-api-keys/${encodeURIComponent(key.id)}`);
  const actions = page.getByRole("group", { name: "Key actions" });
  // The page says what is running: the badge and the previous secret's prefix.
  const badge = page.locator("[data-key-heading] + span");
  await expect(badge).toHaveText("Rotating");
  await expect(page.getByTestId("key-overlap")).toContainText(`previous secret ${rotated.previousSecretPrefix}… still works until`);
  await actions.getByRole("button", { name: "End overlap now" }).click();
  const end = page.getByRole("alertdialog", { name: "End rotation overlap" });
  await expect(end).toContainText(`${rotated.previousSecretPrefix}…`);
  await end.getByRole("button", { name: "End overlap now" }).click();
  await expect(toastWith(page, `Ended the rotation overlap of ${name}.`)).toBeVisible();
  await expect(badge).toHaveText("Active");
  await expect(page.getByTestId("key-overlap")).toHaveCount(0);
  // The button goes with the overlap; focus is on Rotate.
  await expect(actions.getByRole("button", { name: "End overlap now" })).toHaveCount(0);
  await expect(actions.getByRole("button", { name: "Rotate" })).toBeFocused();
  expect((await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status()).toBe(401);
  expect((await api.get("/v1/whoami", { headers: keyHeader(rotated.secret) })).status()).toBe(200);
});
