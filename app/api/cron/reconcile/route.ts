import { runReconciliation } from "@/lib/cron/run-reconciliation";
import { verifyCronSecret } from "@/lib/cron/verify-cron-secret";
import { getEnv } from "@/lib/env";
import { toErrorResponse } from "@/lib/http/errors";
import { jobQueue } from "@/lib/jobs/job-queue";

export const dynamic = "force-dynamic";
// Bounded work per call (see reconcileChannels) keeps a run well inside this.
export const maxDuration = 60;

/** GET /api/cron/reconcile: Vercel Cron (and `npm run dev` every minute) with the cron secret. */
export async function GET(request: Request) {
  try {
    const env = getEnv();
    verifyCronSecret(request.headers.get("authorization"), env.CRON_SECRET);
    const report = await runReconciliation(jobQueue(), { lockTimeoutSeconds: env.JOB_LOCK_TIMEOUT_SECONDS });
    return Response.json(report, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
