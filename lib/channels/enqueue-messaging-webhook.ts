import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { CONFIGURE_MESSAGING_WEBHOOK } from "@/lib/jobs/task-names";
import { currentTraceparent } from "@/lib/observability/spans";

type Sql = Pick<PrismaClient | Prisma.TransactionClient, "$queryRaw">;

const MAX_ATTEMPTS = 10;

/**
 * Queues setting the channel's messaging webhook with its current key. In the channel's key queue,
 * so it never runs beside a key creation for the same number; one job key, so a rotation that
 * lands before the job ran leaves one job, which reads the newest key.
 */
export async function enqueueMessagingWebhook(db: Sql, channelId: string): Promise<void> {
  await db.$queryRaw`
    SELECT (graphile_worker.add_job(
      ${CONFIGURE_MESSAGING_WEBHOOK},
      json_build_object('channelId', ${channelId}::text, 'traceparent', ${currentTraceparent()}::text),
      queue_name => ${`key:${channelId}`}, job_key => ${`webhook:${channelId}`}, max_attempts => ${MAX_ATTEMPTS}::int
    )).id::text AS "id"`;
}
