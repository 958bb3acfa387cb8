import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseMessagingWebhook } from "@/lib/hub/messaging-webhook";
import { AppError } from "@/lib/http/errors";
import { verifyMessagingWebhookToken } from "./messaging-webhook-token";
import { storeWebhookEvent } from "./store-webhook-event";

export type MessagingIngestResult = { outcome: "stored" | "duplicate"; actionable: boolean };

/**
 * A messaging webhook from the raw bytes to a durable row, the way partner webhooks go: the
 * channel's token first (360dialog signs nothing here; the token is the header the portal set with
 * the URL), then JSON in the Cloud API envelope, then the event and its job in one statement. One
 * event per body, keyed on its SHA-256: a redelivery is recognised, and the statuses in it are
 * applied monotonically, so applying a body twice changes nothing.
 */
export async function ingestMessagingWebhook(
  db: Pick<PrismaClient, "$queryRaw" | "channel">,
  input: { rawBody: Buffer; token: string | null; secret: string },
): Promise<MessagingIngestResult> {
  const channelId = verifyMessagingWebhookToken(input.secret, input.token);
  if (!channelId) throw new AppError("invalid_token", 401, "The webhook token header is missing or does not match.");
  const rawJson = input.rawBody.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(rawJson);
  } catch {
    throw new AppError("invalid_json", 400, "The webhook body must be JSON.");
  }
  const webhook = parseMessagingWebhook(body);
  if (!webhook) throw new AppError("invalid_payload", 400, "The webhook body is not a WhatsApp Cloud API envelope.");

  const channel = await db.channel.findUnique({ where: { id: channelId }, select: { hubId: true } });
  const actionable = channel !== null && webhook.statuses.length > 0;
  const outcome = await storeWebhookEvent(db, {
    source: "MESSAGING",
    dedupeKey: `messaging:sha256:${createHash("sha256").update(input.rawBody).digest("hex")}`,
    type:
      webhook.statuses.length > 0
        ? "message_status"
        : webhook.inboundMessageIds.length > 0
          ? "message_received"
          : "messaging_other",
    channelHubId: channel?.hubId ?? null,
    rawJson,
    actionable,
  });
  return { outcome, actionable };
}
