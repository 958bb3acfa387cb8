/**
 * `npm run worker`: the job queue's long-lived worker, woken by LISTEN/NOTIFY, plus the
 * reconciliation once a minute, the way Vercel Cron runs it in production. `npm run dev` starts it
 * beside `next dev`; on a server of your own it can run as is, on several hosts at once.
 * Runs with the react-server condition (see package.json) so lib/'s `server-only` modules load.
 */
import { runReconciliation } from "../lib/cron/run-reconciliation";
import { getEnv } from "../lib/env";
import { jobQueue } from "../lib/jobs/job-queue";
import { startJobWorker } from "../lib/jobs/run-jobs";

const RECONCILE_EVERY_MS = 60_000;

async function main() {
  const env = getEnv();
  // LISTEN holds one session for the worker's life, which a transaction-mode pooler never gives.
  const queue = { ...jobQueue(), connectionString: env.DIRECT_URL ?? env.DATABASE_URL };
  const runner = await startJobWorker(queue);
  console.log("worker: running jobs as they are queued; reconciling every minute");
  const reconcile = async () => {
    try {
      const report = await runReconciliation(queue, { lockTimeoutSeconds: env.JOB_LOCK_TIMEOUT_SECONDS });
      // `checked` counts every look at the Partner API; only a change is worth a line.
      const changed = Object.entries(report).some(([name, count]) => name !== "checked" && count > 0);
      if (changed) {
        console.log(`worker: reconciliation ${JSON.stringify(report)}`);
      }
    } catch (error) {
      console.error(`worker: reconciliation failed: ${error instanceof Error ? error.message : "unknown error"}`);
    }
  };
  const timer = setInterval(() => void reconcile(), RECONCILE_EVERY_MS);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      clearInterval(timer);
      void runner.stop().then(() => process.exit(0));
    });
  }
  await runner.promise;
}

main().catch((error: unknown) => {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
