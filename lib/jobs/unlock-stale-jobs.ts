import "server-only";
import { makeWorkerUtils } from "graphile-worker";
import { jobLogger } from "./job-logger";

// Far longer than any job runs; JOB_LOCK_TIMEOUT_SECONDS can shorten it.
const DEFAULT_STALE_AFTER_SECONDS = 15 * 60;

/**
 * Frees the jobs of workers that died holding them (a serverless function cut off mid-job, a
 * killed process), with graphile-worker's own admin function, so the next drain runs them again.
 * `staleAfterSeconds` must be longer than any job runs: a Partner API call is bounded by its
 * timeout, a function by its platform's maximum duration. Returns the number of dead workers released.
 */
export async function unlockStaleJobs(
  connectionString: string,
  staleAfterSeconds = DEFAULT_STALE_AFTER_SECONDS,
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
