import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Encryption keys by version (ENCRYPTION_KEYS): the highest version encrypts, every one decrypts. */
export type KeyRing = ReadonlyMap<number, Buffer>;
export type SealedSecret = { ciphertext: Buffer; keyVersion: number };

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`A stored secret could not be decrypted: ${reason}`);
    this.name = "SecretDecryptionError";
  }
}

export function currentKeyVersion(ring: KeyRing): number {
  if (ring.size === 0) throw new Error("The encryption key ring is empty");
  return Math.max(...ring.keys());
}

/**
 * AES-256-GCM with a fresh random nonce per value, stored as nonce | tag | ciphertext. The
 * associated data (the channel id for an API key) is authenticated but not stored: a ciphertext
 * copied onto another channel's row fails to decrypt.
 */
export function sealSecret(ring: KeyRing, plaintext: string, associatedData: string): SealedSecret {
  const keyVersion = currentKeyVersion(ring);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.get(keyVersion)!, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext: Buffer.concat([nonce, cipher.getAuthTag(), body]), keyVersion };
}

export function openSecret(ring: KeyRing, sealed: SealedSecret, associatedData: string): string {
  const key = ring.get(sealed.keyVersion);
  if (!key) throw new SecretDecryptionError(`key version ${sealed.keyVersion} is not in ENCRYPTION_KEYS`);
  if (sealed.ciphertext.length < NONCE_BYTES + TAG_BYTES) throw new SecretDecryptionError("ciphertext too short");
  const nonce = sealed.ciphertext.subarray(0, NONCE_BYTES);
  const tag = sealed.ciphertext.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(sealed.ciphertext.subarray(NONCE_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SecretDecryptionError("authentication failed (wrong key, wrong owner, or tampered)");
  }
}
