import "server-only";
import { HEARTBEATS, recordHeartbeat } from "@/lib/doctor/heartbeats";
import { reconcileChannels, type ReconcileResult } from "@/lib/channels/reconcile-channels";
import { runDueJobs, type JobQueueOptions } from "@/lib/jobs/run-jobs";
import { removeSupersededJobs } from "@/lib/jobs/remove-superseded-jobs";
import { unlockStaleJobs } from "@/lib/jobs/unlock-stale-jobs";

export type ReconciliationReport = ReconcileResult & { releasedWorkers: number; supersededJobsRemoved: number };

/**
 * The cron's whole run, the guarantee behind the best-effort drains: free the jobs of dead
 * workers (locked longer than `lockTimeoutSeconds`), re-check unfinished channels with the
 * Partner API, then run every job that is due. A finished run leaves a heartbeat: the setup
 * doctor turns red when the cron stops running.
 */
export async function runReconciliation(
  queue: JobQueueOptions,
  { lockTimeoutSeconds }: { lockTimeoutSeconds?: number } = {},
): Promise<ReconciliationReport> {
  const releasedWorkers = await unlockStaleJobs(queue.connectionString, lockTimeoutSeconds);
  const supersededJobsRemoved = await removeSupersededJobs(queue.db);
  const reconciled = await reconcileChannels(queue);
  await runDueJobs(queue);
  await recordHeartbeat(queue.db, HEARTBEATS.reconcile);
  return { releasedWorkers, supersededJobsRemoved, ...reconciled };
}
