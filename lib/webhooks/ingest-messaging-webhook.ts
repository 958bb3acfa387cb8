import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseMessagingWebhook } from "@/lib/hub/messaging-webhook";
import { AppError } from "@/lib/http/errors";
import { SEND_IN_FLIGHT_MS } from "@/lib/messages/apply-messaging-webhook";
import { toStoredStatuses } from "@/lib/messages/stored-statuses";
import { enforceRateLimit } from "@/lib/rate-limit/consume-rate-limit";
import { verifyMessagingWebhookToken } from "./messaging-webhook-token";
import { storeWebhookEvent } from "./store-webhook-event";

export type MessagingIngestResult = { outcome: "stored" | "duplicate" | "ignored" };

// Far above a test message's few statuses; a token holder cannot fill the database with them.
const STORE_LIMIT = { limit: 120, windowMs: 60_000 };

/**
 * A messaging webhook from the raw bytes to a durable row. The token comes first (360dialog signs
 * nothing here; the token is the header the portal set with the URL) and counts only while the key
 * it was set with is the channel's live key and the partner still has access. Then JSON in the
 * Cloud API envelope. Only statuses of the portal's own messages on that channel are kept, as a
 * projection without the recipient's number (or a customer's words), with their job in one
 * statement; everything else is acknowledged and dropped. A redelivered body is recognised by its
 * SHA-256, and statuses are applied monotonically, so applying a body twice changes nothing.
 */
export async function ingestMessagingWebhook(
  db: Pick<PrismaClient, "$queryRaw" | "channel" | "message">,
  input: { rawBody: Buffer; token: string | null; secret: string; now?: Date },
): Promise<MessagingIngestResult> {
  const subject = verifyMessagingWebhookToken(input.secret, input.token);
  if (!subject) throw new AppError("invalid_token", 401, "The webhook token header is missing or does not match.");
  const rawJson = input.rawBody.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(rawJson);
  } catch {
    throw new AppError("invalid_json", 400, "The webhook body must be JSON.");
  }
  const webhook = parseMessagingWebhook(body);
  if (!webhook) throw new AppError("invalid_payload", 400, "The webhook body is not a WhatsApp Cloud API envelope.");

  // A token of a rotated key or a revoked number: deliveries still in flight, answered so the Hub stops.
  const channel = await db.channel.findFirst({
    where: {
      id: subject.channelId,
      access: "GRANTED",
      apiKeys: { some: { id: subject.keyId, liveChannelId: subject.channelId } },
    },
    select: { id: true, hubId: true },
  });
  if (!channel || !(await concernsOwnMessages(db, channel.id, webhook.statuses, input.now ?? new Date()))) {
    return { outcome: "ignored" };
  }
  await enforceRateLimit(db, `messaging-webhook:${channel.id}`, STORE_LIMIT, "Too many status events for this number.");
  const outcome = await storeWebhookEvent(db, {
    source: "MESSAGING",
    dedupeKey: `messaging:${channel.id}:${createHash("sha256").update(input.rawBody).digest("hex")}`,
    type: "message_status",
    channelHubId: channel.hubId,
    rawJson: JSON.stringify(toStoredStatuses(webhook.statuses)),
    actionable: true,
  });
  return { outcome };
}

/** Whether a status names a message the portal sent from this channel, or one may still be writing its id. */
async function concernsOwnMessages(
  db: Pick<PrismaClient, "message">,
  channelId: string,
  statuses: Array<{ messageId: string }>,
  now: Date,
): Promise<boolean> {
  if (statuses.length === 0) return false;
  const matching = await db.message.count({
    where: {
      channelId,
      OR: [
        { hubMessageId: { in: statuses.map((status) => status.messageId) } },
        { status: "SENDING", hubMessageId: null, createdAt: { gte: new Date(now.getTime() - SEND_IN_FLIGHT_MS) } },
      ],
    },
  });
  return matching > 0;
}
