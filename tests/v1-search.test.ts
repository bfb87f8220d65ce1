// The search (`q=` in the dashboard's URL and on GET /v1/api-keys) matches its text literally
// in the name, the description or the start of the prefix: `%`, `_` and `\` are characters,
// not LIKE wildcards or escapes. Case still does not matter. On SQLite, and on PostgreSQL in
// the PostgreSQL phase.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "./db";
import { loadV1, type V1 } from "./helpers/v1";
import { createApiKey } from "@/lib/api-keys/mutations";
import { listApiKeys } from "@/lib/api-keys/queries";
import { apiKeyListSchema } from "@/lib/api-keys/schemas";

const NAMES = ["100% uptime", "100x uptime", "snake_case job", "snakeXcase job", "back\\slash", "backslash"];

let t: SeededDb;
let v1: V1;
let secret: string;

beforeAll(async () => {
  t = await seededDb("keyward-search");
  await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 100 } });
  for (const name of [...NAMES, "Search caller"]) {
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name, groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    secret = created.value.secret;
  }
  v1 = await loadV1(t.url);
});
afterAll(async () => {
  await v1?.close();
  await t?.close();
});

const CASES: [q: string, names: string[]][] = [
  ["100%", ["100% uptime"]],
  ["%", ["100% uptime"]],
  ["e_c", ["snake_case job"]],
  ["_", ["snake_case job"]],
  ["SNAKE_CASE", ["snake_case job"]],
  ["k\\s", ["back\\slash"]],
  ["\\", ["back\\slash"]],
  ["backslash", ["backslash"]],
  ["uptime", ["100% uptime", "100x uptime"]],
];

describe.each(CASES)("q=%s", (q, names) => {
  it("lists exactly the keys whose name contains it literally (the dashboard's query)", async () => {
    const params = apiKeyListSchema.parse({ q, sort: "name", order: "asc", pageSize: "100" });
    const { rows, total } = await listApiKeys(t.db, t.fx.acme.id, params);
    expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
    expect(total).toBe(names.length);
  });

  it("GET /v1/api-keys answers the same", async () => {
    const response = await v1.call("GET", `/v1/api-keys?${new URLSearchParams({ q, sort: "name", order: "asc" })}`, { key: secret });
    expect(response.status).toBe(200);
    expect(response.body.data.map((k: { name: string }) => k.name).sort()).toEqual([...names].sort());
    expect(response.body.pagination.total).toBe(names.length);
  });
});

describe("prefix and description", () => {
  it("finds a key by the start of its prefix, by its whole shown prefix, by a pasted whole key and by its description", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Ledger bridge", description: "Pushes invoices to the ledger", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const { secret: whole, key } = created.value;
    for (const q of [key.prefix.slice(0, 7), `${key.prefix}…`, whole, "INVOICES to"]) {
      const { rows } = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ q }));
      expect(rows.map((r) => r.name), q === whole ? "a pasted whole key" : q).toEqual(["Ledger bridge"]);
    }
    // The middle of a prefix is not its start.
    const { rows } = await listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse({ q: key.prefix.slice(3) }));
    expect(rows.map((r) => r.name)).toEqual([]);
  });
});
