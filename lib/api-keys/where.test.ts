// The key rules are written once (where.ts): the list filters (flagWhere), each key's warnings
// (keyWarnings) and the tenant-wide counts (tenantKeyCounts, one SQL statement) must agree, at
// the boundaries too, and the counts follow every change at once (they are not cached).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createKeys } from "../../tests/factory";
import { createApiKey, revokeApiKey, rotateApiKey } from "./mutations";
import { expiringSoon, expiringSoonIds, listApiKeys, tenantKeyCounts } from "./queries";
import { listEntries } from "./list-entries";
import { issueUserToken } from "../tokens/issue";
import { DAY_MS, IDLE_AFTER_DAYS, byIds, countingKeysWhere, expiringSoonCandidates, flagWhere, keyWarnings, ruleCutoffs } from "./where";
import { EXPIRING_SOON_MS, apiKeyListSchema } from "./schemas";
import { expiringSoonFrom, expiryState, isExpiringSoon } from "./status";

describe("key rules", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("key-rules");
  });
  afterEach(async () => {
    await t.close();
  });

  it("counts, filters and per-key warnings agree, one millisecond either side of every cutoff", async () => {
    const tenantId = t.fx.globex.id;
    const now = new Date("2026-06-15T12:00:00.000Z");
    const policy = 90;
    const at = (ms: number) => new Date(now.getTime() + ms);
    const idle = -IDLE_AFTER_DAYS * DAY_MS;
    const rotation = -policy * DAY_MS;
    const rows = [];
    for (const d of [-1, 0, 1]) {
      // Idle: last used (or created, never used) exactly at, before and after the cutoff.
      rows.push({ createdAt: at(-365 * DAY_MS), rotatedAt: at(-DAY_MS), lastUsedAt: at(idle + d) });
      rows.push({ createdAt: at(idle + d), rotatedAt: null, lastUsedAt: null });
      // Due for rotation: rotated (or created, never rotated) around the policy's cutoff.
      rows.push({ createdAt: at(-400 * DAY_MS), rotatedAt: at(rotation + d), lastUsedAt: at(-DAY_MS) });
      rows.push({ createdAt: at(rotation + d), rotatedAt: null, lastUsedAt: at(-DAY_MS) });
      // Expiring soon, and expired, around their cutoffs.
      rows.push({ createdAt: at(-DAY_MS), rotatedAt: null, lastUsedAt: at(-DAY_MS), expiresAt: at(EXPIRING_SOON_MS + d) });
      rows.push({ createdAt: at(-DAY_MS), rotatedAt: null, lastUsedAt: at(-DAY_MS), expiresAt: at(d) });
      // Scaled to the lifetime: a 1-hour key is soon in its last 12 minutes, a 10-day key in its last 2 days.
      rows.push({ createdAt: at(-48 * 60_000 + d), rotatedAt: null, lastUsedAt: at(-DAY_MS), expiresAt: at(12 * 60_000 + d) });
      rows.push({ createdAt: at(-8 * DAY_MS + d), rotatedAt: null, lastUsedAt: at(-DAY_MS), expiresAt: at(2 * DAY_MS + d) });
    }
    // A revoked key that is idle, due and expiring soon: no warning, not counted, not revocable.
    rows.push({ createdAt: at(-400 * DAY_MS), rotatedAt: null, lastUsedAt: null, expiresAt: at(DAY_MS), revokedAt: at(-DAY_MS) });
    const groupId = t.fx.groups.globexAutomation.id;
    await createKeys(t.db, tenantId, rows.map((row, i) => ({ groupId, name: `Boundary ${i}`, ...row })));
    const keys = await t.db.apiKey.findMany({ where: { tenantId } });
    const warned = (w: string) => keys.filter((k) => keyWarnings(k, policy, now).includes(w as never)).length;
    const soon = await expiringSoonIds(t.db, tenantId, now);
    const split = await expiringSoon(t.db, tenantId, now);
    const filtered = (w: "expiring_soon" | "idle" | "needs_rotation") =>
      t.db.apiKey.count({ where: { AND: [{ tenantId }, flagWhere(w, now, policy, split)] } });

    const counts = await tenantKeyCounts(t.db, tenantId, now, policy);
    expect(counts.used).toBe(await t.db.apiKey.count({ where: countingKeysWhere(tenantId, now) }));
    expect(counts.revocable).toBe(keys.filter((k) => k.status === "active").length);
    expect(counts.warnings).toEqual({
      expiringSoon: await filtered("expiring_soon"),
      idle: await filtered("idle"),
      needsRotation: await filtered("needs_rotation"),
    });
    expect(counts.warnings).toEqual({ expiringSoon: warned("expiring_soon"), idle: warned("idle"), needsRotation: warned("needs_rotation") });
    // The list's Expires filter and each row's badge pick the same keys.
    const listed = async (expiry: string) =>
      (await listApiKeys(t.db, tenantId, apiKeyListSchema.parse({ expiry, pageSize: "100" }), now, policy)).rows.map((r) => r.id).sort();
    const badged = (...states: string[]) => keys.filter((k) => states.includes(expiryState(k, now.getTime()))).map((k) => k.id).sort();
    expect(await listed("expiring_soon")).toEqual(badged("expiring_soon"));
    // The filter's "valid" takes keys that never expire too.
    expect(await listed("valid")).toEqual(badged("valid", "never"));
    expect(soon.length).toBe(warned("expiring_soon"));
    expect(badged("expiring_soon").length).toBe(soon.length);
    // The boundary itself is inside: exactly 30 days idle is idle, exactly 7 days left is "soon".
    expect(counts.warnings.idle).toBeGreaterThanOrEqual(4);
    expect(keyWarnings({ status: "active", expiresAt: at(EXPIRING_SOON_MS), lastUsedAt: at(idle), createdAt: at(rotation), rotatedAt: null }, policy, now))
      .toEqual(["expiring_soon", "idle", "needs_rotation"]);
    expect(keyWarnings({ status: "active", expiresAt: at(EXPIRING_SOON_MS + 1), lastUsedAt: at(idle + 1), createdAt: at(rotation + 1), rotatedAt: null }, policy, now))
      .toEqual([]);
  });

  it("the Expires filter bounded by the expiresAt range lists exactly the keys and tokens the ids alone did", async () => {
    // listWhere and list-entries.ts's expiryClause name the range (now, now + 7 days] beside the
    // ids (where.ts expiringSoonWhere) so that the planner takes the expiresAt index: the rows
    // must be the ones `id IN (ids)` gave, on every edge of that range and of the 20% rule.
    const tenantId = t.fx.acme.id;
    await t.db.tenant.update({ where: { id: tenantId }, data: { keyLimit: 200 } });
    const now = new Date("2026-06-15T12:00:00.000Z");
    const at = (ms: number) => new Date(now.getTime() + ms);
    const { soon: edge } = ruleCutoffs(now, 0);
    const year = -365 * DAY_MS;
    const specs: { name: string; createdAt: Date; expiresAt: Date | null; revokedAt?: Date }[] = [
      { name: "Ends now", createdAt: at(year), expiresAt: at(0) },
      { name: "Ended 1 ms ago", createdAt: at(year), expiresAt: at(-1) },
      { name: "Ends in 1 ms", createdAt: at(year), expiresAt: at(1) },
      { name: "Ends on the window's edge", createdAt: at(year), expiresAt: edge },
      { name: "Ends 1 ms inside the edge", createdAt: at(year), expiresAt: at(EXPIRING_SOON_MS - 1) },
      { name: "Ends 1 ms past the edge", createdAt: at(year), expiresAt: at(EXPIRING_SOON_MS + 1) },
      // On the edge but young: 20% of 8 days is 1.6 days, so in the range and not expiring soon.
      { name: "Young, on the edge", createdAt: at(-DAY_MS), expiresAt: edge },
      { name: "Young, 1 ms past its 20%", createdAt: at(-48 * 60_000 + 1), expiresAt: at(12 * 60_000 + 1) },
      { name: "Young, on its 20%", createdAt: at(-48 * 60_000), expiresAt: at(12 * 60_000) },
      { name: "Never expires", createdAt: at(year), expiresAt: null },
      { name: "Revoked, in the window", createdAt: at(year), expiresAt: at(DAY_MS), revokedAt: at(-DAY_MS) },
      { name: "Disabled, in the window", createdAt: at(year), expiresAt: at(DAY_MS) },
      // Rotated with an overlap: the previous secret's end is not the key's expiry.
      { name: "Overlap ends soon, key later", createdAt: at(year), expiresAt: at(30 * DAY_MS) },
      { name: "Overlap running, key ends soon", createdAt: at(year), expiresAt: at(2 * DAY_MS) },
    ];
    const made = await createKeys(t.db, tenantId, specs.map((spec) => ({ groupId: t.fx.groups.acmeFull.id, ...spec })));
    const id = (name: string) => made.find((k) => k.name === name)!.id;
    await t.db.apiKey.update({ where: { id: id("Disabled, in the window") }, data: { status: "disabled", disabledAt: at(-DAY_MS) } });
    for (const name of ["Overlap ends soon, key later", "Overlap running, key ends soon"]) {
      await t.db.apiKey.update({
        where: { id: id(name) },
        data: { rotatedAt: at(-60_000), previousHash: `previous-${id(name)}`, previousPrefix: "kw_prev", previousHashExpiresAt: at(DAY_MS) },
      });
    }
    // Tokens on the same edges (the union's side of expiryClause): made now, dated here.
    const tokenDates: [string, Date, Date, boolean][] = [
      ["Token on the edge", at(year), edge, false],
      ["Token past the edge", at(year), at(EXPIRING_SOON_MS + 1), false],
      ["Token ends now", at(year), at(0), false],
      ["Token young, in the window", at(-DAY_MS), at(DAY_MS), false],
      ["Token revoked, in the window", at(year), at(DAY_MS), true],
    ];
    for (const [name, createdAt, expiresAt, revoked] of tokenDates) {
      const issued = await issueUserToken(
        t.db,
        { tenantId, user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email }, requestId: "req_edges" },
        { name, expiresIn: "1h", groupId: t.fx.groups.acmeFull.id, scopes: ["api_keys:read"] },
      );
      if (!issued.ok) throw new Error(JSON.stringify(issued.error));
      await t.db.issuedToken.update({ where: { id: issued.value.claims.jti }, data: { createdAt, expiresAt, revokedAt: revoked ? at(-1) : null } });
    }

    const keys = await t.db.apiKey.findMany({ where: { tenantId } });
    const tokens = await t.db.issuedToken.findMany({ where: { tenantId } });
    expect(keys.length + tokens.length).toBeLessThanOrEqual(100);
    const split = await expiringSoon(t.db, tenantId, now);
    const soon = split.ids;
    expect(await expiringSoonIds(t.db, tenantId, now)).toEqual(soon);
    // expiringSoon's SQL reads exactly expiringSoonCandidates's rows.
    const candidates = await t.db.apiKey.findMany({ where: expiringSoonCandidates(tenantId, now), select: { id: true } });
    expect([...split.ids, ...split.others].sort()).toEqual(candidates.map((c) => c.id).sort());
    // The filters bind the shorter list; ids that are no key's lengthen the other, so that both
    // forms are checked, each with the same rows.
    const none = Array.from({ length: split.ids.length + split.others.length + 1 }, (_, i) => `no-such-key-${i}`);
    const forms = [split, { ids: split.ids, others: [...split.others, ...none] }, { ids: [...split.ids, ...none], others: split.others }];
    expect(forms.map(byIds)).toContain(true);
    expect(forms.map(byIds)).toContain(false);
    // The filter before the range was added: the ids alone.
    const byIdsAlone = {
      expiring_soon: { id: { in: soon } },
      valid: { OR: [{ expiresAt: null }, { expiresAt: { gt: now }, id: { notIn: soon } }] },
      expired: { expiresAt: { lte: now } },
    };
    const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
    const badge = (entries: { id: string; status: string; createdAt: Date; expiresAt: Date | null }[], states: string[]) =>
      idsOf(entries.filter((e) => states.includes(expiryState(e, now.getTime()))));
    const tokenEntries = tokens.map((tk) => ({ ...tk, status: tk.revokedAt ? "revoked" : "active" }));
    const statesOf = { expiring_soon: ["expiring_soon"], valid: ["valid", "never"], expired: ["expired"] } as const;
    for (const expiry of ["expiring_soon", "valid", "expired", "expiring_soon,expired", "valid,expiring_soon"]) {
      const chosen = expiry.split(",") as (keyof typeof statesOf)[];
      const before = idsOf(await t.db.apiKey.findMany({ where: { tenantId, OR: chosen.map((c) => byIdsAlone[c]) }, select: { id: true } }));
      expect(before).toEqual(badge(keys, chosen.flatMap((c) => statesOf[c])));
      const params = apiKeyListSchema.parse({ expiry, pageSize: "100" });
      // The keys' query (Prisma), with the ids read here or handed in (in either form) as the page does.
      for (const soonKeys of [undefined, ...forms]) {
        expect(idsOf((await listApiKeys(t.db, tenantId, params, now, 90, soonKeys)).rows), `${expiry} ${soonKeys && byIds(soonKeys)}`).toEqual(before);
      }
      // The union of keys and tokens (SQL).
      for (const soonKeys of [undefined, ...forms]) {
        const entries = await listEntries(t.db, tenantId, params, now, 90, soonKeys);
        expect(entries.tokens).toBeGreaterThan(0);
        expect(idsOf(entries.rows.filter((r) => r.kind === "key")), `${expiry} ${soonKeys && byIds(soonKeys)}`).toEqual(before);
        expect(idsOf(entries.rows.filter((r) => r.kind === "token")), expiry).toEqual(badge(tokenEntries, chosen.flatMap((c) => statesOf[c])));
        expect(entries.total).toBe(entries.rows.length);
      }
    }
    // The edges themselves: exactly 7 days left on a year-old key is soon; a young one is not.
    expect(soon).toContain(id("Ends on the window's edge"));
    expect(soon).toContain(id("Young, on its 20%"));
    expect(soon).toContain(id("Overlap running, key ends soon"));
    for (const name of ["Ends now", "Ends 1 ms past the edge", "Young, on the edge", "Young, 1 ms past its 20%", "Revoked, in the window", "Disabled, in the window", "Overlap ends soon, key later"]) {
      expect(soon).not.toContain(id(name));
    }
    // The warnings count the same ids, handed in or read.
    expect((await tenantKeyCounts(t.db, tenantId, now, 90, split)).warnings.expiringSoon).toBe(soon.length);
    expect((await tenantKeyCounts(t.db, tenantId, now, 90)).warnings.expiringSoon).toBe(soon.length);
  });

  it("expiring soon is the last 20% of the key's lifetime, at most 7 days, and never for a revoked key", () => {
    const now = Date.parse("2026-06-15T12:00:00.000Z");
    const key = (createdMs: number, expiresMs: number, status = "active") => ({
      status,
      createdAt: new Date(now + createdMs),
      expiresAt: new Date(now + expiresMs),
    });
    const hour = 3_600_000;
    // A 1-hour key just made is not flagged; in its last 12 minutes it is, to the millisecond.
    expect(isExpiringSoon(key(0, hour), now)).toBe(false);
    expect(isExpiringSoon(key(-48 * 60_000, 12 * 60_000), now)).toBe(true);
    expect(isExpiringSoon(key(-48 * 60_000 + 1, 12 * 60_000 + 1), now)).toBe(false);
    // A 7-day key: its last 33.6 hours.
    expect(isExpiringSoon(key(0, 7 * DAY_MS), now)).toBe(false);
    expect(expiringSoonFrom(key(0, 7 * DAY_MS))).toBe(now + 7 * DAY_MS - 0.2 * 7 * DAY_MS);
    // A 1-year key: capped at 7 days.
    expect(isExpiringSoon(key(-358 * DAY_MS, EXPIRING_SOON_MS), now)).toBe(true);
    expect(isExpiringSoon(key(-358 * DAY_MS, EXPIRING_SOON_MS + 1), now)).toBe(false);
    // Revoked, or already expired: never expiring soon.
    expect(isExpiringSoon(key(-358 * DAY_MS, DAY_MS, "revoked"), now)).toBe(false);
    expect(expiryState(key(-358 * DAY_MS, DAY_MS, "revoked"), now)).toBe("valid");
    expect(isExpiringSoon(key(-DAY_MS, 0), now)).toBe(false);
    expect(expiryState({ status: "active", createdAt: new Date(now), expiresAt: null }, now)).toBe("never");
  });

  it("the counts follow this instance's create, rotate and revoke at once", async () => {
    const tenantId = t.fx.acme.id;
    const ctx = userContext(tenantId, t.fx.users.admin);
    const now = () => new Date();
    const first = await tenantKeyCounts(t.db, tenantId, now(), 90);

    const created = await createApiKey(t.db, ctx, { name: "Counted", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    const afterCreate = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(afterCreate.used).toBe(first.used + 1);
    expect(afterCreate.revocable).toBe(first.revocable + 1);

    // A key made 100 days ago is due for rotation (policy: 90 days) until it is rotated.
    const aged = await createApiKey(t.db, { ...ctx, now: new Date(Date.now() - 100 * 86_400_000) }, { name: "Aged", groupId: t.fx.groups.acmeFull.id });
    if (!aged.ok) throw new Error(aged.error.message);
    const due = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(due.warnings.needsRotation).toBe(afterCreate.warnings.needsRotation + 1);
    const rotated = await rotateApiKey(t.db, ctx, aged.value.key.id, {});
    if (!rotated.ok) throw new Error(rotated.error.message);
    const afterRotate = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(afterRotate.warnings.needsRotation).toBe(afterCreate.warnings.needsRotation);

    expect((await revokeApiKey(t.db, ctx, created.value.key.id)).ok).toBe(true);
    expect((await tenantKeyCounts(t.db, tenantId, now(), 90)).used).toBe(first.used + 1);
  });

  it("a change made elsewhere (another instance, another process) shows at once", async () => {
    const tenantId = t.fx.acme.id;
    const before = await tenantKeyCounts(t.db, tenantId, new Date(), 90);
    expect(before.used).toBeGreaterThan(0);
    await t.db.apiKey.updateMany({ where: { tenantId, status: "active" }, data: { status: "revoked", revokedAt: new Date() } });
    const after = await tenantKeyCounts(t.db, tenantId, new Date(), 90);
    expect(after.used).toBe(0);
    expect(after.revocable).toBe(0);
  });
});
