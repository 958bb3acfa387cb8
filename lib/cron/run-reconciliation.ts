import "server-only";
import { HEARTBEATS, recordHeartbeat } from "@/lib/doctor/heartbeats";
import { reconcileChannels, type ReconcileResult } from "@/lib/channels/reconcile-channels";
import { runDueJobs, type JobQueueOptions } from "@/lib/jobs/run-jobs";
import { unlockStaleJobs } from "@/lib/jobs/unlock-stale-jobs";

export type ReconciliationReport = ReconcileResult & { releasedWorkers: number };

/**
 * The cron's whole run, the guarantee behind the best-effort drains: free the jobs of dead
 * workers, re-check unfinished channels with the Partner API, then run every job that is due.
 * A finished run leaves a heartbeat: the setup doctor turns red when the cron stops running.
 */
export async function runReconciliation(queue: JobQueueOptions): Promise<ReconciliationReport> {
  const releasedWorkers = await unlockStaleJobs(queue.connectionString);
  const reconciled = await reconcileChannels(queue);
  await runDueJobs(queue);
  await recordHeartbeat(queue.db, HEARTBEATS.reconcile);
  return { releasedWorkers, ...reconciled };
}
