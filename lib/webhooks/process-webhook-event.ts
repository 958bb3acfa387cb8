import "server-only";
import { applyPartnerEvent } from "@/lib/channels/apply-partner-event";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parsePartnerWebhook } from "@/lib/hub/partner-webhook";

/**
 * The job behind a stored partner webhook: applies it to its channel, once. Runs under the
 * event's row lock, so two workers given the same event apply it one after the other and the
 * second finds it processed. A failure is recorded on the event and rethrown for the queue to retry.
 */
export async function processWebhookEvent(db: PrismaClient, eventId: string): Promise<void> {
  try {
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "WebhookEvent" WHERE "id" = ${eventId} FOR UPDATE`;
      const stored = await tx.webhookEvent.findUnique({ where: { id: eventId } });
      if (!stored || stored.state !== "PENDING") return;
      const event = parsePartnerWebhook(stored.payload);
      const outcome = event
        ? await applyPartnerEvent(tx, event, { dedupeKey: stored.dedupeKey, occurredAt: stored.receivedAt })
        : "ignored";
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
      .update({ where: { id: eventId }, data: { attempts: { increment: 1 }, lastError: message } })
      .catch(() => undefined);
    throw error;
  }
}
