import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { PROVISION_API_KEY } from "@/lib/jobs/task-names";
import { currentTraceparent } from "@/lib/observability/spans";

type Sql = Pick<PrismaClient | Prisma.TransactionClient, "$queryRaw">;

const MAX_ATTEMPTS = 10;

/**
 * Queues key creation for those of `channelIds` that need one now: running or live, still the
 * partner's to key (access granted), their client's binding proven, no key yet. Each channel has its own queue, so its jobs run one at a
 * time whichever process picks them up, and one job key, so asking twice queues one job. Safe
 * inside the transaction that made a channel eligible: the job exists only if it commits.
 */
export async function enqueueDueKeys(db: Sql, channelIds: string[]): Promise<number> {
  if (channelIds.length === 0) return 0;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT (graphile_worker.add_job(
      ${PROVISION_API_KEY}, json_build_object('channelId', c."id", 'traceparent', ${currentTraceparent()}::text),
      queue_name => 'key:' || c."id", job_key => 'key:' || c."id", max_attempts => ${MAX_ATTEMPTS}::int
    )).id::text AS "id"
    FROM "Channel" c JOIN "Client" cl ON cl."id" = c."clientId"
    WHERE c."id" = ANY(${channelIds}) AND c."status" IN ('RUNNING', 'LIVE') AND c."keyState" = 'NONE'
      AND c."access" = 'GRANTED'
      AND cl."bindingState" = 'BOUND'`;
  return rows.length;
}

/** Queues the next try of one channel's key creation at `runAt` (a 429's Retry-After, a backoff). */
export async function enqueueKeyRetry(db: Sql, channelId: string, runAt: Date): Promise<void> {
  await db.$queryRaw`
    SELECT (graphile_worker.add_job(
      ${PROVISION_API_KEY},
      json_build_object('channelId', ${channelId}::text, 'traceparent', ${currentTraceparent()}::text),
      queue_name => ${`key:${channelId}`}, job_key => ${`key:${channelId}`},
      run_at => ${runAt}::timestamptz, max_attempts => ${MAX_ATTEMPTS}::int
    )).id::text AS "id"`;
}
