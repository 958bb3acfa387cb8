import "server-only";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { messagingHandOffFromEnv } from "@/lib/channels/messaging-hand-off";
import { getPartnerApi } from "@/lib/hub";
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
  };
}

/**
 * For `after()`: drains what is due right after a response, best effort. A failure is logged and
 * left to the next drain (the cron route, or the dev worker), which is the guarantee.
 */
export async function drainJobsAfterResponse(): Promise<void> {
  await runDueJobs(jobQueue()).catch((error: unknown) => {
    console.error(`[jobs] drain after response failed: ${error instanceof Error ? error.message : "unknown error"}`);
  });
}
