// The key list grouped by environment or service account (issue 15, lib/api-keys/grouped.ts):
// groups in name order with "none" last, each group in the list's sort, pages that cut a group
// continue it on the next, counts that follow the filters, and tokens left out of a grouped view.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createApiKey, revokeApiKey } from "./mutations";
import { listApiKeys } from "./queries";
import { listEntries } from "./list-entries";
import { apiKeyListSchema } from "./schemas";
import { groupIdOf, orderGroups, pageSlices } from "./grouped";
import { issueUserToken } from "../tokens/issue";
import { loadV1 } from "../../tests/helpers/v1";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("keyward-grouped");
  await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 100 } });
});
afterEach(async () => {
  await t.close();
});

const admin = () => userContext(t.fx.acme.id, t.fx.users.admin);
const list = (raw: Record<string, string>) => listApiKeys(t.db, t.fx.acme.id, apiKeyListSchema.parse(raw), new Date(), 90);

async function key(name: string, owners: { serviceAccountId?: string | null; environmentId?: string }) {
  const made = await createApiKey(t.db, admin(), { name, groupId: t.fx.groups.acmeReadOnly.id, ...owners });
  if (!made.ok) throw new Error(made.error.message);
  return made.value.key;
}

/** Every page of `raw` at `pageSize`, concatenated, with the groups each page reported. */
async function allPages(raw: Record<string, string>, pageSize: number) {
  const first = await list({ ...raw, pageSize: String(pageSize) });
  const pages = [first];
  for (let page = 2; page <= Math.ceil(first.total / pageSize); page++) pages.push(await list({ ...raw, pageSize: String(pageSize), page: String(page) }));
  return pages;
}

describe("the key list grouped by environment or service account", () => {
  it("orders groups by name (none last), keeps the sort inside each, and pages across group boundaries", async () => {
    const acme = t.fx.acme.id;
    // Names that sort differently by case and by creation: "alpha" after "Zeta" in bytes, before it here.
    const zeta = await t.db.serviceAccount.create({ data: { tenantId: acme, name: "Zeta-bot", ownerUserId: t.fx.users.admin.id } });
    const alpha = await t.db.serviceAccount.create({ data: { tenantId: acme, name: "alpha-bot", ownerUserId: t.fx.users.admin.id } });
    const staging = (await t.db.environment.findFirstOrThrow({ where: { tenantId: acme, name: "staging" } })).id;
    for (let i = 0; i < 12; i++) await key(`zeta ${i}`, { serviceAccountId: zeta.id, environmentId: staging });
    for (let i = 0; i < 4; i++) await key(`alpha ${i}`, { serviceAccountId: alpha.id });
    for (let i = 0; i < 3; i++) await key(`loose ${i}`, { serviceAccountId: null, environmentId: staging });

    for (const groupBy of ["serviceAccount", "environment"] as const) {
      for (const sort of [{ sort: "name", order: "asc" }, { sort: "created", order: "desc" }]) {
        // Expected: the ungrouped list (sorted in the database), stably split into its groups.
        const flat = (await list({ ...sort, pageSize: "100" })).rows;
        const names = new Map(flat.map((r) => [groupIdOf(r, groupBy), (groupBy === "environment" ? r.environment : r.serviceAccount)?.name ?? null]));
        const order = orderGroups([...names].map(([id, name]) => ({ id, name, count: flat.filter((r) => groupIdOf(r, groupBy) === id).length })));
        const expected = order.flatMap((g) => flat.filter((r) => groupIdOf(r, groupBy) === g.id));
        if (groupBy === "serviceAccount") {
          const named = order.map((g) => g.name);
          expect(named.indexOf("alpha-bot")).toBeLessThan(named.indexOf("Zeta-bot"));
          expect(named.at(-1)).toBeNull();
        }

        const pages = await allPages({ ...sort, groupBy }, 10);
        expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(expected.map((r) => r.id));
        for (const page of pages) {
          expect(page.total).toBe(flat.length);
          expect(page.rows.length).toBeLessThanOrEqual(10);
          // The page's groups: those its rows belong to, in order, each with its whole count.
          const onPage = [...new Set(page.rows.map((r) => groupIdOf(r, groupBy)))];
          expect(page.groups?.map((g) => g.id)).toEqual(onPage);
          for (const g of page.groups ?? []) expect(g.count).toBe(order.find((o) => o.id === g.id)?.count);
          // Continued: the group's first key is on an earlier page.
          const seenBefore = new Set(pages.slice(0, pages.indexOf(page)).flatMap((p) => p.rows.map((r) => groupIdOf(r, groupBy))));
          expect(page.groups?.map((g) => g.continued)).toEqual(onPage.map((id) => seenBefore.has(id)));
        }
        // At least one group runs on from one page to the next (the case a header repeats for).
        const continued = pages.slice(1).some((p, i) => groupIdOf(p.rows[0], groupBy) === groupIdOf(pages[i].rows.at(-1)!, groupBy));
        expect(continued).toBe(true);
      }
    }
  });

  it("counts follow the filters, and a grouped view lists keys only", async () => {
    const acme = t.fx.acme.id;
    const bot = await t.db.serviceAccount.create({ data: { tenantId: acme, name: "count-bot", ownerUserId: t.fx.users.admin.id } });
    const kept = await key("count kept", { serviceAccountId: bot.id });
    const gone = await key("count gone", { serviceAccountId: bot.id });
    expect(await revokeApiKey(t.db, admin(), gone.id)).toMatchObject({ ok: true });
    const token = await issueUserToken(
      t.db,
      { tenantId: acme, user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email }, requestId: "req_grouped" },
      { name: "Grouped token", expiresIn: "1h", groupId: t.fx.groups.acmeFull.id, scopes: ["api_keys:read"] },
    );
    if (!token.ok) throw new Error(JSON.stringify(token.error));

    const all = await list({ groupBy: "serviceAccount", pageSize: "100" });
    expect(all.groups?.find((g) => g.id === bot.id)).toEqual({ id: bot.id, name: "count-bot", count: 2, continued: false });
    const active = await list({ groupBy: "serviceAccount", status: "active", pageSize: "100" });
    expect(active.groups?.find((g) => g.id === bot.id)).toEqual({ id: bot.id, name: "count-bot", count: 1, continued: false });
    expect(active.rows.filter((r) => r.serviceAccount?.id === bot.id).map((r) => r.id)).toEqual([kept.id]);
    // Filtered to one account, grouped by it: one group.
    expect((await list({ groupBy: "serviceAccount", serviceAccount: bot.id })).groups).toEqual([{ id: bot.id, name: "count-bot", count: 2, continued: false }]);

    const entries = await listEntries(t.db, acme, apiKeyListSchema.parse({ groupBy: "environment", pageSize: "100" }), new Date(), 90);
    expect(entries.rows.some((r) => r.kind === "token")).toBe(false);
    expect(entries.groups?.reduce((n, g) => n + g.count, 0)).toBe(entries.total);
    expect((await listEntries(t.db, acme, apiKeyListSchema.parse({ pageSize: "100" }), new Date(), 90)).groups).toBeNull();
  });

  it("GET /v1/api-keys?groupBy= answers in the dashboard's grouped order", async () => {
    const caller = await createApiKey(t.db, admin(), { name: "Grouped caller", groupId: t.fx.groups.acmeFull.id });
    if (!caller.ok) throw new Error(caller.error.message);
    const v1 = await loadV1(t.url);
    try {
      for (const groupBy of ["environment", "serviceAccount"]) {
        const expected = await list({ groupBy, sort: "name", order: "asc", pageSize: "100" });
        // The seed's keys are in several groups: grouped is not the plain name order.
        expect(expected.rows.map((r) => r.id)).not.toEqual((await list({ sort: "name", order: "asc", pageSize: "100" })).rows.map((r) => r.id));
        const response = await v1.call("GET", `/v1/api-keys?groupBy=${groupBy}&sort=name&order=asc&pageSize=100`, { key: caller.value.secret });
        expect(response.status).toBe(200);
        expect(response.body.data.map((k: { id: string }) => k.id)).toEqual(expected.rows.map((r) => r.id));
        expect(response.body.pagination.total).toBe(expected.total);
      }
      // A bad value falls back to the ungrouped list, as the other list parameters do.
      const flat = await list({ sort: "name", order: "asc" });
      const bad = await v1.call("GET", "/v1/api-keys?groupBy=owner&sort=name&order=asc", { key: caller.value.secret });
      expect(bad.body.data.map((k: { id: string }) => k.id)).toEqual(flat.rows.map((r) => r.id));
    } finally {
      await v1.close();
    }
  });

  it("lays groups end to end: a page's window cuts the first and last group", () => {
    const groups = [
      { id: "a", name: "a", count: 3 },
      { id: "b", name: "b", count: 1 },
      { id: null, name: null, count: 4 },
    ];
    expect(pageSlices(groups, 1, 2)).toEqual([{ group: groups[0], skip: 0, take: 2 }]);
    expect(pageSlices(groups, 2, 2)).toEqual([
      { group: groups[0], skip: 2, take: 1 },
      { group: groups[1], skip: 0, take: 1 },
    ]);
    expect(pageSlices(groups, 2, 3)).toEqual([
      { group: groups[1], skip: 0, take: 1 },
      { group: groups[2], skip: 0, take: 2 },
    ]);
    expect(pageSlices(groups, 5, 2)).toEqual([]);
  });
});
