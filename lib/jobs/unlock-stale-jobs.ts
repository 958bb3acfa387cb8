import "server-only";
import { makeWorkerUtils } from "graphile-worker";
import { jobLogger } from "./job-logger";

// Longer than any job runs (a Partner API call is bounded by its timeout); a function killed
// mid-job by its platform leaves its lock behind for this long at most.
const STALE_AFTER_SECONDS = 15 * 60;

/**
 * Frees the jobs of workers that died holding them (a serverless function cut off mid-job), with
 * graphile-worker's own admin function, so the next drain runs them again. Returns the number of
 * dead workers released.
 */
export async function unlockStaleJobs(
  connectionString: string,
  staleAfterSeconds = STALE_AFTER_SECONDS,
): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString, logger: jobLogger({ quiet: true }) });
  try {
    const { rows } = await utils.withPgClient((client) =>
      client.query<{ locked_by: string }>(
        `SELECT DISTINCT locked_by FROM graphile_worker._private_jobs
         WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)`,
        [staleAfterSeconds],
      ),
    );
    const workerIds = rows.map((row) => row.locked_by);
    if (workerIds.length > 0) await utils.forceUnlockWorkers(workerIds);
    return workerIds.length;
  } finally {
    await utils.release();
  }
}
