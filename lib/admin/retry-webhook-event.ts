import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { WebhookEventState } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { PROCESS_WEBHOOK_EVENT } from "@/lib/jobs/task-names";
import { WEBHOOK_EVENT_MAX_ATTEMPTS } from "@/lib/webhooks/store-webhook-event";
import { recordAdminAction, type AdminActor } from "./record-admin-action";

/**
 * Puts a failed (or still waiting) webhook event back to PENDING and queues its processing job,
 * with the audit entry, in one transaction. The job key is the event's dedupe key, so a retry
 * replaces a job still queued for it instead of adding a second one.
 */
export async function retryWebhookEvent(
  db: PrismaClient,
  input: { eventId: string; admin: AdminActor },
): Promise<void> {
  await db.$transaction(async (tx) => {
    // Locked, so the state recorded in the audit is the one this retry replaced.
    const [event] = await tx.$queryRaw<Array<{ type: string; state: WebhookEventState }>>`
      SELECT "type", "state" FROM "WebhookEvent" WHERE "id" = ${input.eventId} FOR UPDATE`;
    if (!event) throw new AppError("event_not_found", 404, "This webhook event does not exist.");
    const requeued = await tx.$queryRaw<Array<{ id: string }>>`
      WITH retried AS (
        UPDATE "WebhookEvent" SET "state" = 'PENDING', "processedAt" = NULL
        WHERE "id" = ${input.eventId} AND "state" IN ('FAILED', 'WAITING_FOR_CHANNEL')
        RETURNING "id", "dedupeKey"
      )
      SELECT "id", (graphile_worker.add_job(
        ${PROCESS_WEBHOOK_EVENT}, json_build_object('eventId', "id"), job_key => "dedupeKey",
        max_attempts => ${WEBHOOK_EVENT_MAX_ATTEMPTS}::int
      )).id AS "jobId"
      FROM retried`;
    if (requeued.length === 0) {
      throw new AppError("event_not_retryable", 409, "Only a failed or waiting event can be retried.");
    }
    await recordAdminAction(tx, input.admin, {
      action: "webhook_event.retry",
      targetType: "webhook_event",
      targetId: input.eventId,
      detail: { type: event.type, previousState: event.state },
    });
  });
}
