// The setup of every test that verifies keys against a seeded database: a fresh seeded database
// (tests/db.ts: SQLite, or PostgreSQL in that phase), a verifier whose lookup reads it, and the
// process-wide state verify() keeps between calls (the key cache, the bad-key throttle) cleared
// before each test, so that no test sees another's cached keys or failure counts. Torn down in
// the order the tests need: their own teardown first (a server, a buffer to flush), then the
// lookup, then the database. setupSeededDb is the same without a verifier.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { clearKeyCache } from "../../lib/api-keys/key-cache";
import { createKeyLookup } from "../../lib/verify/lookup";
import { resetAuthFailures } from "../../lib/verify/rate-limit";
import type { Verifier } from "../../lib/verify/verify";
import { seededDb, type SeededDb } from "../db";

export type VerifierDbOptions = {
  /** One database for the whole file (or describe block) instead of a fresh one per test. */
  perFile?: boolean;
  /** Makes the verifier; by default one with its own lookup on the test's database. */
  verifier?: (t: SeededDb) => Verifier;
  /** More state to clear before each test, with the key cache and the bad-key throttle. */
  reset?: () => void;
  /** Runs before the verifier and the database close. */
  teardown?: () => unknown;
};

/** Before and after each test, or once for the file with `perFile`; `reset` before each test either way. */
function register(perFile: boolean | undefined, open: () => Promise<void>, reset: () => void, close: () => Promise<void>): void {
  if (perFile) {
    beforeAll(open);
    beforeEach(reset);
    afterAll(close);
  } else {
    beforeEach(async () => {
      await open();
      reset();
    });
    afterEach(close);
  }
}

/** A fresh seeded database for each test (or the file), handed to `ready`; closed after it. */
export function setupSeededDb(label: string, ready: (t: SeededDb) => unknown, options: Pick<VerifierDbOptions, "perFile" | "teardown"> = {}): void {
  let t: SeededDb | undefined;
  const open = async () => {
    t = await seededDb(label);
    await ready(t);
  };
  const close = async () => {
    try {
      await options.teardown?.();
    } finally {
      await t?.close();
      t = undefined;
    }
  };
  register(options.perFile, open, () => {}, close);
}

/**
 * Registers the hooks in the file or describe block it is called in. `ready` receives the
 * database and the verifier once they exist (per test, or once with `perFile`), to keep them in
 * the test's own variables and to set up what else the tests share (a server, root keys).
 */
export function setupVerifierDb(
  label: string,
  ready: (t: SeededDb, verifier: Verifier) => unknown,
  options: VerifierDbOptions = {},
): void {
  let t: SeededDb | undefined;
  let verifier: Verifier | undefined;
  const open = async () => {
    t = await seededDb(label);
    verifier = options.verifier ? options.verifier(t) : { lookup: createKeyLookup(t.url) };
    await ready(t, verifier);
  };
  const reset = () => {
    clearKeyCache();
    resetAuthFailures();
    options.reset?.();
  };
  const close = async () => {
    try {
      await options.teardown?.();
    } finally {
      await verifier?.lookup.close();
      await t?.close();
      verifier = undefined;
      t = undefined;
    }
  };
  register(options.perFile, open, reset, close);
}
