import { createHmac, createSecretKey, randomInt, type KeyObject } from "node:crypto";
import { crc32 } from "node:zlib";
import { configFrozen } from "../config";

/**
 * Keyward API key format, modelled on GitHub's tokens:
 *
 *   kw_ <32 random base62 characters> <6 base62 characters of CRC-32>
 *
 * - The type tag lets secret scanners recognise a leaked key.
 * - 32 base62 characters from node:crypto carry 32 * log2(62) ≈ 190 bits.
 * - The checksum lets the API and scanners reject a mistyped or forged key without a
 *   database query. It is not a MAC: it guards against typos, the HMAC below guards the rest.
 */
export const KEY_TAG = "kw_";
export const KEY_RANDOM_LENGTH = 32;
export const KEY_CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_TAG.length + KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;
/** Random characters shown in the display prefix; the rest (≈143 bits) stay secret. */
export const DISPLAY_RANDOM_LENGTH = 8;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(`^${KEY_TAG}[0-9A-Za-z]{${KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH}}$`);

function toBase62(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksum(body: string): string {
  // CRC-32 fits in 6 base62 digits (62^6 > 2^32).
  return toBase62(crc32(body), KEY_CHECKSUM_LENGTH);
}

/** A new secret: tag, CSPRNG randomness (randomInt rejects modulo bias), checksum. */
export function generateTaggedSecret(tag: string): string {
  let random = "";
  for (let i = 0; i < KEY_RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  const body = tag + random;
  return body + checksum(body);
}

export function generateApiKeySecret(): string {
  return generateTaggedSecret(KEY_TAG);
}

/** Shape and checksum of a secret with `tag` (the tag is inside the checksum). */
export function isWellFormedTaggedSecret(candidate: unknown, tag: string, pattern: RegExp): candidate is string {
  const length = tag.length + KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;
  if (typeof candidate !== "string" || candidate.length !== length) return false;
  if (!pattern.test(candidate)) return false;
  const body = candidate.slice(0, length - KEY_CHECKSUM_LENGTH);
  return checksum(body) === candidate.slice(length - KEY_CHECKSUM_LENGTH);
}

/** True when the string has the shape and checksum of a Keyward key; no database needed. */
export function isWellFormedApiKey(candidate: unknown): candidate is string {
  return isWellFormedTaggedSecret(candidate, KEY_TAG, KEY_PATTERN);
}

/** The part of a key that may be shown and logged: tag plus the first random characters. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, KEY_TAG.length + DISPLAY_RANDOM_LENGTH);
}

let frozenSecret: string | null = null;
function hashSecretKey(): string {
  // Read on every hash until the servers froze their configuration (lib/config.ts).
  if (frozenSecret !== null && configFrozen()) return frozenSecret;
  const key = process.env.KEYWARD_HASH_SECRET;
  if (!key || key.length < 32) {
    throw new Error(
      "KEYWARD_HASH_SECRET is missing or shorter than 32 characters: API keys cannot be hashed. " +
        "Set it in the environment (npm start writes one into .env.local for local use).",
    );
  }
  if (configFrozen()) frozenSecret = key;
  return key;
}

// The hashing secret as a KeyObject, made once per secret: given the string, createHmac turns it
// into bytes again on every call, which was a tenth of a cached verification's CPU (bench:verify).
let hmacKey: { raw: string; key: KeyObject } | null = null;
function keyObject(raw: string): KeyObject {
  if (hmacKey?.raw !== raw) hmacKey = { raw, key: createSecretKey(raw, "utf8") };
  return hmacKey.key;
}

/** HMAC-SHA-256 of the full secret under the server's hashing secret, hex encoded. */
export function hashApiKey(secret: string, key = hashSecretKey()): string {
  return createHmac("sha256", keyObject(key)).update(secret, "utf8").digest("hex");
}

/** The same HMAC as its 32 raw bytes (hashApiKey() is their hex). */
export function apiKeyDigest(secret: string, key = hashSecretKey()): Buffer {
  return createHmac("sha256", keyObject(key)).update(secret, "utf8").digest();
}

