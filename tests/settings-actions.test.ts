// The Settings server action called directly, as a forged POST would: an authorization group's
// rate limits are set by owners and admins only (groups.update in lib/auth/permissions.ts); an
// operator or the super user is refused and nothing changes.
import { request, signInAs, actionDatabase } from "./helpers/action-request";
import { beforeEach, describe, expect, it } from "vitest";
import { mutableState, type SeededDb } from "./db";

type Actions = typeof import("@/app/(dashboard)/settings/actions");
let t: SeededDb;
let actions: Actions;
const current = actionDatabase("keyward-settings-actions", async () => ({ actions: await import("@/app/(dashboard)/settings/actions") }));
beforeEach(() => {
  t = current();
  ({ actions } = current().loaded);
});

const limits = { rateLimits: [{ limit: 10, windowSeconds: 60 }] };

describe("setGroupRateLimitsAction", () => {
  it("an operator and the super user are forbidden and nothing changes", async () => {
    const before = await mutableState(t);
    for (const user of [t.fx.users.operator, t.fx.users.superUser]) {
      signInAs(user, t.fx.acme.id);
      const result = await actions.setGroupRateLimitsAction(t.fx.groups.acmeFull.id, limits);
      expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("an admin sets the limits of their own tenant's group, audited under their name", async () => {
    signInAs(t.fx.users.admin);
    request.requestId = "req_settings_group_1";
    const result = await actions.setGroupRateLimitsAction(t.fx.groups.acmeFull.id, limits);
    expect(result).toMatchObject({ ok: true, value: { rateLimits: limits.rateLimits } });
    const group = await t.db.authorizationGroup.findUniqueOrThrow({ where: { id: t.fx.groups.acmeFull.id } });
    expect(JSON.parse(group.rateLimits!)).toEqual(limits.rateLimits);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "group.rate_limits_changed" } });
    expect(event).toMatchObject({ tenantId: t.fx.acme.id, actorUserId: t.fx.users.admin.id, requestId: "req_settings_group_1" });
  });
});
