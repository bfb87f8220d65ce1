// Signs every demo role in once through the real sign-in form and keeps the browser state,
// so that the other tests start signed in (e2e/.auth/<role>.json, git-ignored).
import { expect, test as setup } from "@playwright/test";
import { ROLES, ROLE_NAMES, isSessionCookie, storageStateFor, submitSignIn } from "./demo";

for (const role of ROLE_NAMES) {
  setup(`sign in as ${role} (${ROLES[role].email})`, async ({ page, context }) => {
    await page.goto("/sign-in");
    await submitSignIn(page, ROLES[role].email);
    await expect(page).toHaveURL(/\/tenant-api-keys$/);
    await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
    expect((await context.cookies()).some((c) => isSessionCookie(c.name))).toBe(true);
    await context.storageState({ path: storageStateFor(role) });
  });
}
