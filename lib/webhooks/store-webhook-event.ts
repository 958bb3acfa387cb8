import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { PROCESS_WEBHOOK_EVENT } from "@/lib/jobs/task-names";

export type StoredEvent = {
  dedupeKey: string;
  type: string;
  channelHubId: string | null;
  /** The body as received (already known to be JSON). */
  rawJson: string;
  /** false for types the portal does not act on: stored as IGNORED, with no job. */
  actionable: boolean;
};

// Failures are retried with graphile-worker's exponential backoff, for about three days in all.
const MAX_ATTEMPTS = 25;

/**
 * The transactional outbox in one statement: the event row and, for an actionable event, its
 * processing job (keyed on the dedupe key) are written together or not at all. A repeated
 * delivery hits the unique dedupe key and writes nothing. Raw SQL because this is the hot path:
 * one round trip, no interactive transaction.
 */
export async function storeWebhookEvent(
  db: Pick<PrismaClient, "$queryRaw">,
  event: StoredEvent,
): Promise<"stored" | "duplicate"> {
  const state = event.actionable ? "PENDING" : "IGNORED";
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH inserted AS (
      INSERT INTO "WebhookEvent" ("dedupeKey", "type", "channelHubId", "payload", "state", "processedAt")
      VALUES (${event.dedupeKey}, ${event.type}, ${event.channelHubId}, ${event.rawJson}::jsonb,
              ${state}::"WebhookEventState", CASE WHEN ${event.actionable} THEN NULL ELSE now() END)
      ON CONFLICT ("dedupeKey") DO NOTHING
      RETURNING "id"
    )
    SELECT "id",
      CASE WHEN ${event.actionable} THEN (graphile_worker.add_job(
        ${PROCESS_WEBHOOK_EVENT}, json_build_object('eventId', "id"),
        job_key => ${event.dedupeKey}, max_attempts => ${MAX_ATTEMPTS}::int
      )).id END AS "jobId"
    FROM inserted`;
  return rows.length > 0 ? "stored" : "duplicate";
}

/**
 * Events that arrived before the redirect stored their channel are queued again once it is
 * stored (webhooks can beat the redirect). Returns how many were released.
 */
export async function releaseWaitingEvents(
  db: Pick<PrismaClient, "$queryRaw">,
  channelHubIds: string[],
): Promise<number> {
  if (channelHubIds.length === 0) return 0;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH released AS (
      UPDATE "WebhookEvent" SET "state" = 'PENDING'
      WHERE "channelHubId" = ANY(${channelHubIds}) AND "state" = 'WAITING_FOR_CHANNEL'
      RETURNING "id", "dedupeKey"
    )
    SELECT "id", (graphile_worker.add_job(
      ${PROCESS_WEBHOOK_EVENT}, json_build_object('eventId', "id"),
      job_key => "dedupeKey", max_attempts => ${MAX_ATTEMPTS}::int
    )).id AS "jobId"
    FROM released`;
  return rows.length;
}
