// The sign-in throttle through the real sign-in endpoint (next-auth's credentials callback),
// with client addresses simulated by X-Forwarded-For through the trusted proxy 127.0.0.1.
// Limits in the e2e server: 5 failures per (account, address), 12 per account from anywhere
// (KEYWARD_LOGIN_MAX_PER_ACCOUNT in e2e/server-env.cjs), 20 per address.
import type { APIRequestContext, PlaywrightWorkerArgs } from "@playwright/test";
import { expect, FIXTURE_PASSWORD, test } from "../fixtures/tenant";
import { serverUrls, uniqueClientAddress } from "../api/keys";
import { isSessionCookie } from "../demo";

type Outcome = "signed-in" | "CredentialsSignin" | "TooManyAttempts";

async function client(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string | undefined, address: string) {
  const context = await playwright.request.newContext({
    baseURL: serverUrls(baseURL).trusted,
    extraHTTPHeaders: { "X-Forwarded-For": address },
  });
  const csrf = await (await context.get("/api/auth/csrf")).json();
  return { context, csrfToken: csrf.csrfToken as string };
}

/** One sign-in as the browser's form sends it; the outcome as next-auth reports it. */
async function signIn(from: { context: APIRequestContext; csrfToken: string }, email: string, password: string): Promise<Outcome> {
  const response = await from.context.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken: from.csrfToken, callbackUrl: "/tenant-api-keys", json: "true" },
    maxRedirects: 0,
  });
  // 200 when signed in, 401 with the error in the URL otherwise.
  expect([200, 401]).toContain(response.status());
  const url = new URL((await response.json()).url);
  return (url.searchParams.get("error") as Outcome | null) ?? "signed-in";
}

async function hasSession(from: { context: APIRequestContext }) {
  const { cookies } = await from.context.storageState();
  return cookies.some((c) => isSessionCookie(c.name));
}

test.describe.configure({ timeout: 60_000 });

test("40 parallel wrong passwords: 5 are checked, and the right password sent among them gets no session", async ({
  playwright,
  baseURL,
  tenant,
}) => {
  const address = uniqueClientAddress();
  const attacker = await client(playwright, baseURL, address);
  const owner = await client(playwright, baseURL, address);
  const email = tenant.owner.email;

  let firstRefusal!: () => void;
  const refused = new Promise<void>((resolve) => (firstRefusal = resolve));
  const guesses = Array.from({ length: 40 }, (_, i) =>
    signIn(attacker, email, `wrong-${i}`).then((outcome) => {
      if (outcome === "TooManyAttempts") firstRefusal();
      return outcome;
    }),
  );
  // A refusal answers at once; the admitted guesses are still in scrypt when it arrives.
  await Promise.race([refused, Promise.all(guesses)]);
  const right = await signIn(owner, email, FIXTURE_PASSWORD);
  const outcomes = await Promise.all(guesses);

  // Every guess has one of the two answers (no error), and only 5 reached the password check.
  expect(outcomes.filter((o) => o !== "CredentialsSignin" && o !== "TooManyAttempts")).toEqual([]);
  expect(outcomes.filter((o) => o === "CredentialsSignin")).toHaveLength(5);
  expect(outcomes.filter((o) => o === "TooManyAttempts")).toHaveLength(35);
  expect(right).toBe("TooManyAttempts");
  expect(await hasSession(owner)).toBe(false);
  await attacker.context.dispose();
  await owner.context.dispose();
});

test("failures from one address do not lock the owner out at another address", async ({ playwright, baseURL, tenant }) => {
  const attacker = await client(playwright, baseURL, uniqueClientAddress());
  const owner = await client(playwright, baseURL, uniqueClientAddress());
  const email = tenant.owner.email;
  for (let i = 0; i < 5; i++) expect(await signIn(attacker, email, `wrong-${i}`)).toBe("CredentialsSignin");
  // That address is locked out of this account, even with the right password...
  expect(await signIn(attacker, email, FIXTURE_PASSWORD)).toBe("TooManyAttempts");
  // ...but the owner, elsewhere, signs in.
  expect(await signIn(owner, email, FIXTURE_PASSWORD)).toBe("signed-in");
  expect(await hasSession(owner)).toBe(true);
  await attacker.context.dispose();
  await owner.context.dispose();
});

test("failures spread over many addresses still lock the account everywhere", async ({ playwright, baseURL, tenant }) => {
  const email = tenant.users.admin.email;
  for (let i = 0; i < 12; i++) {
    const bot = await client(playwright, baseURL, uniqueClientAddress());
    expect(await signIn(bot, email, `wrong-${i}`)).toBe("CredentialsSignin");
    await bot.context.dispose();
  }
  const owner = await client(playwright, baseURL, uniqueClientAddress());
  expect(await signIn(owner, email, FIXTURE_PASSWORD)).toBe("TooManyAttempts");
  expect(await hasSession(owner)).toBe(false);
  await owner.context.dispose();
});
