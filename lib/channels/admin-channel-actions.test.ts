import { describe, expect, it } from "vitest";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { API_KEY, control, PARTNER_ID } from "@/sandbox/test/helpers";
import { createUser, testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { drainJobs } from "@/test/jobs";
import { runningChannel } from "@/test/running-channel";
import { resyncChannel } from "./resync-channel";
import { retryKeyProvisioning } from "./retry-key-provisioning";
import { retryMessagingWebhook } from "./retry-messaging-webhook";

const sandbox = startHubSandboxPerFile();
const partnerApi = () =>
  createPartnerApi({ baseUrl: `${sandbox().url}/api/v2`, partnerId: PARTNER_ID, apiKey: API_KEY, timeoutMs: 2000 });
const auditTrail = async () =>
  (await testDb().auditLog.findMany({ orderBy: { createdAt: "asc" } })).map((e) => [e.action, e.targetId]);

describe("an admin's channel actions", () => {
  it("re-syncs a channel from the Partner API through the state machine, and queues its key", async () => {
    const { channel } = await runningChannel(sandbox());
    await testDb().channel.update({ where: { id: channel.id }, data: { status: "CREATED" } });
    await control(sandbox(), "POST", `/channels/${channel.hubId}/status`, { status: "live", emit: false });
    const admin = await createUser("ops@example.com", "ADMIN");

    expect(await resyncChannel({ db: testDb(), partnerApi: partnerApi() }, { channelId: channel.id, admin })).toEqual({
      changed: true,
    });
    expect(await resyncChannel({ db: testDb(), partnerApi: partnerApi() }, { channelId: channel.id, admin })).toEqual({
      changed: false,
    });
    await drainJobs(partnerApi());
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      status: "LIVE",
      rawStatus: "live",
      keyState: "STORED",
    });
    expect(await auditTrail()).toEqual([
      ["channel.resync", channel.id],
      ["channel.resync", channel.id],
    ]);
  });

  it("retries a failed key creation at once, and refuses when nothing failed", async () => {
    const { channel } = await runningChannel(sandbox());
    const admin = await createUser("ops@example.com", "ADMIN");
    await expect(retryKeyProvisioning(testDb(), { channelId: channel.id, admin })).rejects.toMatchObject({
      code: "nothing_to_retry",
      status: 409,
    });
    await testDb().channel.update({
      where: { id: channel.id },
      data: {
        keyState: "FAILED",
        keyError: "Partner API POST answered 500",
        keyRetryAt: new Date(Date.now() + 3600_000),
      },
    });
    await retryKeyProvisioning(testDb(), { channelId: channel.id, admin });
    await drainJobs(partnerApi());
    expect((await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).keyState).toBe("STORED");
    expect(await auditTrail()).toEqual([["channel.retry_key", channel.id]]);
  });

  it("sets the messaging webhook again on request, only for a number with a key", async () => {
    const { channel } = await runningChannel(sandbox());
    const admin = await createUser("ops@example.com", "ADMIN");
    await expect(retryMessagingWebhook(testDb(), { channelId: channel.id, admin })).rejects.toMatchObject({
      code: "channel_has_no_key",
    });
    await testDb().channel.update({ where: { id: channel.id }, data: { keyState: "FAILED" } });
    await retryKeyProvisioning(testDb(), { channelId: channel.id, admin });
    await drainJobs(partnerApi());
    await testDb().channel.update({
      where: { id: channel.id },
      data: { messagingWebhookState: "FAILED", messagingWebhookError: "was refused" },
    });
    await retryMessagingWebhook(testDb(), { channelId: channel.id, admin });
    expect((await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).messagingWebhookState).toBe(
      "PENDING",
    );
    await drainJobs(partnerApi());
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      messagingWebhookState: "SET",
      messagingWebhookError: null,
    });
    expect(await auditTrail()).toEqual([
      ["channel.retry_key", channel.id],
      ["channel.set_messaging_webhook", channel.id],
    ]);
  });

  it("answers 404 for a channel that does not exist", async () => {
    const admin = await createUser("ops@example.com", "ADMIN");
    await expect(retryKeyProvisioning(testDb(), { channelId: "nope", admin })).rejects.toMatchObject({ status: 404 });
    await expect(
      resyncChannel({ db: testDb(), partnerApi: partnerApi() }, { channelId: "nope", admin }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
