import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Db, Tx } from "../db/prisma";
import { config } from "../config";

/**
 * The keys that sign Keyward's tokens: ES256 (P-256), which every mainstream JWT library
 * verifies (jose, jsonwebtoken with jwks-rsa). One key is active (activeSlot = "active", a
 * unique column, so two instances creating the first key at once cannot both win); rotating
 * retires it. The private JWK is stored AES-256-GCM-encrypted under KEYWARD_TOKEN_ENCRYPTION_KEY
 * with the kid as associated data (a ciphertext moved to another row does not decrypt).
 */
export const TOKEN_ALG = "ES256";
const ACTIVE = "active";

export class TokenKeyConfigError extends Error {}

function encryptionKey(): Buffer {
  const secret = config().tokenEncryptionKey;
  if (!secret) {
    throw new TokenKeyConfigError(
      "KEYWARD_TOKEN_ENCRYPTION_KEY is missing or shorter than 32 characters: tokens cannot be signed. " +
        "Set it in the environment (npm start writes one into .env.local for local use).",
    );
  }
  return createHash("sha256").update(secret, "utf8").digest();
}

export function encryptPrivateKey(plain: string, kid: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(Buffer.from(kid, "utf8"));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, data, cipher.getAuthTag()].map((b) => b.toString("base64url")).join(".");
}

export function decryptPrivateKey(stored: string, kid: string): string {
  const [iv, data, tag] = stored.split(".").map((part) => Buffer.from(part, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), iv);
  decipher.setAAD(Buffer.from(kid, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
}

export type SigningKey = { kid: string; privateKey: CryptoKey };

// Rows never change once written (rotation only moves activeSlot): decrypted and imported keys
// are cached by kid for the life of the process.
const globalForKeys = globalThis as unknown as {
  keywardSigningKeys?: Map<string, CryptoKey>;
  keywardPublicKeys?: Map<string, CryptoKey>;
};
const privateKeys = (globalForKeys.keywardSigningKeys ??= new Map());
const publicKeys = (globalForKeys.keywardPublicKeys ??= new Map());

async function insertKey(tx: Tx | Db, now: Date): Promise<string> {
  const kid = randomBytes(12).toString("base64url");
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALG, use: "sig" };
  const privateJwk = JSON.stringify(await exportJWK(privateKey));
  await tx.signingKey.create({
    data: { id: kid, alg: TOKEN_ALG, publicJwk: JSON.stringify(publicJwk), privateKeyEnc: encryptPrivateKey(privateJwk, kid), activeSlot: ACTIVE, createdAt: now },
  });
  return kid;
}

/** The key that signs now; the first one is made on first use. */
export async function activeSigningKey(db: Db, now = new Date()): Promise<SigningKey> {
  let row = await db.signingKey.findUnique({ where: { activeSlot: ACTIVE } });
  if (!row) {
    encryptionKey(); // refuse before generating anything when the key is missing
    try {
      await insertKey(db, now);
    } catch (error) {
      // Another request or instance made it first: use theirs.
      // (Checked by code: the SQLite and PostgreSQL clients have distinct error classes.)
      if ((error as { code?: unknown }).code !== "P2002") throw error;
    }
    row = await db.signingKey.findUniqueOrThrow({ where: { activeSlot: ACTIVE } });
  }
  let privateKey = privateKeys.get(row.id);
  if (!privateKey) {
    privateKey = (await importJWK(JSON.parse(decryptPrivateKey(row.privateKeyEnc, row.id)) as JWK, TOKEN_ALG)) as CryptoKey;
    privateKeys.set(row.id, privateKey);
  }
  return { kid: row.id, privateKey };
}

/** The public key of `kid`, or null when Keyward has no such key. */
export async function publicKeyFor(db: Db, kid: string): Promise<CryptoKey | null> {
  const cached = publicKeys.get(kid);
  if (cached) return cached;
  const row = await db.signingKey.findUnique({ where: { id: kid }, select: { publicJwk: true } });
  if (!row) return null;
  const key = (await importJWK(JSON.parse(row.publicJwk) as JWK, TOKEN_ALG)) as CryptoKey;
  publicKeys.set(kid, key);
  return key;
}

/**
 * The JWKS: the active key, and every retired key while a token it signed is unexpired (every
 * token is recorded in IssuedToken with its kid), so a verifier that refreshes its copy keeps
 * accepting old tokens until they expire and never sees a key no valid token needs.
 */
export async function publishedKeys(db: Db, now = new Date()): Promise<JWK[]> {
  const stillNeeded = await db.issuedToken.findMany({ where: { expiresAt: { gt: now } }, distinct: ["kid"], select: { kid: true } });
  const rows = await db.signingKey.findMany({
    where: { OR: [{ activeSlot: ACTIVE }, { id: { in: stillNeeded.map((t) => t.kid) } }] },
    orderBy: { createdAt: "desc" },
    select: { publicJwk: true },
  });
  return rows.map((row) => JSON.parse(row.publicJwk) as JWK);
}

export type RotationContext = { actor: { userId: string; label: string }; requestId: string; now?: Date };

/**
 * A super user's rotation (at /admin; the caller checks the permission): the active key is
 * retired and a new one signs from now on, with its platform audit event in the same
 * transaction. Tokens already signed keep verifying until they expire.
 */
export async function rotateSigningKey(db: Db, ctx: RotationContext): Promise<{ kid: string; previousKid: string | null }> {
  encryptionKey();
  const now = ctx.now ?? new Date();
  return db.$transaction(
    async (tx) => {
      const current = await tx.signingKey.findUnique({ where: { activeSlot: ACTIVE }, select: { id: true } });
      if (current) await tx.signingKey.update({ where: { id: current.id }, data: { activeSlot: null, retiredAt: now } });
      const kid = await insertKey(tx, now);
      await tx.platformAuditEvent.create({
        data: {
          actorType: "user",
          actorUserId: ctx.actor.userId,
          actorLabel: ctx.actor.label,
          action: "signing_key.rotated",
          details: JSON.stringify({ kid, previousKid: current?.id ?? null }),
          requestId: ctx.requestId,
          createdAt: now,
        },
      });
      return { kid, previousKid: current?.id ?? null };
    },
    { maxWait: 15_000, timeout: 20_000 },
  );
}

/** The admin page's list: the newest signing keys, and whether the JWKS still publishes each. */
export async function signingKeyRows(db: Db, now: Date) {
  const [keys, published] = await Promise.all([
    db.signingKey.findMany({ orderBy: { createdAt: "desc" }, take: 20, select: { id: true, createdAt: true, retiredAt: true } }),
    publishedKeys(db, now),
  ]);
  const live = new Set(published.map((k) => k.kid));
  return keys.map((k) => ({ kid: k.id, createdAt: k.createdAt.toISOString(), retiredAt: k.retiredAt?.toISOString() ?? null, published: live.has(k.id) }));
}
