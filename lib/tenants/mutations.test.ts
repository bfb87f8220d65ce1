// A tenant's key limit (the super user's /admin form): only a whole number from 0 to 100000,
// given as a number or as the field's text. A cleared field, null, booleans, arrays and other
// text are refused with a message and change nothing (z.coerce.number used to save "" as 0).
// The database part runs on SQLite, and on PostgreSQL in the PostgreSQL phase.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mutableState, seededDb, type SeededDb } from "../../tests/db";
import { keyLimitSchema, setTenantKeyLimit } from "./mutations";

const message = (keyLimit: unknown) => {
  const parsed = keyLimitSchema.safeParse({ keyLimit });
  return parsed.success ? parsed.data.keyLimit : parsed.error.issues[0].message;
};

describe("keyLimitSchema", () => {
  it.each([
    ["", "Enter a key limit."],
    ["   ", "Enter a key limit."],
    [null, "Enter a key limit."],
    [undefined, "Enter a key limit."],
    [true, "Enter a whole number."],
    [false, "Enter a whole number."],
    [[], "Enter a whole number."],
    [[5], "Enter a whole number."],
    [{}, "Enter a whole number."],
    ["ten", "Enter a whole number."],
    ["1e3", "Enter a whole number."],
    ["0x10", "Enter a whole number."],
    ["2.5", "Enter a whole number."],
    [2.5, "Enter a whole number."],
    [Number.NaN, "Enter a whole number."],
    [Number.POSITIVE_INFINITY, "Enter a whole number."],
    ["-1", "The limit cannot be negative."],
    ["100001", "The limit can be at most 100000."],
  ])("refuses %j: %s", (input, expected) => {
    expect(message(input)).toBe(expected);
  });

  it.each([
    ["0", 0],
    [0, 0],
    [" 25 ", 25],
    ["100000", 100_000],
    [7, 7],
  ])("accepts %j as %d", (input, expected) => {
    expect(message(input)).toBe(expected);
  });
});

describe("setTenantKeyLimit", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("keyward-key-limit");
  });
  afterEach(async () => {
    await t.close();
  });
  const ctx = () => ({ actor: { type: "user" as const, userId: t.fx.users.superUser.id, label: "super@keyward.test" }, requestId: "req_limit_test" });

  it("refuses a cleared field and the other non-numbers with a field message, and changes nothing", async () => {
    const before = await mutableState(t);
    for (const keyLimit of ["", null, false, true, [], [3]]) {
      const result = await setTenantKeyLimit(t.db, ctx(), t.fx.acme.id, { keyLimit });
      expect(result.ok, JSON.stringify(keyLimit)).toBe(false);
      if (!result.ok) expect(result.error.fieldErrors?.keyLimit?.[0]).toMatch(/^Enter a (key limit|whole number)\.$/);
    }
    expect(await mutableState(t)).toBe(before);
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: t.fx.acme.id } })).keyLimit).toBe(10);
  });

  it("saves the field's text as the number it says", async () => {
    const result = await setTenantKeyLimit(t.db, ctx(), t.fx.acme.id, { keyLimit: "0" });
    expect(result).toMatchObject({ ok: true, value: { keyLimit: 0 } });
  });
});
