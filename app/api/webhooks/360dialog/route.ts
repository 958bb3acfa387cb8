import { after } from "next/server";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { readRawBody } from "@/lib/http/read-raw-body";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { inSpan } from "@/lib/observability/spans";
import { ingestPartnerWebhook } from "@/lib/webhooks/ingest-partner-webhook";
import { webhookErrorResponse } from "@/lib/webhooks/webhook-error-response";

export const dynamic = "force-dynamic";

// Partner events are a channel object or less; anything near this is not from the Hub.
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * POST /api/webhooks/360dialog: 360dialog's signed partner webhooks. Outside the sign-in proxy:
 * the signature is the authentication. Answers 200 only once the event and its job are stored.
 */
export async function POST(request: Request) {
  try {
    const rawBody = await readRawBody(request, BODY_LIMIT_BYTES);
    // The first span of a delivery's trace: its job continues it (lib/observability/spans.ts).
    const result = await inSpan("webhook 360dialog ingest", { "webhook.bytes": rawBody.length }, () =>
      ingestPartnerWebhook(getDb(), {
        rawBody,
        signature: request.headers.get("x-360dialog-signature"),
        platformSecret: getEnv().HUB_PLATFORM_SECRET,
      }),
    );
    if (result.outcome === "stored" && result.actionable) after(drainJobsAfterResponse);
    return Response.json(
      { received: true, duplicate: result.outcome === "duplicate" },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return webhookErrorResponse(error);
  }
}
