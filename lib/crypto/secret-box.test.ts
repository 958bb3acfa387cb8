import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { currentKeyVersion, openSecret, sealSecret, SecretDecryptionError } from "./secret-box";

const v1 = randomBytes(32);
const v2 = randomBytes(32);

describe("secret box", () => {
  it("round-trips with the highest key version and a fresh nonce each time", () => {
    const ring = new Map([
      [1, v1],
      [2, v2],
    ]);
    const a = sealSecret(ring, "channel-api-key-AK", "chan1");
    const b = sealSecret(ring, "channel-api-key-AK", "chan1");
    expect(a.keyVersion).toBe(2);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.includes(Buffer.from("channel-api-key-AK"))).toBe(false);
    expect(openSecret(ring, a, "chan1")).toBe("channel-api-key-AK");
    expect(currentKeyVersion(ring)).toBe(2);
  });

  it("refuses a ciphertext moved to another channel, tampered with, or sealed with an unknown version", () => {
    const ring = new Map([[1, v1]]);
    const sealed = sealSecret(ring, "secret", "chan1");
    expect(() => openSecret(ring, sealed, "chan2")).toThrow(SecretDecryptionError);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openSecret(ring, { ...sealed, ciphertext: tampered }, "chan1")).toThrow(SecretDecryptionError);
    expect(() => openSecret(ring, { ...sealed, keyVersion: 7 }, "chan1")).toThrow(/version 7/);
  });

  it("keeps decrypting values sealed under an older version after a new one is added", () => {
    const old = sealSecret(new Map([[1, v1]]), "secret", "chan1");
    const rotated = new Map([
      [1, v1],
      [2, v2],
    ]);
    expect(openSecret(rotated, old, "chan1")).toBe("secret");
  });
});
