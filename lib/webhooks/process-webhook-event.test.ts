import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { drainJobs } from "@/test/jobs";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { ingestPartnerWebhook } from "./ingest-partner-webhook";

const SECRET = "webhook-test-platform-secret";

async function deliver(event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  const signature = createHmac("sha256", SECRET).update(body).digest("hex");
  return ingestPartnerWebhook(testDb(), { rawBody: Buffer.from(body), signature, platformSecret: SECRET });
}

const drain = () => drainJobs();

const statusEvent = (id: string, status: string, hubId = "abc123CH") => ({
  id,
  event: `channel_${status}`,
  data: { id: hubId, client_id: "cli456CL", status, setup_info: { phone_number: "+15550001111" } },
});

async function storedChannel(hubId = "abc123CH") {
  const user = await createUser("owner@example.com");
  const client = await testDb().client.upsert({
    where: { hubId: "cli456CL" },
    create: { hubId: "cli456CL", userId: user.id, bindingState: "BOUND" },
    update: {},
  });
  return testDb().channel.create({ data: { hubId, clientId: client.id, status: "CREATED", rawStatus: "created" } });
}

/** The channel as the tests compare it: every field a webhook can change, and its timeline. */
async function channelState(hubId = "abc123CH") {
  const channel = await testDb().channel.findUniqueOrThrow({
    where: { hubId },
    include: {
      events: { orderBy: [{ kind: "asc" }, { toStatus: "asc" }], select: { kind: true, toStatus: true, detail: true } },
    },
  });
  const { status, rawStatus, messagingLimit, qualityRating, restriction, phoneNumber, events } = channel;
  return { status, rawStatus, messagingLimit, qualityRating, restriction, phoneNumber, events };
}

beforeEach(resetDatabase);

describe("processing partner webhooks", () => {
  it("moves a stored channel along its life and marks the event processed", async () => {
    await storedChannel();
    await deliver(statusEvent("e1", "running"));
    await drain();
    expect(await channelState()).toMatchObject({ status: "RUNNING", rawStatus: "running" });
    expect(await testDb().webhookEvent.findFirstOrThrow()).toMatchObject({ state: "PROCESSED", attempts: 1 });
  });

  it("ends in the same state for events repeated three times in shuffled order as for one ordered delivery", async () => {
    const events = [
      statusEvent("e1", "ready"),
      statusEvent("e2", "running"),
      {
        id: "e3",
        event: "phone_number_quality_changed",
        data: { id: "abc123CH", client_id: "cli456CL", value: "TIER_10K" },
      },
      statusEvent("e4", "live"),
    ];
    await storedChannel();
    for (const event of events) {
      await deliver(event);
      await drain();
    }
    const ordered = await channelState();

    await resetDatabase();
    await storedChannel();
    const shuffled = [...events, ...events, ...events].sort(() => Math.random() - 0.5);
    for (const event of shuffled) await deliver(event);
    await drain();
    expect(await channelState()).toEqual(ordered);
    expect(ordered).toMatchObject({ status: "LIVE", messagingLimit: "TIER_10K" });
  });

  it("keeps an event for a channel not stored yet and applies it once the redirect stores it", async () => {
    await deliver(statusEvent("e1", "running", "later1CH"));
    await drain();
    expect(await testDb().webhookEvent.findFirstOrThrow()).toMatchObject({
      state: "WAITING_FOR_CHANNEL",
      channelHubId: "later1CH",
    });

    await storedChannel("later1CH");
    const { releaseWaitingEvents } = await import("./store-webhook-event");
    expect(await releaseWaitingEvents(testDb(), ["later1CH"])).toBe(1);
    await drain();
    expect(await channelState("later1CH")).toMatchObject({ status: "RUNNING" });
    expect(await testDb().webhookEvent.findFirstOrThrow()).toMatchObject({ state: "PROCESSED" });
  });

  it("records a restriction that names only the phone number, and a problem status without moving the stage", async () => {
    await storedChannel();
    await testDb().channel.update({ where: { hubId: "abc123CH" }, data: { phoneNumber: "+15550001111" } });
    await deliver({
      id: "r1",
      event: "account_restriction",
      data: { phone_number: "+15550001111", violation_type: "SPAM" },
    });
    await deliver({
      id: "p1",
      event: "channel_status_update",
      data: { id: "abc123CH", client_id: "cli456CL", status: "error" },
    });
    await drain();
    expect(await channelState()).toMatchObject({
      status: "CREATED",
      rawStatus: "error",
      restriction: "account_restriction: SPAM",
      events: [
        { kind: "problem", toStatus: null, detail: "error" },
        { kind: "restriction", toStatus: null, detail: "account_restriction: SPAM" },
      ],
    });
  });
});
