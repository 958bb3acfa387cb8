import { describe, expect, it } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { openSecret } from "@/lib/crypto/secret-box";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { sendTestMessage } from "@/lib/messages/send-test-message";
import { MESSAGING_WEBHOOK_TOKEN_HEADER } from "@/lib/webhooks/messaging-webhook-token";
import { API_KEY, control, PARTNER_ID, waitFor } from "@/sandbox/test/helpers";
import { createUser, testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { drainJobs, TEST_KEY_RING } from "@/test/jobs";
import { importRouteWith } from "@/test/route-harness";
import { runningChannel } from "@/test/running-channel";
import { serveRoutePerFile } from "@/test/serve-route";
import type { MessagingHandOff } from "./configure-messaging-webhook";
import { enqueueDueKeys } from "./enqueue-key-provisioning";
import { provisionApiKey } from "./provision-api-key";
import { requestKeyRotation } from "./request-key-rotation";

// The whole chain on real parts: the sandbox over HTTP, the portal's receiver behind a real HTTP
// server, the real job queue on PostgreSQL.
const sandbox = startHubSandboxPerFile();
const receiverUrl = serveRoutePerFile(
  "/api/webhooks/messages",
  async () => (await importRouteWith(() => import("@/app/api/webhooks/messages/route"), {})).POST,
);
const partnerApi = () =>
  createPartnerApi({ baseUrl: `${sandbox().url}/api/v2`, partnerId: PARTNER_ID, apiKey: API_KEY, timeoutMs: 2000 });
const ownReceiver = (): MessagingHandOff => ({
  webhookUrl: receiverUrl(),
  ownReceiver: true,
  tokenSecret: localDefaults.AUTH_SECRET,
  hubIsLocal: true,
});

type MessagingView = {
  webhook: { url: string; headers?: Record<string, string>; setWithKeyId: string; keyActive: boolean } | null;
  keys: Array<{ id: string; revokedAt: string | null }>;
};
const messagingAtHub = async (hubId: string) =>
  (await control<MessagingView>(sandbox(), "GET", `/channels/${hubId}/messaging`)).json;

/** A running, bound channel whose key the pipeline has created; the hand-off ran with `messaging`. */
async function keyedChannel(messaging: MessagingHandOff = ownReceiver()) {
  const { channel, user } = await runningChannel(sandbox());
  await enqueueDueKeys(testDb(), [channel.id]);
  await drainJobs(partnerApi(), messaging);
  return { channel, user };
}

describe("the messaging hand-off after the key", () => {
  it("sets the number's webhook with the new key, reads it back and records it", async () => {
    const { channel } = await keyedChannel();
    const key = await testDb().apiKey.findUniqueOrThrow({ where: { liveChannelId: channel.id } });
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
      messagingWebhookState: "SET",
      messagingWebhookUrl: receiverUrl(),
      messagingWebhookError: null,
    });
    const atHub = await messagingAtHub(channel.hubId);
    expect(atHub.webhook).toMatchObject({ url: receiverUrl(), setWithKeyId: key.hubKeyId, keyActive: true });
    expect(atHub.webhook?.headers?.[MESSAGING_WEBHOOK_TOKEN_HEADER]).toMatch(new RegExp(`^${channel.id}\\.`));
    const timeline = await testDb().channelEvent.findMany({
      where: { channelId: channel.id, kind: "messaging_webhook" },
    });
    expect(timeline.map((event) => event.detail)).toEqual([`set ${receiverUrl()}`]);
  });

  it("refuses up front a URL 360dialog would refuse, and says why", async () => {
    const { channel } = await keyedChannel({
      webhookUrl: "https://partner_backend.example.com/whatsapp",
      ownReceiver: false,
      tokenSecret: "unused",
      hubIsLocal: true,
    });
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
      messagingWebhookState: "FAILED",
      messagingWebhookError:
        "https://partner_backend.example.com/whatsapp: 360dialog refuses webhook hosts with an underscore",
    });
    expect((await messagingAtHub(channel.hubId)).webhook).toBeNull();
  });

  it("rotates a key: a new key at the Hub, the old one revoked and its ciphertext gone, the webhook set again", async () => {
    const { channel } = await keyedChannel();
    const old = await testDb().apiKey.findUniqueOrThrow({ where: { liveChannelId: channel.id } });
    const admin = await createUser("ops@example.com", "ADMIN");

    await requestKeyRotation(testDb(), { channelId: channel.id, admin });
    await drainJobs(partnerApi(), ownReceiver());

    const fresh = await testDb().apiKey.findUniqueOrThrow({ where: { liveChannelId: channel.id } });
    expect(fresh.hubKeyId).not.toBe(old.hubKeyId);
    const destroyed = await testDb().apiKey.findUniqueOrThrow({ where: { id: old.id } });
    expect(destroyed.destroyedAt).not.toBeNull();
    expect(destroyed.ciphertext).toHaveLength(0);
    const [atHubKey] = await partnerApi().listApiKeys(channel.hubId);
    expect(
      openSecret(
        TEST_KEY_RING,
        { ciphertext: Buffer.from(fresh.ciphertext), keyVersion: fresh.keyVersion },
        channel.id,
      ),
    ).toBe(atHubKey?.apiKey);

    const atHub = await messagingAtHub(channel.hubId);
    expect(atHub.keys.find((key) => key.id === old.hubKeyId)?.revokedAt).not.toBeNull();
    expect(atHub.webhook).toMatchObject({ url: receiverUrl(), setWithKeyId: fresh.hubKeyId, keyActive: true });
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
      keyRotationRequestedAt: null,
      messagingWebhookState: "SET",
    });
    const audit = await testDb().auditLog.findMany();
    expect(audit.map((entry) => [entry.actorEmail, entry.action, entry.targetId])).toEqual([
      ["ops@example.com", "channel.rotate_key", channel.id],
    ]);
  });

  it("keeps a rotation asked for while another is out at the Hub, and runs it after the Hub's interval", async () => {
    const { channel } = await keyedChannel();
    const admin = await createUser("ops@example.com", "ADMIN");
    await requestKeyRotation(testDb(), { channelId: channel.id, admin });
    const hub = partnerApi();
    const secondAsk = new Date(Date.now() + 1000);
    const racing = {
      ...hub,
      async createApiKey(hubId: string) {
        const created = await hub.createApiKey(hubId);
        await requestKeyRotation(testDb(), { channelId: channel.id, admin, now: secondAsk });
        return created;
      },
    };
    const outcome = await provisionApiKey({ db: testDb(), partnerApi: racing, keyRing: TEST_KEY_RING }, channel.id);
    expect(outcome).toEqual({ kind: "stored", readBack: false });
    expect((await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).keyRotationRequestedAt).toEqual(
      secondAsk,
    );
    const [queued] = await testDb().$queryRaw<Array<{ runAt: Date }>>`
      SELECT run_at AS "runAt" FROM graphile_worker._private_jobs
      WHERE key = ${`key:${channel.id}`} AND locked_at IS NULL`;
    expect(queued!.runAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  it("refuses to rotate a number without a key, and writes nothing", async () => {
    const { channel } = await runningChannel(sandbox());
    const admin = await createUser("ops@example.com", "ADMIN");
    await expect(requestKeyRotation(testDb(), { channelId: channel.id, admin })).rejects.toMatchObject({
      code: "channel_has_no_key",
      status: 409,
    });
    expect(await testDb().auditLog.count()).toBe(0);
  });
});

describe("the test message", () => {
  const send = (
    channelHubId: string,
    user: { id: string },
    message: Parameters<typeof sendTestMessage>[1]["message"],
  ) =>
    sendTestMessage(
      { db: testDb(), keyRing: TEST_KEY_RING, hubIsLocal: true },
      { userId: user.id, channelHubId, message },
    );

  it("goes out through the channel's key and is seen delivered as the status webhooks arrive", async () => {
    const { channel, user } = await keyedChannel();
    const sent = await send(channel.hubId, { id: user.id }, { kind: "template", to: "4915112345678" });
    expect(sent).toMatchObject({ status: "SENDING", recipientLast4: "5678" });

    await waitFor(async () => (await testDb().webhookEvent.count({ where: { source: "MESSAGING" } })) >= 2);
    await drainJobs(partnerApi(), ownReceiver());
    const message = await testDb().message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(message).toMatchObject({ status: "DELIVERED", kind: "template", sentById: user.id });
    expect(message.hubMessageId).toMatch(/^wamid\./);
    expect(message.sentAt).not.toBeNull();
  });

  it("ends failed when WhatsApp cannot deliver it", async () => {
    const { channel, user } = await keyedChannel();
    await control(sandbox(), "POST", "/faults/messages", { count: 1 });
    const sent = await send(channel.hubId, { id: user.id }, { kind: "template", to: "4915112345678" });
    await waitFor(async () => (await testDb().webhookEvent.count({ where: { source: "MESSAGING" } })) >= 1);
    await drainJobs(partnerApi(), ownReceiver());
    expect(await testDb().message.findUniqueOrThrow({ where: { id: sent.id } })).toMatchObject({
      status: "FAILED",
      error: "Message undeliverable",
    });
  });

  it("tells the sender that free text needs an open customer window", async () => {
    const { channel, user } = await keyedChannel();
    await expect(
      send(channel.hubId, { id: user.id }, { kind: "text", to: "4915112345678", body: "hi" }),
    ).rejects.toMatchObject({ code: "message_refused", status: 422 });
    expect((await testDb().message.findFirstOrThrow()).status).toBe("FAILED");
  });

  it("goes out only from its owner, not another user nor the partner's admins", async () => {
    const { channel } = await keyedChannel();
    const stranger = await createUser("stranger@example.com");
    const admin = await createUser("ops@example.com", "ADMIN");
    await expect(
      send(channel.hubId, { id: stranger.id }, { kind: "template", to: "4915112345678" }),
    ).rejects.toMatchObject({ code: "channel_not_found", status: 404 });
    expect(await testDb().message.count()).toBe(0);
    await expect(
      send(channel.hubId, { id: admin.id }, { kind: "template", to: "4915112345678" }),
    ).rejects.toMatchObject({ code: "channel_not_found", status: 404 });
    expect(await testDb().message.count()).toBe(0);
  });

  it("needs a key", async () => {
    const { channel, user } = await runningChannel(sandbox());
    await expect(send(channel.hubId, { id: user.id }, { kind: "template", to: "4915112345678" })).rejects.toMatchObject(
      { code: "channel_has_no_key", status: 409 },
    );
  });
});
