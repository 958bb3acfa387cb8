import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { PROCESS_WEBHOOK_EVENT } from "@/lib/jobs/task-names";
import { currentTraceparent } from "@/lib/observability/spans";

export type StoredEvent = {
  /** Partner webhooks unless said otherwise. */
  source?: "PARTNER" | "MESSAGING";
  dedupeKey: string;
  type: string;
  channelHubId: string | null;
  /** The body as received (already known to be JSON). */
  rawJson: string;
  /** false for types the portal does not act on: stored as IGNORED, with no job. */
  actionable: boolean;
};

// Failures are retried with graphile-worker's exponential backoff, for about three days in all.
export const WEBHOOK_EVENT_MAX_ATTEMPTS = 25;

/**
 * The transactional outbox in one statement: the event row and, for an actionable event, its
 * processing job (keyed on the dedupe key) are written together or not at all. A repeated
 * delivery hits the unique dedupe key and writes nothing. Raw SQL because this is the hot path:
 * one round trip, no interactive transaction. The job carries the trace it was queued in, so the
 * delivery and everything it causes are one trace.
 */
export async function storeWebhookEvent(
  db: Pick<PrismaClient, "$queryRaw">,
  event: StoredEvent,
): Promise<"stored" | "duplicate"> {
  const state = event.actionable ? "PENDING" : "IGNORED";
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH inserted AS (
      INSERT INTO "WebhookEvent" ("dedupeKey", "source", "type", "channelHubId", "payload", "state", "processedAt")
      VALUES (${event.dedupeKey}, ${event.source ?? "PARTNER"}::"WebhookSource", ${event.type}, ${event.channelHubId},
              ${event.rawJson}::jsonb,
              ${state}::"WebhookEventState", CASE WHEN ${event.actionable} THEN NULL ELSE now() END)
      ON CONFLICT ("dedupeKey") DO NOTHING
      RETURNING "id"
    )
    SELECT "id",
      CASE WHEN ${event.actionable} THEN (graphile_worker.add_job(
        ${PROCESS_WEBHOOK_EVENT}, json_build_object('eventId', "id", 'traceparent', ${currentTraceparent()}::text),
        job_key => ${event.dedupeKey}, max_attempts => ${WEBHOOK_EVENT_MAX_ATTEMPTS}::int
      )).id END AS "jobId"
    FROM inserted`.catch((error: unknown) => {
    // Valid JSON that PostgreSQL's jsonb refuses (a NUL, a lone surrogate, absurd nesting) will be
    // refused on every redelivery too: a 400, not a 503 the sender would retry for days.
    if (isUnstorableJson(error)) throw new AppError("invalid_json", 400, "The webhook body cannot be stored as JSON.");
    throw error;
  });
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
      job_key => "dedupeKey", max_attempts => ${WEBHOOK_EVENT_MAX_ATTEMPTS}::int
    )).id AS "jobId"
    FROM released`;
  return rows.length;
}

// Invalid text, an untranslatable character, a NUL in text (the event's type), a number beyond
// numeric's range, an id too large for its index, too deep to store.
const UNSTORABLE_JSON_CODES = new Set(["22P02", "22P05", "22021", "22003", "54000", "54001"]);

function isUnstorableJson(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  return typeof cause?.originalCode === "string" && UNSTORABLE_JSON_CODES.has(cause.originalCode);
}
