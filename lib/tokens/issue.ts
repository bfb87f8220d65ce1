import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import type { Db, Tx } from "../db/prisma";
import { config } from "../config";
import { writeAuditEvent, type Actor } from "../audit/write";
import { parseScopes, scopesBeyond } from "../auth/permissions";
import { fail, ok, validationFailure, type Result } from "../result";
import { LOCKED_TX_OPTIONS, lockTenant } from "../db/tenant-lock";
import { limitFailure } from "../api-keys/limit";
import { activeSigningKey, TOKEN_ALG } from "./signing-keys";
import { TOKEN_EXPIRY_PRESET_IDS, TOKEN_EXPIRY_PRESETS, tokenDisplayPrefix } from "./presets";

/**
 * Issuing signed tokens: from the dashboard (a person, scopes chosen from an authorization
 * group) and by exchange (POST /v1/tokens: an API key, at most its own scopes and expiry). The
 * token is signed first and recorded with its audit event in one transaction; a token whose
 * row did not commit is refused by Keyward (verification looks its jti up) and is never shown.
 */
export type TokenClaims = {
  sub: string;
  workspace: string;
  scopes: string[];
  name: string;
  iat: number;
  exp: number;
  jti: string;
  iss: string;
  aud: string;
};
export type IssuedToken = { token: string; claims: TokenClaims; kid: string };

const scopeList = z.array(z.string().min(1).max(200)).max(50);
const expiresIn = z.enum(TOKEN_EXPIRY_PRESET_IDS, { error: `Choose an expiry: ${TOKEN_EXPIRY_PRESET_IDS.join(", ")}.` });

export const userTokenInputSchema = z.object({
  name: z.string().trim().min(1, { error: "Give the token a name." }).max(100, { error: "At most 100 characters." }),
  expiresIn,
  groupId: z.string().min(1, { error: "Choose an authorization group." }).max(64),
  scopes: scopeList.min(1, { error: "Choose at least one scope." }),
});

export const exchangeInputSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  expiresIn,
  scopes: scopeList.optional(),
});


async function sign(db: Db, claims: Omit<TokenClaims, "iss" | "aud">): Promise<IssuedToken> {
  const { kid, privateKey } = await activeSigningKey(db);
  const { tokenIssuer: iss, tokenAudience: aud } = config();
  const full: TokenClaims = { ...claims, iss, aud };
  const token = await new SignJWT({ workspace: full.workspace, scopes: full.scopes, name: full.name })
    .setProtectedHeader({ alg: TOKEN_ALG, kid, typ: "JWT" })
    .setSubject(full.sub)
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(full.iat)
    .setExpirationTime(full.exp)
    .setJti(full.jti)
    .sign(privateKey);
  return { token, claims: full, kid };
}

async function record(
  db: Db,
  issued: IssuedToken,
  row: { subjectType: "user" | "api_key"; createdById?: string; createdByKeyId?: string; groupId?: string },
  audit: { actor: Actor; requestId: string },
) {
  const { claims } = issued;
  const now = new Date(claims.iat * 1000);
  return db.$transaction(async (tx: Tx): Promise<Result<void>> => {
    if (!(await lockTenant(tx, claims.workspace))) return fail("not_found", "Tenant not found.");
    // A live token takes a place of Tenant.keyLimit, as a key does (checked under the lock).
    const full = await limitFailure(tx, claims.workspace, now);
    if (full) return full;
    await tx.issuedToken.create({
      data: {
        id: claims.jti,
        tenantId: claims.workspace,
        name: claims.name,
        subjectType: row.subjectType,
        subject: claims.sub,
        createdById: row.createdById ?? null,
        createdByKeyId: row.createdByKeyId ?? null,
        groupId: row.groupId ?? null,
        scopes: claims.scopes.join(" "),
        kid: issued.kid,
        expiresAt: new Date(claims.exp * 1000),
        createdAt: now,
      },
    });
    await writeAuditEvent(tx, {
      tenantId: claims.workspace,
      actor: audit.actor,
      action: "token.issued",
      requestId: audit.requestId,
      keyPrefix: tokenDisplayPrefix(claims.jti),
      scopes: claims.scopes.join(" "),
      details: { jti: claims.jti, name: claims.name, sub: claims.sub, kid: issued.kid, expiresAt: new Date(claims.exp * 1000).toISOString() },
      createdAt: now,
    });
    return ok(undefined);
  }, LOCKED_TX_OPTIONS);
}

export type UserTokenContext = { tenantId: string; user: { id: string; email: string }; requestId: string; now?: Date };

/** A person's token (the dashboard): sub is their email, scopes a subset of the group's. */
export async function issueUserToken(db: Db, ctx: UserTokenContext, input: unknown): Promise<Result<IssuedToken>> {
  const parsed = userTokenInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const { name, expiresIn, groupId, scopes } = parsed.data;
  const group = await db.authorizationGroup.findFirst({ where: { id: groupId, tenantId: ctx.tenantId, type: "tenant_api_key" } });
  if (!group) return fail("validation", "Some fields need attention.", { groupId: ["Choose an authorization group of this tenant."] });
  const outside = scopesBeyond(parseScopes(group.scopes), scopes);
  if (outside.length) {
    return fail("validation", "Some fields need attention.", { scopes: [`Not in the group ${group.name}: ${outside.join(", ")}.`] });
  }
  const iat = Math.floor((ctx.now ?? new Date()).getTime() / 1000);
  const issued = await sign(db, {
    sub: ctx.user.email,
    workspace: ctx.tenantId,
    scopes: [...new Set(scopes)],
    name,
    iat,
    exp: iat + TOKEN_EXPIRY_PRESETS[expiresIn].seconds,
    jti: randomBytes(16).toString("base64url"),
  });
  const recorded = await record(db, issued, { subjectType: "user", createdById: ctx.user.id, groupId: group.id }, {
    actor: { type: "user", userId: ctx.user.id, label: ctx.user.email },
    requestId: ctx.requestId,
  });
  if (!recorded.ok) return recorded;
  return ok(issued);
}

export type ExchangeContext = {
  key: { id: string; tenantId: string; name: string; secretPrefix: string; scopes: readonly string[]; expiresAt: Date | null; groupId: string };
  requestId: string;
  now?: Date;
};

/** Token exchange: the key's own scopes (or fewer), expiring with the preset or the key, whichever is first. */
export async function exchangeKeyForToken(db: Db, ctx: ExchangeContext, input: unknown): Promise<Result<IssuedToken>> {
  const parsed = exchangeInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const { expiresIn } = parsed.data;
  const scopes = parsed.data.scopes ?? [...ctx.key.scopes];
  const outside = scopesBeyond(ctx.key.scopes, scopes);
  if (outside.length) return fail("scope_exceeded", `This API key does not hold: ${outside.join(", ")}.`);
  const nowMs = (ctx.now ?? new Date()).getTime();
  const iat = Math.floor(nowMs / 1000);
  let exp = iat + TOKEN_EXPIRY_PRESETS[expiresIn].seconds;
  // Never outlive the key it was exchanged for.
  if (ctx.key.expiresAt) exp = Math.min(exp, Math.floor(ctx.key.expiresAt.getTime() / 1000));
  if (exp <= iat) return fail("validation", "This API key expires too soon to issue a token.", { expiresIn: ["The key expires within a second."] });
  const issued = await sign(db, {
    sub: ctx.key.id,
    workspace: ctx.key.tenantId,
    scopes: [...new Set(scopes)],
    name: parsed.data.name ?? `Exchanged from ${ctx.key.name}`,
    iat,
    exp,
    jti: randomBytes(16).toString("base64url"),
  });
  const recorded = await record(db, issued, { subjectType: "api_key", createdByKeyId: ctx.key.id, groupId: ctx.key.groupId }, {
    actor: { type: "api_key", keyId: ctx.key.id, label: ctx.key.secretPrefix },
    requestId: ctx.requestId,
  });
  if (!recorded.ok) return recorded;
  return ok(issued);
}
