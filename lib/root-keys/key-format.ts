import { KEY_CHECKSUM_LENGTH, KEY_RANDOM_LENGTH, generateTaggedSecret, isWellFormedTaggedSecret } from "../api-keys/key-format";

/**
 * Root keys: `kwr_` + 32 base62 characters + 6 of CRC-32 over the rest, like tenant keys but
 * with their own tag, so that a secret scanner (and a person reading a log) tells a leaked
 * platform credential from a tenant's key, and neither can be presented as the other: the tag
 * is inside the checksum, so re-tagging a tenant key as `kwr_` fails the checksum.
 */
export const ROOT_KEY_TAG = "kwr_";
const ROOT_KEY_PATTERN = new RegExp(`^${ROOT_KEY_TAG}[0-9A-Za-z]{${KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH}}$`);
export const ROOT_DISPLAY_LENGTH = ROOT_KEY_TAG.length + 8;

export function generateRootKeySecret(): string {
  return generateTaggedSecret(ROOT_KEY_TAG);
}

export function isWellFormedRootKey(candidate: unknown): candidate is string {
  return isWellFormedTaggedSecret(candidate, ROOT_KEY_TAG, ROOT_KEY_PATTERN);
}

export function rootDisplayPrefix(secret: string): string {
  return secret.slice(0, ROOT_DISPLAY_LENGTH);
}
