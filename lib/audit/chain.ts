import { createHash, createHmac, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";

/**
 * The audit chain's keys. Both are derived with HKDF-SHA-256 from KEYWARD_HASH_SECRET, each under
 * its own label, so that they live only in the environment (never in the database) and every
 * instance behind a load balancer has the same ones without another secret to distribute:
 *
 * - the chain key: HMAC-SHA-256 over each event (chain version 2). Someone who can write the
 *   database but not read the environment cannot compute a valid hash, so rewriting an event and
 *   re-chaining after it is detected.
 * - the checkpoint signing key: Ed25519. Its public key is published (page, download, /v1), so an
 *   auditor can check a checkpoint anywhere, with no secret.
 *
 * Knowing one derived key tells nothing about the secret or the other key (HKDF), and the API key
 * hashes use the secret itself, so none of the three can stand in for another.
 */

/** The chain versions an event can have (AuditEvent.chainVersion). */
export const CHAIN_UNKEYED = 1;
export const CHAIN_KEYED = 2;

const CHAIN_KEY_INFO = "keyward/audit-chain/hmac-sha256/v2";
const SIGNING_KEY_INFO = "keyward/audit-checkpoint/ed25519/v1";
// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): node:crypto has no "from seed" call.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function rootSecret(): string {
  const secret = process.env.KEYWARD_HASH_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error(
      "KEYWARD_HASH_SECRET is missing or shorter than 32 characters: the audit chain cannot be keyed. " +
        "Set it in the environment (npm start writes one into .env.local for local use).",
    );
  }
  return secret;
}

export type AuditKeys = { chainKey: Buffer; privateKey: KeyObject; publicKey: KeyObject; keyId: string; publicKeyPem: string };

let cached: { secret: string; keys: AuditKeys } | null = null;

/** The derived keys for the current KEYWARD_HASH_SECRET (derived once, then reused). */
export function auditKeys(secret = rootSecret()): AuditKeys {
  if (cached?.secret === secret) return cached.keys;
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), info, 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, derive(SIGNING_KEY_INFO)]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: "der", type: "spki" });
  const keys: AuditKeys = {
    chainKey: derive(CHAIN_KEY_INFO),
    privateKey,
    publicKey,
    // Names the signing key in each checkpoint: the first 16 hex digits of SHA-256 over its SPKI.
    keyId: createHash("sha256").update(spki).digest("hex").slice(0, 16),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
  cached = { secret, keys };
  return keys;
}

export type ChainedFields = {
  tenantId: string;
  seq: number;
  actorType: string;
  actorUserId: string | null;
  actorKeyId: string | null;
  actorLabel: string;
  action: string;
  targetKeyId: string | null;
  keyPrefix: string | null;
  scopes: string | null;
  details: string | null;
  requestId: string;
  createdAt: Date;
  prevHash: string | null;
};

/** The fields the chain hash covers, in a fixed order (the same for both versions). */
export function auditHashInput(event: ChainedFields): string {
  return JSON.stringify([
    event.tenantId,
    event.seq,
    event.actorType,
    event.actorUserId,
    event.actorKeyId,
    event.actorLabel,
    event.action,
    event.targetKeyId,
    event.keyPrefix,
    event.scopes,
    event.details,
    event.requestId,
    event.createdAt.toISOString(),
    event.prevHash,
  ]);
}

/** Version 1 (of the fields, or of an auditHashInput text): plain SHA-256, which anyone can recompute. Only for checking events written before keyed chains. */
export function unkeyedAuditHash(event: ChainedFields | string): string {
  return createHash("sha256").update(typeof event === "string" ? event : auditHashInput(event)).digest("hex");
}

/** Version 2: HMAC-SHA-256 under the chain key. Every new event is hashed this way. */
export function keyedAuditHash(event: ChainedFields | string, chainKey = auditKeys().chainKey): string {
  return createHmac("sha256", chainKey).update(typeof event === "string" ? event : auditHashInput(event)).digest("hex");
}

export function auditHashFor(version: number, event: ChainedFields, chainKey?: Buffer): string {
  return version === CHAIN_UNKEYED ? unkeyedAuditHash(event) : keyedAuditHash(event, chainKey);
}
