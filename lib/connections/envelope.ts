import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * Envelope encryption of connection credentials. Each secret is encrypted with AES-256-GCM under
 * its own random 256-bit data key; the data key is wrapped (AES-256-GCM again) by a
 * key-encryption key (KEK) from the environment, never stored. Both layers bind the connection
 * id and slot as associated data, so a ciphertext copied into another row or slot does not
 * decrypt. The envelope names its KEK by id, so the KEK can be rotated: set the new one as
 * KEYWARD_CONNECTION_KEK, keep the old one in KEYWARD_CONNECTION_KEK_PREVIOUS, and run
 * `npm run connections:rewrap`, which re-wraps every data key without decrypting any secret.
 *
 * Stored form: v1.<kekId>.<wrapIv>.<wrappedKey>.<wrapTag>.<iv>.<ciphertext>.<tag> (base64url).
 * Plain node, no imports from lib/: scripts and the e2e teardown use it too.
 */

const VERSION = "v1";
const ALG = "aes-256-gcm";

export type Kek = { id: string; key: Buffer };
/** The current KEK (wraps new data keys) and earlier ones (unwrap only, until re-wrapped). */
export type Keyring = { current: Kek; previous: Kek[] };

export class CredentialCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialCryptoError";
  }
}

/**
 * A KEK from its configured text: the AES key is derived with HKDF (its own label), and its id
 * is a short HMAC fingerprint, so the id shows which KEK wrapped a key without revealing it.
 */
export function kekFrom(secret: string): Kek {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "keyward/connection-kek/aes-256-gcm/v1", 32));
  const id = createHmac("sha256", key).update("keyward/connection-kek-id").digest("base64url").slice(0, 12);
  return { id, key };
}

/** The keyring in `env`, or an error that says which variable to set. */
export function keyringFrom(env: Record<string, string | undefined>): Keyring {
  const secret = env.KEYWARD_CONNECTION_KEK;
  if (!secret || secret.length < 32) {
    throw new CredentialCryptoError(
      "KEYWARD_CONNECTION_KEK is missing or shorter than 32 characters: connection credentials cannot be encrypted or read. " +
        "Set it in the environment (npm start writes one into .env.local for local use).",
    );
  }
  const previous = (env.KEYWARD_CONNECTION_KEK_PREVIOUS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k.length >= 32)
    .map(kekFrom);
  return { current: kekFrom(secret), previous };
}

function aad(connectionId: string, slot: string, layer: "key" | "data"): Buffer {
  return Buffer.from(`keyward/connection/${layer}/${connectionId}/${slot}`, "utf8");
}

function seal(key: Buffer, plain: Buffer, associated: Buffer): Buffer[] {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALG, key, iv);
  cipher.setAAD(associated);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [iv, data, cipher.getAuthTag()];
}

function open(key: Buffer, [iv, data, tag]: Buffer[], associated: Buffer): Buffer {
  const decipher = createDecipheriv(ALG, key, iv);
  decipher.setAAD(associated);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

const b64 = (parts: Buffer[]) => parts.map((p) => p.toString("base64url"));

export function encryptCredential(keyring: Keyring, connectionId: string, slot: string, secret: string): string {
  const dataKey = randomBytes(32);
  try {
    const wrapped = seal(keyring.current.key, dataKey, aad(connectionId, slot, "key"));
    const sealed = seal(dataKey, Buffer.from(secret, "utf8"), aad(connectionId, slot, "data"));
    return [VERSION, keyring.current.id, ...b64(wrapped), ...b64(sealed)].join(".");
  } finally {
    dataKey.fill(0);
  }
}

type Parsed = { kekId: string; wrapped: Buffer[]; sealed: Buffer[] };

function parse(envelope: string): Parsed {
  const parts = envelope.split(".");
  if (parts.length !== 8 || parts[0] !== VERSION) {
    throw new CredentialCryptoError("The stored credential is not a readable envelope (damaged or from another version). Write the credential again.");
  }
  const bytes = parts.slice(2).map((p) => Buffer.from(p, "base64url"));
  if (bytes[0].length !== 12 || bytes[3].length !== 12 || bytes[2].length !== 16 || bytes[5].length !== 16) {
    throw new CredentialCryptoError("The stored credential is not a readable envelope (damaged). Write the credential again.");
  }
  return { kekId: parts[1], wrapped: bytes.slice(0, 3), sealed: bytes.slice(3) };
}

function kekFor(keyring: Keyring, kekId: string): Kek {
  const kek = [keyring.current, ...keyring.previous].find((k) => k.id === kekId);
  if (!kek) {
    throw new CredentialCryptoError(
      `The credential was encrypted under key-encryption key ${kekId}, which is not configured: set it in KEYWARD_CONNECTION_KEK ` +
        "or KEYWARD_CONNECTION_KEK_PREVIOUS (the KEK in use is " +
        `${keyring.current.id}).`,
    );
  }
  return kek;
}

function unwrap(keyring: Keyring, parsed: Parsed, connectionId: string, slot: string): Buffer {
  const kek = kekFor(keyring, parsed.kekId);
  try {
    return open(kek.key, parsed.wrapped, aad(connectionId, slot, "key"));
  } catch {
    throw new CredentialCryptoError(
      `The credential's data key failed its integrity check under key-encryption key ${kek.id}: the stored value was altered, ` +
        "moved from another connection, or the configured KEK is not the one that wrapped it.",
    );
  }
}

export function decryptCredential(keyring: Keyring, connectionId: string, slot: string, envelope: string): string {
  const parsed = parse(envelope);
  const dataKey = unwrap(keyring, parsed, connectionId, slot);
  try {
    return open(dataKey, parsed.sealed, aad(connectionId, slot, "data")).toString("utf8");
  } catch {
    throw new CredentialCryptoError("The credential's ciphertext failed its integrity check: the stored value was altered. Write the credential again.");
  } finally {
    dataKey.fill(0);
  }
}

/** The id of the KEK that wrapped `envelope`, without unwrapping anything. */
export function envelopeKekId(envelope: string): string {
  return parse(envelope).kekId;
}

/**
 * The same envelope with its data key re-wrapped under the current KEK. The secret's
 * ciphertext is carried over byte for byte: the secret itself is never decrypted.
 */
export function rewrapCredential(keyring: Keyring, connectionId: string, slot: string, envelope: string): string {
  const parsed = parse(envelope);
  if (parsed.kekId === keyring.current.id) return envelope;
  const dataKey = unwrap(keyring, parsed, connectionId, slot);
  try {
    const wrapped = seal(keyring.current.key, dataKey, aad(connectionId, slot, "key"));
    return [VERSION, keyring.current.id, ...b64(wrapped), ...b64(parsed.sealed)].join(".");
  } finally {
    dataKey.fill(0);
  }
}
