import { beforeEach, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { getChannelDetail } from "./get-channel-detail";
import { listChannels } from "./list-channels";

beforeEach(resetDatabase);

async function clientOf(hubId: string, name: string | null = null) {
  const owner = await createUser(`${hubId}@example.com`);
  return testDb().client.create({ data: { hubId, name, userId: owner.id, bindingState: "BOUND" } });
}

function channel(clientId: string, hubId: string, data: Partial<Prisma.ChannelUncheckedCreateInput> = {}) {
  return testDb().channel.create({ data: { hubId, clientId, ...data } });
}

function key(channelId: string, data: { lastFour: string; live: boolean; keyVersion?: number; createdAt?: Date }) {
  return testDb().apiKey.create({
    data: {
      channelId,
      liveChannelId: data.live ? channelId : null,
      ciphertext: data.live ? Buffer.from("sealed") : Buffer.alloc(0),
      keyVersion: data.keyVersion ?? 1,
      lastFour: data.lastFour,
      createdAt: data.createdAt,
      destroyedAt: data.live ? null : new Date("2026-02-01T00:00:00Z"),
    },
  });
}

describe("listChannels", () => {
  it("shows the three states, the live key's last four and the newest event", async () => {
    const acme = await clientOf("acme", "Acme");
    const ch = await channel(acme.id, "ch-1", {
      phoneNumber: "+15550001111",
      status: "RUNNING",
      rawStatus: "error",
      keyState: "STORED",
      messagingWebhookState: "FAILED",
      messagingWebhookError: "404 from the Hub",
    });
    await key(ch.id, { lastFour: "OLD1", live: false });
    await key(ch.id, { lastFour: "NEW2", live: true });
    await testDb().channelEvent.createMany({
      data: [
        {
          channelId: ch.id,
          kind: "status",
          toStatus: "READY",
          source: "webhook",
          dedupeKey: "e1",
          occurredAt: new Date("2026-01-01T00:00:00Z"),
        },
        {
          channelId: ch.id,
          kind: "quality",
          detail: "GREEN",
          source: "webhook",
          dedupeKey: "e2",
          occurredAt: new Date("2026-01-03T00:00:00Z"),
        },
        {
          channelId: ch.id,
          kind: "status",
          toStatus: "RUNNING",
          source: "webhook",
          dedupeKey: "e3",
          occurredAt: new Date("2026-01-02T00:00:00Z"),
        },
      ],
    });
    const page = await listChannels(testDb(), { page: 1 });
    expect(page.rows).toEqual([
      {
        id: ch.id,
        hubId: "ch-1",
        phoneNumber: "+15550001111",
        clientHubId: "acme",
        clientName: "Acme",
        status: "RUNNING",
        rawStatus: "error",
        problem: true,
        access: "GRANTED",
        keyState: "STORED",
        hasLiveKey: true,
        keyLastFour: "NEW2",
        keyError: null,
        messagingWebhookState: "FAILED",
        messagingWebhookError: "404 from the Hub",
        lastEvent: { kind: "quality", toStatus: null, detail: "GREEN", at: "2026-01-03T00:00:00.000Z" },
      },
    ]);
  });

  it("filters by status, access, key state and webhook state", async () => {
    const acme = await clientOf("acme");
    await channel(acme.id, "live-stored", { status: "LIVE", keyState: "STORED", messagingWebhookState: "SET" });
    await channel(acme.id, "live-removed", { status: "LIVE", access: "REMOVED" });
    await channel(acme.id, "ready-failed", { status: "READY", keyState: "FAILED" });
    const hubIds = async (filters: Parameters<typeof listChannels>[1]) =>
      (await listChannels(testDb(), filters)).rows.map((row) => row.hubId).sort();
    expect(await hubIds({ status: "LIVE", page: 1 })).toEqual(["live-removed", "live-stored"]);
    expect(await hubIds({ access: "REMOVED", page: 1 })).toEqual(["live-removed"]);
    expect(await hubIds({ keyState: "FAILED", page: 1 })).toEqual(["ready-failed"]);
    expect(await hubIds({ webhook: "SET", page: 1 })).toEqual(["live-stored"]);
    expect(await hubIds({ status: "LIVE", keyState: "STORED", page: 1 })).toEqual(["live-stored"]);
  });

  it("searches channel hub id, number, client hub id and client name", async () => {
    const acme = await clientOf("acme-client", "Acme GmbH");
    const other = await clientOf("other-client", "Other");
    await channel(acme.id, "acme-ch", { phoneNumber: "+49301234567" });
    await channel(other.id, "other-ch", { phoneNumber: "+15550009999" });
    for (const q of ["ACME-CH", "4930123", "acme-client", "gmbh"]) {
      expect((await listChannels(testDb(), { q, page: 1 })).rows.map((row) => row.hubId)).toEqual(["acme-ch"]);
    }
  });

  it("orders newest first and pages by 25", async () => {
    const acme = await clientOf("acme");
    await testDb().channel.createMany({
      data: Array.from({ length: 26 }, (_, i) => ({
        hubId: `ch-${String(i).padStart(2, "0")}`,
        clientId: acme.id,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    });
    const second = await listChannels(testDb(), { page: 2 });
    expect(second).toMatchObject({ total: 26, page: 2, pageCount: 2 });
    expect(second.rows.map((row) => row.hubId)).toEqual(["ch-00"]);
  });
});

describe("getChannelDetail", () => {
  it("returns the timeline, every key without ciphertext, messages and the channel's webhook events, newest first", async () => {
    const acme = await clientOf("acme");
    const ch = await channel(acme.id, "ch-1", { keyState: "STORED" });
    await key(ch.id, { lastFour: "OLD1", live: false, createdAt: new Date("2026-01-01T00:00:00Z") });
    await key(ch.id, { lastFour: "NEW2", live: true, keyVersion: 2, createdAt: new Date("2026-02-02T00:00:00Z") });
    await testDb().channelEvent.createMany({
      data: [
        {
          channelId: ch.id,
          toStatus: "READY",
          source: "redirect",
          dedupeKey: "e1",
          occurredAt: new Date("2026-01-01T00:00:00Z"),
        },
        {
          channelId: ch.id,
          fromStatus: "READY",
          toStatus: "RUNNING",
          source: "webhook",
          dedupeKey: "e2",
          occurredAt: new Date("2026-01-02T00:00:00Z"),
        },
      ],
    });
    await testDb().message.create({
      data: { channelId: ch.id, recipientLast4: "4567", kind: "test", status: "DELIVERED" },
    });
    await testDb().webhookEvent.createMany({
      data: [
        {
          dedupeKey: "w1",
          type: "channel_running",
          channelHubId: "ch-1",
          payload: {},
          receivedAt: new Date("2026-01-02T00:00:00Z"),
        },
        { dedupeKey: "w2", type: "channel_running", channelHubId: "ch-2", payload: {} },
      ],
    });

    const detail = await getChannelDetail(testDb(), "ch-1");

    expect(detail).toMatchObject({ hubId: "ch-1", keyLastFour: "NEW2", lastEvent: { toStatus: "RUNNING" } });
    expect(detail?.timeline.map((event) => [event.fromStatus, event.toStatus])).toEqual([
      ["READY", "RUNNING"],
      [null, "READY"],
    ]);
    expect(detail?.keys).toEqual([
      {
        id: expect.any(String),
        keyVersion: 2,
        lastFour: "NEW2",
        createdAt: "2026-02-02T00:00:00.000Z",
        destroyedAt: null,
      },
      {
        id: expect.any(String),
        keyVersion: 1,
        lastFour: "OLD1",
        createdAt: "2026-01-01T00:00:00.000Z",
        destroyedAt: "2026-02-01T00:00:00.000Z",
      },
    ]);
    expect(JSON.stringify(detail)).not.toContain("sealed");
    expect(detail?.messages).toEqual([expect.objectContaining({ recipientLast4: "4567", status: "DELIVERED" })]);
    expect(detail?.webhookEvents.map((event) => event.type)).toEqual(["channel_running"]);
  });

  it("returns null for an unknown channel", async () => {
    expect(await getChannelDetail(testDb(), "nope")).toBeNull();
  });
});
