import { after } from "next/server";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { readRawBody } from "@/lib/http/read-raw-body";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { ingestMessagingWebhook } from "@/lib/webhooks/ingest-messaging-webhook";
import { MESSAGING_WEBHOOK_TOKEN_HEADER } from "@/lib/webhooks/messaging-webhook-token";
import { webhookErrorResponse } from "@/lib/webhooks/webhook-error-response";

export const dynamic = "force-dynamic";

// Status and message notifications are a few kilobytes; media arrives as ids, not bytes.
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * POST /api/webhooks/messages: the channels' messaging webhooks, when MESSAGING_WEBHOOK_URL does
 * not send them to the partner's own backend. Keeps the statuses of the messages the portal sent
 * (the test message), drops the rest, and answers fast: 360dialog counts an answer after 5 s as a
 * failure.
 */
export async function POST(request: Request) {
  try {
    const rawBody = await readRawBody(request, BODY_LIMIT_BYTES);
    const result = await ingestMessagingWebhook(getDb(), {
      rawBody,
      token: request.headers.get(MESSAGING_WEBHOOK_TOKEN_HEADER),
      secret: getEnv().AUTH_SECRET,
    });
    if (result.outcome === "stored") after(drainJobsAfterResponse);
    return Response.json(
      { received: true, duplicate: result.outcome === "duplicate", ignored: result.outcome === "ignored" },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return webhookErrorResponse(error);
  }
}
