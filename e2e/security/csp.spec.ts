// Content-Security-Policy with per-request nonces: every page runs with a policy whose
// script-src has no 'unsafe-inline', and the browser reports no violation anywhere (Next.js's
// own inline scripts carry the nonce). An injected inline script without it is refused.
import type { Page, Response } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { storageStateFor, type RoleName } from "../demo";

type Violation = { directive: string; blocked: string; sample: string };

/** Records every CSP violation the browser reports, from the first byte of every page. */
async function watchViolations(page: Page) {
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __csp: Violation[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample });
    });
  });
  return {
    console,
    events: () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp),
  };
}

function scriptSrc(response: Response | null): string {
  const policy = response?.headers()["content-security-policy"] ?? "";
  return policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
}

async function expectStrictAndClean(page: Page, path: string, ready: (page: Page) => Promise<void>) {
  const watch = await watchViolations(page);
  const response = await page.goto(path);
  expect(response?.ok(), path).toBe(true);
  const src = scriptSrc(response);
  expect(src, path).toMatch(/'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'/);
  expect(src, path).not.toContain("unsafe-inline");
  expect(src, path).not.toContain("unsafe-eval");
  // Next.js's inline bootstrap scripts carry this response's nonce.
  const nonce = /'nonce-([^']+)'/.exec(src)![1];
  const html = await response!.text();
  expect(html.match(/<script\b/g)?.length ?? 0, path).toBeGreaterThan(0);
  expect(html.match(/<script\b(?![^>]*\bnonce=)/g) ?? [], `${path}: scripts without a nonce`).toEqual([]);
  expect(html, path).toContain(`nonce="${nonce}"`);
  await ready(page);
  expect(await watch.events(), path).toEqual([]);
  expect(watch.console, path).toEqual([]);
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page has a strict policy and no violation, and it works", async ({ page }) => {
    await expectStrictAndClean(page, "/sign-in", async (p) => {
      // Hydrated: the form's own validation (client-side zod) answers an empty submit.
      await p.getByRole("button", { name: "Sign in" }).click();
      await expect(p.getByText("Enter your email address.")).toBeVisible();
    });
  });

  test("a fresh nonce per response, and injected inline script is refused", async ({ page }) => {
    const first = scriptSrc(await page.goto("/sign-in"));
    const second = scriptSrc(await page.goto("/sign-in"));
    expect(first).not.toEqual(second);

    // Injected markup with an inline event handler (the usual XSS payload): without
    // 'unsafe-inline' the browser refuses to run it and reports the violation.
    const watch = await watchViolations(page);
    await page.goto("/sign-in");
    await page.evaluate(() => {
      const div = document.createElement("div");
      div.innerHTML = '<img alt="" src="/no-such-image.png" onerror="window.__injected = true">';
      document.body.appendChild(div);
    });
    await expect.poll(async () => (await watch.events()).map((v) => v.directive)).toEqual(["script-src-attr"]);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
  });
});

const PAGES: { role: RoleName; path: string | ((page: Page) => Promise<string>); heading: string }[] = [
  { role: "owner", path: "/tenant-api-keys", heading: "API Keys" },
  { role: "owner", path: "/tenant-api-keys/new", heading: "Generate API Key" },
  {
    role: "owner",
    path: async (page) => {
      await page.goto("/tenant-api-keys");
      const href = await page.getByRole("table").locator('a[href^="/tenant-api-keys/"]').first().getAttribute("href");
      return href!;
    },
    heading: "",
  },
  { role: "owner", path: "/audit-log", heading: "Audit Log" },
  { role: "owner", path: "/settings", heading: "Settings" },
  { role: "owner", path: "/settings/connections", heading: "Connections" },
  { role: "operator", path: "/tenant-api-keys", heading: "API Keys" },
  { role: "super", path: "/admin", heading: "Tenants" },
];

for (const { role, path, heading } of PAGES) {
  const name = typeof path === "string" ? path : "/tenant-api-keys/[keyId]";
  test.describe(`${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`${name}: strict policy, zero violations, page works`, async ({ page }) => {
      const target = typeof path === "string" ? path : await path(page);
      await expectStrictAndClean(page, target, async (p) => {
        const h1 = p.getByRole("heading", { level: 1 });
        if (heading) await expect(h1).toHaveText(heading);
        else await expect(h1).toBeVisible();
        // Hydrated: a client-side control responds (the account menu opens).
        await p.getByRole("banner").locator("summary").click();
        await expect(p.getByRole("button", { name: "Sign out of all sessions" })).toBeVisible();
      });
    });
  });
}
