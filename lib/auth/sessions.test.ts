// Server-side sessions: what makes a copied cookie stop working. The browser side (sign-out,
// "Sign out of all sessions", the super user's "End sessions" with a copied cookie) is
// e2e/security/sessions.spec.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, type SeededDb } from "../../tests/db";
import { endSession, endUserSessions, liveSession, listUserSessions, SESSION_MAX_AGE_S, startSession, touchSession } from "./sessions";
import { endSessionsOfUser } from "./end-sessions";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("sessions");
});
afterEach(async () => {
  await t?.close();
});

describe("server-side sessions", () => {
  it("a session is live until it is ended, and only for its own user", async () => {
    const { owner, admin } = t.fx.users;
    const sid = await startSession(t.db, owner.id);
    expect(await liveSession(t.db, sid, owner.id)).toMatchObject({ id: sid });
    expect(await liveSession(t.db, sid, admin.id)).toBeNull();
    expect(await liveSession(t.db, undefined, owner.id)).toBeNull();
    expect(await liveSession(t.db, "not-a-session", owner.id)).toBeNull();

    await endSession(t.db, sid, "sign_out");
    expect(await liveSession(t.db, sid, owner.id)).toBeNull();
    expect(await t.db.session.findUnique({ where: { id: sid } })).toMatchObject({ endReason: "sign_out" });
  });

  it("ending all of a user's sessions leaves other users signed in", async () => {
    const { owner, admin } = t.fx.users;
    const mine = [await startSession(t.db, owner.id), await startSession(t.db, owner.id)];
    const theirs = await startSession(t.db, admin.id);
    expect(await endUserSessions(t.db, owner.id, "sign_out_all")).toBe(2);
    for (const sid of mine) expect(await liveSession(t.db, sid, owner.id)).toBeNull();
    expect(await liveSession(t.db, theirs, admin.id)).not.toBeNull();
  });

  it("expires after the cookie's lifetime unless it is used, and use renews it", async () => {
    const { owner } = t.fx.users;
    const start = new Date("2026-12-01T08:00:00Z");
    const sid = await startSession(t.db, owner.id, start);
    const later = new Date(start.getTime() + SESSION_MAX_AGE_S * 1000 - 60_000);
    expect(await liveSession(t.db, sid, owner.id, later)).not.toBeNull();
    await touchSession(t.db, sid, later);
    const afterFirstExpiry = new Date(start.getTime() + SESSION_MAX_AGE_S * 1000 + 60_000);
    expect(await liveSession(t.db, sid, owner.id, afterFirstExpiry)).not.toBeNull();
    const idle = new Date(later.getTime() + SESSION_MAX_AGE_S * 1000 + 1);
    expect(await liveSession(t.db, sid, owner.id, idle)).toBeNull();
  });

  it("a super user's End sessions signs the user out everywhere and is audited in each of their tenants", async () => {
    const { owner, superUser } = t.fx.users;
    const sids = [await startSession(t.db, owner.id), await startSession(t.db, owner.id)];
    expect((await listUserSessions(t.db)).find((u) => u.id === owner.id)?.openSessions).toBe(2);

    const result = await endSessionsOfUser(
      t.db,
      { actor: { type: "user", userId: superUser.id, label: superUser.email }, requestId: "req_end_sessions" },
      owner.id,
    );
    expect(result).toEqual({ ok: true, value: { ended: 2 } });
    for (const sid of sids) expect(await liveSession(t.db, sid, owner.id)).toBeNull();
    expect((await listUserSessions(t.db)).find((u) => u.id === owner.id)?.openSessions).toBe(0);
    const events = await t.db.auditEvent.findMany({ where: { action: "user.sessions_ended" } });
    expect(events.map((e) => [e.tenantId, e.actorLabel, JSON.parse(e.details!)])).toEqual([
      [t.fx.acme.id, superUser.email, { user: owner.email, sessionsEnded: 2 }],
    ]);

    expect(await endSessionsOfUser(t.db, { actor: { type: "system", label: "test" } as never, requestId: "r" }, "nobody")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});
