// The sign-in throttle under concurrency and its per-(account, address) limits, through the real
// credentials check (authenticate: reserve, scrypt, settle) on the test database (SQLite here,
// PostgreSQL in the suite's second phase).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, type SeededDb } from "../../tests/db";
import { authenticate, type SignInOutcome } from "./sign-in";
import { DEFAULT_LOGIN_LIMITS, reserveLoginAttempt, type LoginLimits } from "./login-throttle";

const PASSWORD = "keyward-demo";
const EMAIL = "owner@acme.test";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("sign-in");
});
afterEach(async () => {
  await t?.close();
});

const attempt = (password: string, ip: string | null, limits: LoginLimits = DEFAULT_LOGIN_LIMITS, email = EMAIL) =>
  authenticate(t.db, { email, password, ip }, limits);
const tally = (outcomes: SignInOutcome[]) => ({
  checked: outcomes.filter((o) => !o.ok && o.reason === "invalid").length,
  throttled: outcomes.filter((o) => !o.ok && o.reason === "throttled").length,
  signedIn: outcomes.filter((o) => o.ok).length,
});

describe("the throttle holds under concurrency", () => {
  it("40 parallel wrong passwords get exactly 5 password checks, and the right password sent among them gets no session", async () => {
    let firstRefusal!: () => void;
    const refused = new Promise<void>((resolve) => (firstRefusal = resolve));
    const guesses = Array.from({ length: 40 }, (_, i) =>
      attempt(`wrong-${i}`, "198.51.100.7").then((outcome) => {
        if (!outcome.ok && outcome.reason === "throttled") firstRefusal();
        return outcome;
      }),
    );
    // Sent while the admitted guesses are still being checked (a refusal answers at once,
    // a checked guess only after scrypt), so the lock must already count them.
    await Promise.race([refused, Promise.all(guesses)]);
    const stillChecking = (await t.db.loginAttempt.count({ where: { subject: `pair:${EMAIL}|198.51.100.7` } })) > 0;
    const right = await attempt(PASSWORD, "198.51.100.7");
    const counts = tally(await Promise.all(guesses));

    expect(stillChecking).toBe(true);
    expect(counts).toEqual({ checked: 5, throttled: 35, signedIn: 0 });
    expect(right).toEqual({ ok: false, reason: "throttled" });
  });

  it("parallel guesses from many addresses stop at the account-wide limit", async () => {
    const limits = { ...DEFAULT_LOGIN_LIMITS, perAccount: 8 };
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(`wrong-${i}`, `203.0.113.${i + 1}`, limits)));
    expect(tally(outcomes)).toEqual({ checked: 8, throttled: 22, signedIn: 0 });
  });
});

describe("lockout without a denial of service (OWASP)", () => {
  it("failures from one address lock that address out of the account, not the owner at another address", async () => {
    for (let i = 0; i < 5; i++) expect(await attempt(`wrong-${i}`, "198.51.100.66")).toEqual({ ok: false, reason: "invalid" });

    expect(await attempt(PASSWORD, "198.51.100.66")).toEqual({ ok: false, reason: "throttled" });
    const owner = await attempt(PASSWORD, "192.0.2.10");
    expect(owner.ok).toBe(true);
    // The attacker's address may still sign in to another account it knows the password of.
    expect((await attempt(PASSWORD, "198.51.100.66", DEFAULT_LOGIN_LIMITS, "admin@acme.test")).ok).toBe(true);
  });

  it("failures spread over many addresses still lock the account, everywhere", async () => {
    const limits = { ...DEFAULT_LOGIN_LIMITS, perAccount: 12 };
    for (let i = 0; i < 12; i++) {
      expect(await attempt(`wrong-${i}`, `203.0.113.${i + 1}`, limits)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await attempt(PASSWORD, "192.0.2.10", limits)).toEqual({ ok: false, reason: "throttled" });
  });

  it("one address failing across many accounts is stopped at the per-address limit", async () => {
    const limits = { ...DEFAULT_LOGIN_LIMITS, perAddress: 6 };
    for (let i = 0; i < 6; i++) {
      expect(await attempt("wrong", "198.51.100.99", limits, `nobody-${i}@acme.test`)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await attempt(PASSWORD, "198.51.100.99", limits)).toEqual({ ok: false, reason: "throttled" });
    expect((await attempt(PASSWORD, "198.51.100.100", limits)).ok).toBe(true);
  });

  it("a success forgets this address's failures for the account, and the lock ends with the window", async () => {
    for (let i = 0; i < 4; i++) await attempt(`wrong-${i}`, "192.0.2.10");
    expect((await attempt(PASSWORD, "192.0.2.10")).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect(await attempt(`again-${i}`, "192.0.2.10")).toEqual({ ok: false, reason: "invalid" });

    expect(await attempt("fifth", "192.0.2.10")).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(PASSWORD, "192.0.2.10")).toEqual({ ok: false, reason: "throttled" });

    const later = new Date(Date.now() + DEFAULT_LOGIN_LIMITS.windowMs + 1_000);
    expect(await reserveLoginAttempt(t.db, EMAIL, "192.0.2.10", later)).not.toBeNull();
  });
});
