import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { checkEncryptionCanary } from "./encryption-canary";
import { reencryptApiKeys } from "./reencrypt-api-keys";
import { openSecret, sealSecret } from "./secret-box";

const v1 = randomBytes(32);
const v2 = randomBytes(32);
const oldRing = new Map([[1, v1]]);
const rotatedRing = new Map([
  [1, v1],
  [2, v2],
]);

beforeEach(resetDatabase);

async function channelsWithKeys(count: number) {
  const user = await createUser("owner@example.com");
  const client = await testDb().client.create({ data: { hubId: "cliCL", userId: user.id, bindingState: "BOUND" } });
  const keys = [];
  for (let i = 0; i < count; i++) {
    const channel = await testDb().channel.create({ data: { hubId: `ch${i}CH`, clientId: client.id } });
    const plaintext = `channel-key-${i}-${randomBytes(8).toString("hex")}`;
    const sealed = sealSecret(oldRing, plaintext, channel.id);
    await testDb().apiKey.create({
      data: {
        channelId: channel.id,
        liveChannelId: channel.id,
        ciphertext: new Uint8Array(sealed.ciphertext),
        keyVersion: 1,
      },
    });
    keys.push({ channelId: channel.id, plaintext });
  }
  return keys;
}

describe("reencryptApiKeys", () => {
  it("moves every key to the newest version in batches, keeping each readable", async () => {
    const keys = await channelsWithKeys(7);
    await checkEncryptionCanary(testDb(), oldRing);
    expect(await reencryptApiKeys(testDb(), rotatedRing, { batchSize: 3 })).toEqual({
      reencrypted: 7,
      alreadyCurrent: 0,
      targetVersion: 2,
      canary: "resealed",
    });
    const rows = await testDb().apiKey.findMany();
    expect(rows.every((row) => row.keyVersion === 2)).toBe(true);
    for (const key of keys) {
      const row = rows.find((r) => r.channelId === key.channelId)!;
      const ring = new Map([[2, v2]]);
      expect(openSecret(ring, { ciphertext: Buffer.from(row.ciphertext), keyVersion: 2 }, key.channelId)).toBe(
        key.plaintext,
      );
    }
    expect(await reencryptApiKeys(testDb(), rotatedRing)).toEqual({
      reencrypted: 0,
      alreadyCurrent: 7,
      targetVersion: 2,
      canary: "current",
    });
    expect(await checkEncryptionCanary(testDb(), new Map([[2, v2]]))).toMatchObject({ ok: true, keyVersion: 2 });
  });
});
