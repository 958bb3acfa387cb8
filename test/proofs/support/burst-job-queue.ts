import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPartnerApi, type PartnerApi } from "@/lib/hub/partner-api";
import type { JobQueueOptions } from "@/lib/jobs/run-jobs";
import type { RunningSandbox } from "@/sandbox/server";
import { API_KEY, PARTNER_ID } from "@/sandbox/test/helpers";
import { TEST_KEY_RING, TEST_MESSAGING } from "@/test/jobs";

/** The portal's Partner API client, pointed at the sandbox over HTTP with short retry pauses. */
export function sandboxPartnerApi(sandbox: RunningSandbox): PartnerApi {
  return createPartnerApi({
    baseUrl: `${sandbox.url}/api/v2`,
    partnerId: PARTNER_ID,
    apiKey: API_KEY,
    retryBaseDelayMs: 10,
  });
}

/** What the cron and the workers run with, on a given database and against the sandbox. */
export function sandboxJobQueue(db: PrismaClient, connectionString: string, sandbox: RunningSandbox): JobQueueOptions {
  return {
    db,
    partnerApi: sandboxPartnerApi(sandbox),
    keyRing: TEST_KEY_RING,
    messaging: TEST_MESSAGING,
    connectionString,
    quiet: true,
  };
}
