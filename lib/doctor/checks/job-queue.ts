import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { failed, passed, type CheckResult } from "../check-result";

export const MAX_JOB_WAIT_MINUTES = 10;

type Waiting = { waiting: number; oldestSeconds: number | null };

/**
 * The oldest job that could run now (due, not locked, attempts left) has not waited long: something
 * drains the queue. Ages come from the database's clock, the one that stamped run_at.
 */
export async function checkJobQueue(db: Pick<PrismaClient, "$queryRaw">): Promise<CheckResult> {
  const [installed] = await db.$queryRaw<Array<{ installed: boolean }>>`
    SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS installed`;
  if (!installed?.installed) {
    return failed(
      "job_queue",
      "The job queue's schema (graphile_worker) is not installed in this database.",
      "Run the reconciliation once (GET /api/cron/reconcile with CRON_SECRET) or npm run worker: graphile-worker installs its schema on start.",
    );
  }
  const [queue] = await db.$queryRaw<Waiting[]>`
    SELECT count(*)::int AS waiting,
      extract(epoch FROM now() - min(run_at))::float8 AS "oldestSeconds"
    FROM graphile_worker._private_jobs
    WHERE is_available AND run_at <= now()`;
  const waiting = queue?.waiting ?? 0;
  const oldestMinutes = Math.floor((queue?.oldestSeconds ?? 0) / 60);
  if (waiting === 0) return passed("job_queue", "No job is waiting to run.");
  if (oldestMinutes >= MAX_JOB_WAIT_MINUTES) {
    return failed(
      "job_queue",
      `${waiting} job(s) are due, the oldest for ${oldestMinutes} minutes.`,
      "Nothing drains the queue: check that Vercel Cron calls /api/cron/reconcile (vercel.json, CRON_SECRET) or that npm run worker runs.",
    );
  }
  return passed("job_queue", `${waiting} job(s) are due, the oldest for under ${MAX_JOB_WAIT_MINUTES} minutes.`);
}
