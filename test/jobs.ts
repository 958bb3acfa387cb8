import { randomBytes } from "node:crypto";
import type { MessagingHandOff } from "@/lib/channels/configure-messaging-webhook";
import { runDueJobs } from "@/lib/jobs/run-jobs";
import { createPartnerApi, type PartnerApi } from "@/lib/hub/partner-api";
import { testDb } from "./db";

/** A key ring of two versions, as after one rotation: version 2 encrypts. */
export const TEST_KEY_RING: ReadonlyMap<number, Buffer> = new Map([
  [1, randomBytes(32)],
  [2, randomBytes(32)],
]);

// For tests whose jobs must not reach a Hub: nothing listens on port 9.
const noHub = createPartnerApi({
  baseUrl: "http://127.0.0.1:9/api/v2",
  partnerId: "none",
  apiKey: "none",
  maxAttempts: 1,
});

/** The portal's own receiver, as a test without an app server has it: nothing listens there. */
export const TEST_MESSAGING: MessagingHandOff = {
  webhookUrl: "http://127.0.0.1:9/api/webhooks/messages",
  ownReceiver: true,
  tokenSecret: "test-secret-for-messaging-webhook-tokens",
  hubIsLocal: true,
};

/** Runs every due job of the test database's queue, as the cron route and `after()` do. */
export function drainJobs(partnerApi: PartnerApi = noHub, messaging: MessagingHandOff = TEST_MESSAGING): Promise<void> {
  return runDueJobs({
    db: testDb(),
    partnerApi,
    keyRing: TEST_KEY_RING,
    messaging,
    connectionString: process.env.DATABASE_URL!,
    quiet: true,
  });
}
