import { randomBytes } from "node:crypto";
import { cache } from "react";
import type { Db } from "@/lib/db/prisma";

/**
 * Server-side sessions. next-auth's cookie is a self-contained encrypted JWT: on its own it
 * cannot be ended, so a copied cookie would work (and be renewed) for as long as it is used.
 * The JWT carries a session id (`sid`) instead, and every request checks its row: signing out
 * closes the row, so every copy of the cookie dies with it.
 */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;
// The row's expiry follows the cookie's sliding renewal, written at most this often per session.
const TOUCH_EVERY_MS = 5 * 60_000;

export type SessionEndReason = "sign_out" | "sign_out_all" | "ended_by_admin";
export type LiveSession = { id: string; user: { id: string; email: string; name: string; isSuperUser: boolean } };

/** Thrown from next-auth's jwt callback: next-auth then answers "no session" and clears the cookie. */
export class SessionEndedError extends Error {
  constructor() {
    super("This session has ended.");
    this.name = "SessionEndedError";
  }
}

export async function startSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.$transaction(async (tx) => {
    await tx.session.create({ data: { id, userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) } });
    // Sessions long expired or ended are of no further use.
    await tx.session.deleteMany({ where: { userId, expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } } });
  });
  return id;
}

const readSession = cache((db: Db, id: string) =>
  db.session.findUnique({
    where: { id },
    select: { id: true, userId: true, endedAt: true, expiresAt: true, user: { select: { id: true, email: true, name: true, isSuperUser: true } } },
  }),
);

/**
 * The session when it is open and belongs to `userId`, else null. Read once per request (React's
 * cache): next-auth's jwt callback and getSessionUser share the one query.
 */
export async function liveSession(db: Db, id: unknown, userId: unknown, now = new Date()): Promise<LiveSession | null> {
  if (typeof id !== "string" || typeof userId !== "string") return null;
  const row = await readSession(db, id);
  if (!row || row.userId !== userId || row.endedAt || row.expiresAt <= now) return null;
  return { id: row.id, user: row.user };
}

/** Moves the expiry forward as the cookie is renewed; one write per session every few minutes. */
export async function touchSession(db: Db, id: string, now = new Date()) {
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_S * 1000);
  await db.$transaction((tx) =>
    tx.session.updateMany({
      where: { id, endedAt: null, expiresAt: { lt: new Date(expiresAt.getTime() - TOUCH_EVERY_MS) } },
      data: { expiresAt },
    }),
  );
}

export async function endSession(db: Db, id: string, reason: SessionEndReason, now = new Date()) {
  await db.$transaction((tx) => tx.session.updateMany({ where: { id, endedAt: null }, data: { endedAt: now, endReason: reason } }));
}

/** Ends every open session of the user; returns how many were open. */
export async function endUserSessions(db: Db, userId: string, reason: SessionEndReason, now = new Date()): Promise<number> {
  const ended = await db.$transaction((tx) =>
    tx.session.updateMany({ where: { userId, endedAt: null, expiresAt: { gt: now } }, data: { endedAt: now, endReason: reason } }),
  );
  return ended.count;
}

export async function openSessionCount(db: Db, userId: string, now = new Date()): Promise<number> {
  return db.session.count({ where: { userId, endedAt: null, expiresAt: { gt: now } } });
}

export type UserSessionsRow = { id: string; email: string; name: string; isSuperUser: boolean; openSessions: number };

/** Every user with their open session count, for the super user's Users section at /admin. */
export async function listUserSessions(db: Db, now = new Date()): Promise<UserSessionsRow[]> {
  // One statement: the open sessions are a filtered relation count.
  const users = await db.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, isSuperUser: true, _count: { select: { sessions: { where: { endedAt: null, expiresAt: { gt: now } } } } } },
  });
  return users.map(({ _count, ...user }) => ({ ...user, openSessions: _count.sessions }));
}
