import { createHash } from "node:crypto";
import type { Db } from "../db/prisma";
import { writeAuditEvent, type Actor } from "../audit/write";
import { fail, ok, type Result } from "../result";
import { tokenDisplayPrefix } from "./presets";
import { LOCKED_TX_OPTIONS, lockTenant } from "../db/tenant-lock";
import { publishKeyChange } from "../db/key-change-bus";
import { evictKey } from "../api-keys/key-cache";

/**
 * Revoking a token: its jti goes on the deny list (revokedAt), which Keyward's own verification
 * reads (lib/tokens/verify-token.ts, through token-cache.ts: the revoke evicts it here and
 * publishes the change to other instances in its transaction), and which services that verify offline
 * fetch from GET /v1/tokens/revocations. A revoked token leaves the list once it has expired:
 * from then on its exp refuses it everywhere.
 */
export type RevokeContext = { tenantId: string; actor: Actor; requestId: string; now?: Date };

export async function revokeToken(db: Db, ctx: RevokeContext, jti: unknown): Promise<Result<{ jti: string; revokedAt: Date }>> {
  if (typeof jti !== "string" || jti.length > 64) return fail("not_found", "Token not found.");
  const now = ctx.now ?? new Date();
  const result = await db.$transaction(
    async (tx): Promise<Result<{ jti: string; revokedAt: Date }>> => {
      await lockTenant(tx, ctx.tenantId);
      const token = await tx.issuedToken.findFirst({ where: { id: jti, tenantId: ctx.tenantId } });
      if (!token) return fail("not_found", "Token not found.");
      // Revoking twice changes nothing and writes no second event.
      if (token.revokedAt) return ok({ jti, revokedAt: token.revokedAt });
      await tx.issuedToken.update({ where: { id: jti }, data: { revokedAt: now } });
      // Other instances drop their cached token state once this commits (token-cache.ts).
      await publishKeyChange(tx, { keyId: jti, tenantId: ctx.tenantId });
      await writeAuditEvent(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "token.revoked",
        requestId: ctx.requestId,
        keyPrefix: tokenDisplayPrefix(jti),
        scopes: token.scopes,
        details: { jti, name: token.name },
        createdAt: now,
      });
      return ok({ jti, revokedAt: now });
    },
    LOCKED_TX_OPTIONS,
  );
  // This instance: at once, not when its own notification comes back. evictKey moves the key
  // cache's generation, which every cached token entry is checked against.
  if (result.ok) evictKey(jti);
  return result;
}

export type RevocationList = { body: { revoked: { jti: string; exp: number }[] }; etag: string };

/** Revoked, unexpired tokens of every tenant (jti and exp only), with a strong ETag of the body. */
export async function revocationList(db: Db, now = new Date()): Promise<RevocationList> {
  const rows = await db.issuedToken.findMany({
    where: { revokedAt: { not: null }, expiresAt: { gt: now } },
    orderBy: { id: "asc" },
    select: { id: true, expiresAt: true },
  });
  const body = { revoked: rows.map((r) => ({ jti: r.id, exp: Math.floor(r.expiresAt.getTime() / 1000) })) };
  const etag = `"${createHash("sha256").update(JSON.stringify(body)).digest("base64url").slice(0, 27)}"`;
  return { body, etag };
}

/** A tenant's tokens, newest first, for the dashboard's list. */
export async function listTokens(db: Db, tenantId: string, take = 50) {
  return db.issuedToken.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, name: true, subject: true, subjectType: true, scopes: true, expiresAt: true, revokedAt: true, createdAt: true, kid: true },
  });
}
