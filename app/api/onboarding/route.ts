import { after } from "next/server";
import { getDb } from "@/lib/db";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { getEnv } from "@/lib/env";
import { getPartnerApi } from "@/lib/hub";
import { toErrorResponse } from "@/lib/http/errors";
import { readSameOriginJson } from "@/lib/http/read-same-origin-json";
import { requireApiUser } from "@/lib/http/require-api-user";
import { completeOnboarding } from "@/lib/onboarding/complete-onboarding";
import { getAttemptOutcome } from "@/lib/onboarding/get-attempt-outcome";
import { attemptQuerySchema, completeOnboardingSchema } from "./schema";

export const dynamic = "force-dynamic";

/** POST /api/onboarding: binds the Hub's redirect (client, channels, revoked) to the signed-in user. Idempotent. */
export async function POST(request: Request) {
  try {
    const user = await requireApiUser();
    const env = getEnv();
    const payload = completeOnboardingSchema.parse(await readSameOriginJson(request, env.APP_URL));
    const requireAttempt = env.HUB_IO_SIGNATURE === "on";
    const result = await completeOnboarding(user.id, payload, {
      db: getDb(),
      partnerApi: getPartnerApi(),
      requireAttempt,
    });
    // Webhooks that arrived before this redirect were released for processing.
    after(drainJobsAfterResponse);
    return Response.json(result, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** GET /api/onboarding?state=…: whether the signed-in user's attempt has been completed (polled while the popup is open). */
export async function GET(request: Request) {
  try {
    const user = await requireApiUser();
    const { state } = attemptQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const outcome = await getAttemptOutcome(getDb(), user.id, state);
    return Response.json(outcome, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
