import "server-only";
import { openSecret, type KeyRing } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { HubApiError } from "@/lib/hub";
import { createMessagingApi } from "@/lib/hub/messaging-api";
import { messagingAddressProblem, messagingWebhookUrlProblem } from "@/lib/hub/messaging-webhook-url";
import { MESSAGING_WEBHOOK_TOKEN_HEADER, messagingWebhookToken } from "@/lib/webhooks/messaging-webhook-token";
import { addTimelineEntry } from "./apply-status";

/** Where a channel's messages and statuses go once it has a key. */
export type MessagingHandOff = {
  /** MESSAGING_WEBHOOK_URL (the partner's backend), or the portal's own receiver. */
  webhookUrl: string;
  /** The portal's own receiver is told apart from forgeries by a per-channel token header. */
  ownReceiver: boolean;
  tokenSecret: string;
  /** The Hub is the local sandbox, which can reach loopback URLs. */
  hubIsLocal: boolean;
};

export type ConfigureDeps = { db: PrismaClient; keyRing: KeyRing; messaging: MessagingHandOff; fetch?: typeof fetch };

export type ConfigureOutcome = { kind: "set"; url: string } | { kind: "no_key" } | { kind: "refused"; reason: string };

/**
 * Points the channel's messaging webhook at the configured URL with the channel's current key, and
 * reads it back: a key creation drops the URL at 360dialog, so this runs after every key creation
 * or rotation. A refusal (a URL 360dialog would not take, a 4xx, a read-back that differs) is
 * recorded as FAILED for a person to see; a transient failure is rethrown for the queue to retry,
 * and is FAILED too after the queue's last try.
 */
export async function configureMessagingWebhook(
  deps: ConfigureDeps,
  channelId: string,
  { lastAttempt = false }: { lastAttempt?: boolean } = {},
): Promise<ConfigureOutcome> {
  const { db, messaging } = deps;
  const channel = await db.channel.findUnique({
    where: { id: channelId },
    select: { access: true, apiKeys: { where: { liveChannelId: channelId } } },
  });
  const key = channel?.apiKeys[0];
  if (!channel || !key || channel.access !== "GRANTED") {
    await db.channel.updateMany({
      where: { id: channelId, messagingWebhookState: "PENDING" },
      data: { messagingWebhookState: "UNSET" },
    });
    return { kind: "no_key" };
  }
  const url = messaging.webhookUrl;
  if (!key.address) return refuse(db, channelId, key.id, "The API key came without a messaging address");
  const addressProblem = messagingAddressProblem(key.address, { hubIsLocal: messaging.hubIsLocal });
  if (addressProblem) return refuse(db, channelId, key.id, `The key's messaging address ${addressProblem}`);
  const problem = messagingWebhookUrlProblem(url, { hubIsLocal: messaging.hubIsLocal });
  if (problem) return refuse(db, channelId, key.id, `${url}: ${problem}`);

  const api = createMessagingApi({
    address: key.address,
    apiKey: openSecret(
      deps.keyRing,
      { ciphertext: Buffer.from(key.ciphertext), keyVersion: key.keyVersion },
      channelId,
    ),
    fetch: deps.fetch,
  });
  const headers = messaging.ownReceiver
    ? { [MESSAGING_WEBHOOK_TOKEN_HEADER]: messagingWebhookToken(messaging.tokenSecret, { channelId, keyId: key.id }) }
    : undefined;
  let readBack: string | null;
  try {
    await api.setWebhook({ url, ...(headers ? { headers } : {}) });
    readBack = await api.readWebhookUrl();
  } catch (error) {
    const message = error instanceof Error ? error.message.slice(0, 300) : "unknown error";
    // A refusal, or the queue's last try: FAILED, for a person to see and set again.
    if ((error instanceof HubApiError && !error.retryable) || lastAttempt)
      return refuse(db, channelId, key.id, message);
    await db.channel.update({ where: { id: channelId }, data: { messagingWebhookError: message } });
    throw error;
  }
  if (readBack !== url)
    return refuse(db, channelId, key.id, `360dialog reads back ${readBack ?? "no URL"}, not ${url}`);

  const now = new Date();
  await db.$transaction(async (tx) => {
    // Only for the key it was set with: a rotation since then sets it again with the new key.
    const updated = await tx.channel.updateMany({
      where: { id: channelId, apiKeys: { some: { id: key.id, liveChannelId: channelId } } },
      data: {
        messagingWebhookState: "SET",
        messagingWebhookUrl: url,
        messagingWebhookSetAt: now,
        messagingWebhookError: null,
      },
    });
    if (updated.count === 0) return;
    await addTimelineEntry(
      tx,
      channelId,
      { source: "key_pipeline", dedupeKey: `messaging_webhook:${key.id}`, occurredAt: now },
      { kind: "messaging_webhook", detail: `set ${url}` },
    );
  });
  return { kind: "set", url };
}

async function refuse(db: PrismaClient, channelId: string, keyId: string, reason: string): Promise<ConfigureOutcome> {
  const message = reason.slice(0, 300);
  const now = new Date();
  await db.$transaction(async (tx) => {
    await tx.channel.update({
      where: { id: channelId },
      data: { messagingWebhookState: "FAILED", messagingWebhookError: message },
    });
    await addTimelineEntry(
      tx,
      channelId,
      { source: "key_pipeline", dedupeKey: `messaging_webhook_failed:${keyId}`, occurredAt: now },
      { kind: "messaging_webhook", detail: `failed: ${message}` },
    );
  });
  return { kind: "refused", reason: message };
}
