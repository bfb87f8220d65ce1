// Any text and any date, through the key mutations the server actions call and through /v1:
// the answer is a success or a validation failure with a field message, never a thrown error
// (a 500), and a refusal leaves the database as it was. What is accepted is stored exactly as
// validated. Lone UTF-16 surrogates, NUL and years past 9999 used to reach the database and
// fail there. On SQLite, and on PostgreSQL in the PostgreSQL phase.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutableState, seededDb, userContext, type SeededDb } from "./db";
import { loadV1, type V1 } from "./helpers/v1";
import { createApiKey, updateApiKey } from "@/lib/api-keys/mutations";

let t: SeededDb;
let v1: V1;
let secret: string;
let keyId: string;

beforeAll(async () => {
  t = await seededDb("keyward-input-properties");
  // Room for every key the properties create.
  await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 100_000 } });
  const created = await createApiKey(t.db, admin(), { name: "Property caller", groupId: t.fx.groups.acmeFull.id });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  ({ secret } = created.value);
  keyId = created.value.key.id;
  v1 = await loadV1(t.url);
});
afterAll(async () => {
  await v1?.close();
  await t?.close();
});

const admin = () => userContext(t.fx.acme.id, t.fx.users.admin);
const RUNS = Number(process.env.KEYWARD_PROPERTY_RUNS ?? 60);

/** Any UTF-16 text: whole code points (astral ones too) and lone surrogate halves. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
    fc.constantFrom("ab\uD800cd", "\uDC00name", "name\u0000", "ok 🔑 name", "  padded  "),
  );

/** Any date JavaScript has, as ISO text (years -271821 to +275760), or any text at all. */
const anyExpiry = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("+010000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "275760-09-13T00:00:00.000Z"),
  anyText(40),
);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const keyFields = fc.record(
  { name: anyText(220), description: maybe(anyText(1100)), expiresAt: maybe(anyExpiry) },
  { requiredKeys: ["name"] },
);

function expectFieldMessages(fieldErrors: Record<string, string[]> | undefined) {
  expect(fieldErrors && Object.keys(fieldErrors).length).toBeGreaterThan(0);
  for (const messages of Object.values(fieldErrors!)) for (const m of messages) expect(m).toMatch(/\w/);
}

describe("the key mutations the server actions call", () => {
  it("create: ok and stored as given, or a validation failure that changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(keyFields, async (fields) => {
        const before = await mutableState(t);
        const result = await createApiKey(t.db, admin(), { ...fields, groupId: t.fx.groups.acmeFull.id });
        if (result.ok) {
          const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: result.value.key.id } });
          expect(row.name).toBe(fields.name.trim());
          expect(row.description ?? "").toBe((fields.description ?? "").trim());
          if (row.expiresAt) expect(row.expiresAt.getUTCFullYear()).toBeLessThanOrEqual(9999);
        } else {
          expect(result.error.code).toBe("validation");
          expectFieldMessages(result.error.fieldErrors);
          expect(await mutableState(t)).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("update: ok, or a validation failure that changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(keyFields, async ({ name, description }) => {
        const before = await mutableState(t);
        const result = await updateApiKey(t.db, admin(), keyId, { name, description, groupId: t.fx.groups.acmeFull.id });
        if (!result.ok) {
          expect(result.error.code).toBe("validation");
          expectFieldMessages(result.error.fieldErrors);
          expect(await mutableState(t)).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("/v1", () => {
  it("POST /v1/api-keys: 201, or 422 with fieldErrors and nothing changed; never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(keyFields, async (fields) => {
        const before = await mutableState(t);
        const response = await v1.call("POST", "/v1/api-keys", { key: secret, body: { ...fields, groupId: t.fx.groups.acmeFull.id } });
        expect([201, 422], JSON.stringify(response.body)).toContain(response.status);
        if (response.status === 422) {
          expect(response.body.error.code).toBe("validation_failed");
          expectFieldMessages(response.body.error.fieldErrors);
          expect(await mutableState(t)).toBe(before);
        } else {
          expect(response.body.name).toBe(fields.name.trim());
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("PATCH /v1/api-keys/{id}: 200, or 422 with fieldErrors and nothing changed; never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ name: maybe(anyText(220)), description: maybe(anyText(1100)) }), async (fields) => {
        const before = await mutableState(t);
        const response = await v1.call("PATCH", `/v1/api-keys/${keyId}`, { key: secret, body: fields });
        expect([200, 422], JSON.stringify(response.body)).toContain(response.status);
        if (response.status === 422) {
          expectFieldMessages(response.body.error.fieldErrors);
          expect(await mutableState(t)).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("GET /v1/api-keys?q=: any search text is a 200", async () => {
    await fc.assert(
      fc.asyncProperty(anyText(300), async (q) => {
        const response = await v1.call("GET", `/v1/api-keys?${new URLSearchParams({ q })}`, { key: secret });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
      }),
      { numRuns: RUNS },
    );
  });
});

it("names the field: a lone surrogate in the name, NUL in the description, the year 10000", async () => {
  const groupId = t.fx.groups.acmeFull.id;
  const cases = [
    [{ name: "ab\uD800cd", groupId }, "name"],
    [{ name: "Fine name", description: "x\u0000y", groupId }, "description"],
    [{ name: "Fine name", expiresAt: "+010000-01-01T00:00:00.000Z", groupId }, "expiresAt"],
  ] as const;
  for (const [input, field] of cases) {
    const before = await mutableState(t);
    const result = await createApiKey(t.db, admin(), input);
    expect(result.ok || result.error.fieldErrors?.[field]?.[0]).toMatch(/cannot be stored|9999 or earlier/);
    const response = await v1.call("POST", "/v1/api-keys", { key: secret, body: input });
    expect(response.status).toBe(422);
    expect(response.body.error.fieldErrors[field][0]).toMatch(/cannot be stored|9999 or earlier/);
    expect(await mutableState(t)).toBe(before);
  }
});
