// An authorization group's rate limits set through the domain mutation (Settings calls it):
// audited, and applied to the very next verification of the group's keys that follow it (the
// cache is evicted), while keys with their own limits keep them; bad input changes nothing.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { describe, expect, it } from "vitest";
import { mutableState, userContext, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { createApiKey } from "../api-keys/mutations";
import { flushUsage } from "../verify/usage";
import { verify, type Verifier } from "../verify/verify";
import { resetMemoryLimits } from "./memory-store";
import { listGroupLimits, setGroupRateLimits } from "./group-limits";

describe("setting an authorization group's rate limits", () => {
  let t: SeededDb;
  let verifier: Verifier;
  setupVerifierDb("group-limits", (db, v) => ((t = db), (verifier = v)), { reset: resetMemoryLimits, teardown: flushUsage });

  const admin = () => ({ ...userContext(t.fx.acme.id, t.fx.users.admin, "req_group_limits_1") });
  async function keyWith(fields: Record<string, unknown>) {
    const created = await createApiKey(t.db, admin(), { name: `Key ${Math.random()}`, groupId: t.fx.groups.acmeFull.id, ...fields });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    return created.value;
  }
  // cacheUsable: the cache is trusted as an instance whose change listener is up trusts it, so
  // only the mutation's own eviction (not SQLite's data_version check, which clears the whole
  // cache on any other connection's write) can make the next verification read the new windows.
  const check = (secret: string) => verify(verifier, secret, { clientIp: "127.0.0.1", cacheUsable: true });
  const okCount = async (secret: string, n: number) => (await Promise.all(Array.from({ length: n }, () => check(secret)))).filter((r) => r.ok).length;

  it("applies at once to the group's keys without limits of their own (cached ones too), and is audited", async () => {
    const follows = await keyWith({});
    const own = await keyWith({ rateLimits: [{ limit: 5, windowSeconds: 60 }] });
    // Verified once before the change: the keys sit in this instance's cache, group limits and all.
    expect(await okCount(follows.secret, 1)).toBe(1);
    expect(await okCount(own.secret, 1)).toBe(1);

    const result = await setGroupRateLimits(t.db, admin(), t.fx.groups.acmeFull.id, { rateLimits: [{ limit: 2, windowSeconds: 60 }] });
    expect(result).toMatchObject({ ok: true, value: { id: t.fx.groups.acmeFull.id, rateLimits: [{ limit: 2, windowSeconds: 60 }] } });

    const after = await Promise.all(Array.from({ length: 3 }, () => check(follows.secret)));
    expect(after.map((r) => (r.ok ? 200 : r.status))).toEqual([200, 200, 429]);
    expect(await okCount(own.secret, 8)).toBe(4);

    const event = await t.db.auditEvent.findFirstOrThrow({ where: { tenantId: t.fx.acme.id, action: "group.rate_limits_changed" } });
    expect(event).toMatchObject({ actorUserId: t.fx.users.admin.id, requestId: "req_group_limits_1" });
    expect(JSON.parse(event.details!)).toMatchObject({ groupId: t.fx.groups.acmeFull.id, from: null, to: [{ limit: 2, windowSeconds: 60 }] });
    const [full] = (await listGroupLimits(t.db, t.fx.acme.id)).filter((g) => g.id === t.fx.groups.acmeFull.id);
    expect(full.rateLimits).toEqual([{ limit: 2, windowSeconds: 60 }]);

    // No windows again: the key follows the group into no limits at all.
    expect(await setGroupRateLimits(t.db, admin(), t.fx.groups.acmeFull.id, { rateLimits: [] })).toMatchObject({ ok: true, value: { rateLimits: null } });
    expect(await okCount(follows.secret, 5)).toBe(5);
  });

  it("bad input answers field errors and leaves the group, the audit trail and everything else as they were", async () => {
    const before = await mutableState(t);
    for (const input of [
      { rateLimits: [{ limit: 0, windowSeconds: 60 }] },
      { rateLimits: [{ limit: 5, windowSeconds: 60 }, { limit: 9, windowSeconds: 60 }] },
      { rateLimits: [{ limit: 5, windowSeconds: 60 * 60 * 24 * 365 }] },
      { rateLimits: "100/s" },
      { rateLimits: [], credits: 5 },
    ]) {
      const result = await setGroupRateLimits(t.db, admin(), t.fx.groups.acmeFull.id, input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("validation");
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("another tenant's group is not found and unchanged", async () => {
    const before = await mutableState(t);
    const globex = userContext(t.fx.globex.id, t.fx.users.globexAdmin);
    const result = await setGroupRateLimits(t.db, globex, t.fx.groups.acmeFull.id, { rateLimits: [{ limit: 1, windowSeconds: 1 }] });
    expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await mutableState(t)).toBe(before);
  });
});
