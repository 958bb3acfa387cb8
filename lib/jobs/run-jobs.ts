import "server-only";
import { run, runOnce, type Runner } from "graphile-worker";
import { jobLogger } from "./job-logger";
import { portalTaskList, type TaskDeps } from "./task-list";

export type JobQueueOptions = TaskDeps & {
  connectionString: string;
  quiet?: boolean;
  // Behind a transaction-mode pooler (Neon's, PgBouncer) named prepared statements break.
  noPreparedStatements?: boolean;
};

function options({ connectionString, quiet, noPreparedStatements, ...deps }: JobQueueOptions) {
  return {
    connectionString,
    taskList: portalTaskList(deps),
    logger: jobLogger({ quiet }),
    noHandleSignals: true,
    noPreparedStatements,
    maxPoolSize: 2,
  };
}

/** Runs every job that is due now, then returns: `after()` and the cron route in production. */
export async function runDueJobs(queue: JobQueueOptions): Promise<void> {
  await runOnce(options(queue));
}

/** A long-lived worker woken by LISTEN/NOTIFY: `npm run dev`, or a worker host. */
export function startJobWorker(queue: JobQueueOptions & { concurrency?: number }): Promise<Runner> {
  return run({ ...options(queue), concurrency: queue.concurrency ?? 2 });
}
