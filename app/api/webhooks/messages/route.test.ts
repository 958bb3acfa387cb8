import { beforeEach, describe, expect, it } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { messagingWebhookToken } from "@/lib/webhooks/messaging-webhook-token";
import { resetDatabase, testDb } from "@/test/db";
import { cloudApiStatusEnvelope, keyedChannelWithMessage, type JsonValue } from "@/test/messaging-fixtures";
import { drainJobs } from "@/test/jobs";
import { importRouteWith, scheduledAfterResponse } from "@/test/route-harness";

const loadRoute = () => importRouteWith(() => import("./route"), {});
const tokenFor = (keyed: { channel: { id: string }; key: { id: string } }) =>
  messagingWebhookToken(localDefaults.AUTH_SECRET, { channelId: keyed.channel.id, keyId: keyed.key.id });

function statusWebhook(messageId: string, status: string, timestamp: number, extra: { [key: string]: JsonValue } = {}) {
  return JSON.stringify(cloudApiStatusEnvelope({ id: messageId, status, timestamp: String(timestamp), ...extra }));
}

function post(body: string, token: string | null) {
  return new Request("http://localhost/api/webhooks/messages", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { "x-portal-webhook-token": token } : {}) },
    body,
  });
}

const channelWithSentMessage = keyedChannelWithMessage;

beforeEach(resetDatabase);

describe("POST /api/webhooks/messages", () => {
  it("stores a status event for the channel its token names and applies it by the queue", async () => {
    const keyed = await channelWithSentMessage();
    const { message } = keyed;
    const { POST } = await loadRoute();
    const response = await POST(post(statusWebhook("wamid.A", "sent", 1_800_000_000), tokenFor(keyed)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false, ignored: false });
    const stored = await testDb().webhookEvent.findFirstOrThrow();
    expect(stored).toMatchObject({
      source: "MESSAGING",
      type: "message_status",
      channelHubId: "ch1",
      state: "PENDING",
    });
    // The recipient's number is not the portal's to keep.
    expect(JSON.stringify(stored.payload)).not.toContain("4915112345678");
    expect(scheduledAfterResponse).toHaveLength(1);
    await drainJobs();
    expect(await testDb().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "SENT",
      sentAt: new Date(1_800_000_000_000),
    });
  });

  it("moves a message forward only, whatever order and however often statuses arrive", async () => {
    const keyed = await channelWithSentMessage();
    const { message } = keyed;
    const { POST } = await loadRoute();
    const delivered = statusWebhook("wamid.A", "delivered", 1_800_000_010);
    for (const body of [delivered, statusWebhook("wamid.A", "sent", 1_800_000_005), delivered]) {
      expect((await POST(post(body, tokenFor(keyed)))).status).toBe(200);
    }
    await drainJobs();
    expect(await testDb().webhookEvent.count()).toBe(2);
    expect(await testDb().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "DELIVERED",
      deliveredAt: new Date(1_800_000_010_000),
    });
    const failedLate = statusWebhook("wamid.A", "failed", 1_800_000_020, { errors: [{ code: 131026, title: "x" }] });
    await POST(post(failedLate, tokenFor(keyed)));
    await drainJobs();
    expect((await testDb().message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("DELIVERED");
  });

  it("records a failure with WhatsApp's reason", async () => {
    const keyed = await channelWithSentMessage();
    const { message } = keyed;
    const { POST } = await loadRoute();
    const failed = statusWebhook("wamid.A", "failed", 1_800_000_000, {
      errors: [{ code: 131026, title: "Message undeliverable" }],
    });
    await POST(post(failed, tokenFor(keyed)));
    await drainJobs();
    expect(await testDb().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "FAILED",
      error: "Message undeliverable",
    });
  });

  it("refuses a missing or forged token with 401 and stores nothing", async () => {
    const keyed = await channelWithSentMessage();
    const { channel } = keyed;
    const { POST } = await loadRoute();
    const body = statusWebhook("wamid.A", "delivered", 1_800_000_000);
    expect((await POST(post(body, null))).status).toBe(401);
    const forged = messagingWebhookToken("another-secret-of-enough-length!!", {
      channelId: channel.id,
      keyId: keyed.key.id,
    });
    const refused = await POST(post(body, forged));
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_token");
    expect(await testDb().webhookEvent.count()).toBe(0);
  });

  it("refuses a body that is not JSON or not the Cloud API envelope with 400", async () => {
    const keyed = await channelWithSentMessage();
    const { POST } = await loadRoute();
    expect((await POST(post("{not json", tokenFor(keyed)))).status).toBe(400);
    const wrongShape = await POST(post(JSON.stringify({ hello: "world" }), tokenFor(keyed)));
    expect(wrongShape.status).toBe(400);
    expect((await wrongShape.json()).error.code).toBe("invalid_payload");
    expect(await testDb().webhookEvent.count()).toBe(0);
  });

  it("acknowledges and drops statuses of messages the portal did not send", async () => {
    const keyed = await channelWithSentMessage();
    const { POST } = await loadRoute();
    const response = await POST(
      post(statusWebhook("wamid.from-partner-backend", "delivered", 1_800_000_000), tokenFor(keyed)),
    );
    expect(await response.json()).toMatchObject({ received: true, ignored: true });
    expect(await testDb().webhookEvent.count()).toBe(0);
    expect(scheduledAfterResponse).toHaveLength(0);
  });

  it("drops what comes with the token of a rotated key, and never moves another channel's message", async () => {
    const mine = await channelWithSentMessage("1", "wamid.A");
    const theirs = await channelWithSentMessage("2", "wamid.B");
    const { POST } = await loadRoute();
    // My token, their message: dropped, and theirs stays as it was.
    await POST(post(statusWebhook("wamid.B", "failed", 1_800_000_000), tokenFor(mine)));
    await drainJobs();
    expect((await testDb().message.findUniqueOrThrow({ where: { id: theirs.message.id } })).status).toBe("SENDING");
    // A rotation: the old key is no longer live, so its token stores nothing.
    await testDb().apiKey.update({ where: { id: mine.key.id }, data: { liveChannelId: null } });
    const stale = await POST(post(statusWebhook("wamid.A", "delivered", 1_800_000_000), tokenFor(mine)));
    expect(await stale.json()).toMatchObject({ ignored: true });
    expect(await testDb().webhookEvent.count()).toBe(0);
  });

  it("waits for a status that beats its own send, and marks the event FAILED once the queue gives up", async () => {
    const keyed = await channelWithSentMessage();
    const { channel } = keyed;
    // A send still writing its message id: the status for it must not be dropped as someone else's.
    await testDb().message.create({ data: { channelId: channel.id, recipientLast4: "1111", kind: "template" } });
    const { POST } = await loadRoute();
    await POST(post(statusWebhook("wamid.B", "sent", 1_800_000_000), tokenFor(keyed)));
    await testDb().$executeRaw`UPDATE graphile_worker._private_jobs SET max_attempts = 1`;
    await drainJobs();
    expect(await testDb().webhookEvent.findFirstOrThrow()).toMatchObject({
      state: "FAILED",
      attempts: 1,
      lastError: expect.stringContaining("MessageNotRecordedYetError"),
    });
  });
});
