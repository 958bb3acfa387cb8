import type { PartnerApi } from "@/lib/hub/partner-api";
import { testDb } from "@/test/db";
import { drainJobs } from "@/test/jobs";

const MAX_ROUNDS = 50;

/**
 * Runs the real job queue until nothing is left to do. Jobs the queue put in the future (a 429's
 * Retry-After, the backoff after an unknown outcome, a failed attempt's retry) are moved to now
 * between rounds instead of waited for: what is proven is what they do, not how long they wait.
 * Returns how many rounds that took; throws when jobs remain after MAX_ROUNDS or end permanently failed.
 */
export async function drainQueueToEmpty(partnerApi: PartnerApi): Promise<{ rounds: number; broughtForward: number }> {
  let broughtForward = 0;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    await drainJobs(partnerApi);
    const [left] = await testDb().$queryRaw<Array<{ waiting: bigint; failed: bigint }>>`
      SELECT count(*) FILTER (WHERE attempts < max_attempts) AS waiting,
             count(*) FILTER (WHERE attempts >= max_attempts) AS failed
      FROM graphile_worker._private_jobs`;
    if (Number(left?.failed) > 0) throw new Error(`${Number(left?.failed)} job(s) used up their attempts`);
    if (Number(left?.waiting) === 0) return { rounds: round, broughtForward };
    broughtForward += await testDb().$executeRaw`
      UPDATE graphile_worker._private_jobs SET run_at = now() WHERE run_at > now() AND locked_at IS NULL`;
  }
  throw new Error(`the job queue was not empty after ${MAX_ROUNDS} rounds`);
}
