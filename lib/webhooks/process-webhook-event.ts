import "server-only";
import { applyPartnerEvent, type ApplyOutcome } from "@/lib/channels/apply-partner-event";
import type { Prisma, PrismaClient, WebhookEvent } from "@/lib/generated/prisma/client";
import { applyMessagingWebhook } from "@/lib/messages/apply-messaging-webhook";
import { parsePartnerWebhook } from "@/lib/hub/partner-webhook";

/**
 * The job behind a stored webhook: applies it to its channel (a partner event) or
 * to the portal's messages (a messaging event), once. Runs under the
 * event's row lock, so two workers given the same event apply it one after the other and the
 * second finds it processed. A failure is recorded on the event and rethrown for the queue to retry;
 * after the queue's last attempt the event is FAILED.
 */
export async function processWebhookEvent(
  db: PrismaClient,
  eventId: string,
  { lastAttempt = false }: { lastAttempt?: boolean } = {},
): Promise<void> {
  try {
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "WebhookEvent" WHERE "id" = ${eventId} FOR UPDATE`;
      const stored = await tx.webhookEvent.findUnique({ where: { id: eventId } });
      if (!stored || stored.state !== "PENDING") return;
      const outcome = await applyStoredEvent(tx, stored);
      await tx.webhookEvent.update({
        where: { id: eventId },
        data: {
          state:
            outcome === "waiting_for_channel" ? "WAITING_FOR_CHANNEL" : outcome === "ignored" ? "IGNORED" : "PROCESSED",
          processedAt: outcome === "waiting_for_channel" ? null : new Date(),
          attempts: { increment: 1 },
          lastError: null,
        },
      });
    });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : "unknown error";
    await db.webhookEvent
      .update({
        where: { id: eventId },
        // The queue gives up after this: FAILED shows it in the console, where an admin can retry it.
        data: { attempts: { increment: 1 }, lastError: message, ...(lastAttempt ? { state: "FAILED" as const } : {}) },
      })
      .catch(() => undefined);
    throw error;
  }
}

type StoredWebhookEvent = Pick<WebhookEvent, "source" | "payload" | "dedupeKey" | "receivedAt" | "channelHubId">;

async function applyStoredEvent(tx: Prisma.TransactionClient, stored: StoredWebhookEvent): Promise<ApplyOutcome> {
  if (stored.source === "MESSAGING") {
    const changed = await applyMessagingWebhook(tx, stored.payload, {
      channelHubId: stored.channelHubId,
      now: new Date(),
    });
    return changed ? "applied" : "unchanged";
  }
  const event = parsePartnerWebhook(stored.payload);
  return event
    ? applyPartnerEvent(tx, event, { dedupeKey: stored.dedupeKey, occurredAt: stored.receivedAt })
    : "ignored";
}
