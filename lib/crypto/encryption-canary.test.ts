import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, testDb } from "@/test/db";
import { checkEncryptionCanary, resealEncryptionCanary } from "./encryption-canary";
import { sealSecret } from "./secret-box";

const v1 = randomBytes(32);
const v2 = randomBytes(32);
const ringV1 = new Map([[1, v1]]);
const ringV1V2 = new Map([
  [1, v1],
  [2, v2],
]);

beforeEach(resetDatabase);

describe("checkEncryptionCanary", () => {
  it("seals the canary with the newest key on first use and opens it afterwards", async () => {
    expect(await checkEncryptionCanary(testDb(), ringV1V2)).toEqual({ ok: true, keyVersion: 2, sealedNow: true });
    expect(await checkEncryptionCanary(testDb(), ringV1V2)).toEqual({ ok: true, keyVersion: 2, sealedNow: false });
    expect(await testDb().encryptionCanary.count()).toBe(1);
  });

  it("keeps one canary when first uses race", async () => {
    const results = await Promise.all([1, 2, 3].map(() => checkEncryptionCanary(testDb(), ringV1)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results.filter((result) => result.ok && result.sealedNow)).toHaveLength(1);
  });

  it("names the key version the ring lost", async () => {
    await checkEncryptionCanary(testDb(), ringV1V2);
    expect(await checkEncryptionCanary(testDb(), ringV1)).toEqual({
      ok: false,
      keyVersion: 2,
      reason: "key_version_missing",
    });
  });

  it("tells a different key under the same version", async () => {
    await checkEncryptionCanary(testDb(), ringV1);
    expect(await checkEncryptionCanary(testDb(), new Map([[1, randomBytes(32)]]))).toEqual({
      ok: false,
      keyVersion: 1,
      reason: "wrong_key",
    });
  });
});

describe("checkEncryptionCanary before its first seal", () => {
  it("refuses to seal with a ring that cannot open the stored API keys", async () => {
    const user = await testDb().user.create({ data: { email: "owner@example.com" } });
    const client = await testDb().client.create({ data: { hubId: "cl", userId: user.id, bindingState: "BOUND" } });
    const channel = await testDb().channel.create({ data: { hubId: "ch", clientId: client.id } });
    const sealed = sealSecret(ringV1, "the channel's key", channel.id);
    await testDb().apiKey.create({
      data: {
        channelId: channel.id,
        liveChannelId: channel.id,
        ciphertext: new Uint8Array(sealed.ciphertext),
        keyVersion: sealed.keyVersion,
      },
    });
    expect(await checkEncryptionCanary(testDb(), new Map([[1, randomBytes(32)]]))).toEqual({
      ok: false,
      keyVersion: 1,
      reason: "wrong_key",
    });
    expect(await testDb().encryptionCanary.count()).toBe(0);
    expect(await checkEncryptionCanary(testDb(), ringV1)).toEqual({ ok: true, keyVersion: 1, sealedNow: true });
  });
});

describe("resealEncryptionCanary", () => {
  it("moves the canary to the newest key, so the old version can leave the ring", async () => {
    expect(await resealEncryptionCanary(testDb(), ringV1V2)).toBe("absent");
    await checkEncryptionCanary(testDb(), ringV1);
    expect(await resealEncryptionCanary(testDb(), ringV1V2)).toBe("resealed");
    expect(await resealEncryptionCanary(testDb(), ringV1V2)).toBe("current");
    expect(await checkEncryptionCanary(testDb(), new Map([[2, v2]]))).toMatchObject({ ok: true, keyVersion: 2 });
  });
});
