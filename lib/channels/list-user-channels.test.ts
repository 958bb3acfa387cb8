import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { listUserChannels } from "./list-user-channels";

beforeEach(resetDatabase);

async function clientWithChannel(
  userId: string,
  suffix: string,
  status: "CREATED" | "LIVE",
  bindingState: "BOUND" | "AWAITING_APPROVAL" = "BOUND",
) {
  const client = await testDb().client.create({ data: { hubId: `cl${suffix}CL`, userId, bindingState } });
  return testDb().channel.create({
    data: { hubId: `ch${suffix}CH`, clientId: client.id, phoneNumber: `+1555000${suffix}`, status },
  });
}

describe("listUserChannels", () => {
  it("returns only the user's own channels, with whether each has settled", async () => {
    const alice = await createUser("alice@example.com");
    const bob = await createUser("bob@example.com");
    await clientWithChannel(alice.id, "0001", "CREATED");
    const bobs = await clientWithChannel(bob.id, "0002", "LIVE");
    await testDb().channel.update({ where: { id: bobs.id }, data: { keyState: "STORED" } });

    const mine = await listUserChannels(testDb(), alice.id);
    expect(mine.map((c) => [c.id, c.settled])).toEqual([["ch0001CH", false]]);
    expect((await listUserChannels(testDb(), bob.id)).map((c) => [c.id, c.settled])).toEqual([["ch0002CH", true]]);
  });

  it("shows a binding awaiting approval with the number masked", async () => {
    const alice = await createUser("alice@example.com");
    await clientWithChannel(alice.id, "0005", "CREATED", "AWAITING_APPROVAL");
    const [view] = await listUserChannels(testDb(), alice.id);
    expect(view).toMatchObject({ binding: "awaiting_approval", phoneNumber: "•••• 0005" });
    expect(JSON.stringify(view)).not.toContain("+15550000005");
  });

  it("keeps a live, bound channel unsettled until its key is stored, and shows only the key's last four", async () => {
    const alice = await createUser("alice@example.com");
    const channel = await clientWithChannel(alice.id, "0004", "LIVE");
    await testDb().channel.update({ where: { id: channel.id }, data: { keyState: "PROVISIONING" } });
    expect((await listUserChannels(testDb(), alice.id)).map((c) => c.settled)).toEqual([false]);
    await testDb().channel.update({ where: { id: channel.id }, data: { keyState: "STORED" } });
    await testDb().apiKey.create({
      data: {
        channelId: channel.id,
        liveChannelId: channel.id,
        ciphertext: new Uint8Array(Buffer.from("sealed-bytes-not-the-key")),
        keyVersion: 1,
        lastFour: "wxyz",
      },
    });
    const [view] = await listUserChannels(testDb(), alice.id);
    expect(view).toMatchObject({ settled: true, keyState: "STORED", keyLastFour: "wxyz" });
    expect(JSON.stringify(view)).not.toContain("sealed-bytes");
  });

  it("includes the newest status changes as a timeline", async () => {
    const alice = await createUser("alice@example.com");
    const channel = await clientWithChannel(alice.id, "0003", "CREATED");
    await testDb().channelEvent.create({
      data: {
        channelId: channel.id,
        toStatus: "CREATED",
        source: "webhook",
        dedupeKey: "e1",
        occurredAt: new Date("2026-01-01T10:00:00Z"),
      },
    });
    const [view] = await listUserChannels(testDb(), alice.id);
    expect(view?.timeline).toEqual([
      { kind: "status", status: "CREATED", detail: null, at: "2026-01-01T10:00:00.000Z" },
    ]);
  });

  it("tells the client its messaging webhook is set, not where the partner points it", async () => {
    const alice = await createUser("alice@example.com");
    const channel = await clientWithChannel(alice.id, "0004", "LIVE");
    for (const [dedupeKey, detail, at] of [
      ["w1", "failed: https://backend.partner.example/wa: 360dialog refuses webhook URLs with a port", "10:00"],
      ["w2", "set https://backend.partner.example/wa", "11:00"],
    ]) {
      await testDb().channelEvent.create({
        data: {
          channelId: channel.id,
          kind: "messaging_webhook",
          detail,
          source: "key_pipeline",
          dedupeKey: dedupeKey!,
          occurredAt: new Date(`2026-01-01T${at}:00Z`),
        },
      });
    }
    const [view] = await listUserChannels(testDb(), alice.id);
    expect(view?.timeline.map((entry) => entry.detail)).toEqual(["set", "could not be set"]);
    expect(JSON.stringify(view)).not.toContain("partner.example");
  });
});
