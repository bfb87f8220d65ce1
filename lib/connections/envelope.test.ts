// Envelope encryption of connection credentials: a round trip, one data key per credential, the
// clear errors for a tampered envelope, a ciphertext moved to another connection or slot, and a
// wrong or missing KEK; a KEK rotation re-wraps the data key and carries the secret's
// ciphertext over byte for byte (the secret itself is never decrypted).
import { describe, expect, it } from "vitest";
import { CredentialCryptoError, decryptCredential, encryptCredential, envelopeKekId, keyringFrom, rewrapCredential } from "./envelope";

const OLD = "old-connection-kek-0123456789abcdefghijklmnopqrstuvwxyz";
const NEW = "new-connection-kek-0123456789abcdefghijklmnopqrstuvwxyz";
const ring = keyringFrom({ KEYWARD_CONNECTION_KEK: OLD });
const SECRET = "pa55-w0rd-\u00e9-\u{1F511}";

function flip(envelope: string, part: number): string {
  const parts = envelope.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[0] ^= 1;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("connection credential envelopes", () => {
  it("round-trip, with a fresh data key and IV each time and no plaintext in the stored form", () => {
    const a = encryptCredential(ring, "conn_1", "primary", SECRET);
    const b = encryptCredential(ring, "conn_1", "primary", SECRET);
    expect(a).not.toBe(b);
    expect(a).not.toContain("pa55");
    expect(Buffer.from(a.split(".")[6], "base64url").toString("utf8")).not.toContain("pa55");
    expect(decryptCredential(ring, "conn_1", "primary", a)).toBe(SECRET);
    expect(envelopeKekId(a)).toBe(ring.current.id);
    expect(ring.current.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it("refuse a tampered ciphertext, a tampered wrapped key and a damaged envelope with a clear error", () => {
    const sealed = encryptCredential(ring, "conn_1", "primary", SECRET);
    expect(() => decryptCredential(ring, "conn_1", "primary", flip(sealed, 6))).toThrow(/ciphertext failed its integrity check/);
    expect(() => decryptCredential(ring, "conn_1", "primary", flip(sealed, 7))).toThrow(/integrity check/);
    expect(() => decryptCredential(ring, "conn_1", "primary", flip(sealed, 3))).toThrow(/data key failed its integrity check/);
    expect(() => decryptCredential(ring, "conn_1", "primary", "v1.garbage")).toThrow(/not a readable envelope/);
    expect(() => decryptCredential(ring, "conn_1", "primary", sealed.split(".").slice(0, 7).join(".") + ".AAAA")).toThrow(CredentialCryptoError);
  });

  it("do not decrypt when moved to another connection or slot", () => {
    const sealed = encryptCredential(ring, "conn_1", "primary", SECRET);
    expect(() => decryptCredential(ring, "conn_2", "primary", sealed)).toThrow(CredentialCryptoError);
    expect(() => decryptCredential(ring, "conn_1", "secondary", sealed)).toThrow(CredentialCryptoError);
  });

  it("name the missing KEK when another one is configured, and say which variable to set when none is", () => {
    const sealed = encryptCredential(ring, "conn_1", "primary", SECRET);
    const other = keyringFrom({ KEYWARD_CONNECTION_KEK: NEW });
    expect(() => decryptCredential(other, "conn_1", "primary", sealed)).toThrow(new RegExp(`key-encryption key ${ring.current.id}, which is not configured`));
    expect(() => keyringFrom({})).toThrow(/KEYWARD_CONNECTION_KEK is missing/);
    expect(() => keyringFrom({ KEYWARD_CONNECTION_KEK: "short" })).toThrow(/shorter than 32 characters/);
  });

  it("re-wrap under a new KEK without touching the secret's ciphertext; the old KEK is then no longer needed", () => {
    const sealed = encryptCredential(ring, "conn_1", "secondary", SECRET);
    const rotating = keyringFrom({ KEYWARD_CONNECTION_KEK: NEW, KEYWARD_CONNECTION_KEK_PREVIOUS: OLD });
    // Before the re-wrap, the old KEK (as a previous one) still reads it.
    expect(decryptCredential(rotating, "conn_1", "secondary", sealed)).toBe(SECRET);
    const rewrapped = rewrapCredential(rotating, "conn_1", "secondary", sealed);
    expect(envelopeKekId(rewrapped)).toBe(rotating.current.id);
    expect(rewrapped.split(".").slice(5)).toEqual(sealed.split(".").slice(5));
    expect(rewrapped.split(".").slice(2, 5)).not.toEqual(sealed.split(".").slice(2, 5));
    const newOnly = keyringFrom({ KEYWARD_CONNECTION_KEK: NEW });
    expect(decryptCredential(newOnly, "conn_1", "secondary", rewrapped)).toBe(SECRET);
    expect(rewrapCredential(newOnly, "conn_1", "secondary", rewrapped)).toBe(rewrapped);
  });
});
