import "server-only";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { messagingHandOffFromEnv } from "@/lib/channels/messaging-hand-off";
import { getPartnerApi } from "@/lib/hub";
import { log } from "@/lib/observability/log";
import { runDueJobs, type JobQueueOptions } from "./run-jobs";

/** This deployment's job queue: the app's database, its Partner API, its key ring and hand-off. */
export function jobQueue(): JobQueueOptions {
  const env = getEnv();
  return {
    db: getDb(),
    partnerApi: getPartnerApi(),
    keyRing: env.ENCRYPTION_KEYS,
    messaging: messagingHandOffFromEnv(env),
    connectionString: env.DATABASE_URL,
    // DIRECT_URL is only set when DATABASE_URL is a transaction-mode pooler, where consecutive
    // transactions may land on different server sessions that never saw the named statement.
    noPreparedStatements: env.DIRECT_URL !== undefined,
  };
}

// Jobs wait on the Partner API more than on this process: a few run side by side (each channel's
// own queue still runs one at a time). Each worker holds two database connections while it runs.
const DRAIN_WORKERS = 3;
// Well inside the 60 s vercel.json gives the functions that drain.
const WAIT_BUDGET_MS = 45_000;

// This process's drain in progress, and whether work was queued after it started looking.
let draining: Promise<void> | undefined;
let queuedSince = false;

/**
 * For `after()`: drains what is due right after a response, best effort. A failure is logged and
 * left to the next drain (the cron route, or the dev worker), which is the guarantee.
 *
 * One drain per process at a time: a burst of webhooks would otherwise start a drain (and its
 * database pool) per request and starve the requests themselves. A call during a drain asks for
 * one more pass and waits for it, so nothing queued by its own request is left behind.
 */
export function drainJobsAfterResponse(): Promise<void> {
  queuedSince = true;
  draining ??= drainUntilIdle();
  // Each response waits for the drain only so long: a pass stuck on a dead connection must not hold
  // every function of the process to its maximum duration. The cron finishes what is left.
  return Promise.race([draining, new Promise<void>((resolve) => setTimeout(resolve, WAIT_BUDGET_MS).unref())]);
}

async function drainUntilIdle(): Promise<void> {
  for (;;) {
    queuedSince = false;
    await Promise.all(
      Array.from({ length: DRAIN_WORKERS }, () =>
        Promise.resolve()
          .then(() => runDueJobs(jobQueue()))
          .catch((error: unknown) => {
            log.error(
              `[jobs] drain after response failed: ${error instanceof Error ? error.message : "unknown error"}`,
            );
          }),
      ),
    );
    // Checked and cleared in one step: a call arriving after this starts a drain of its own.
    if (!queuedSince) {
      draining = undefined;
      return;
    }
  }
}
