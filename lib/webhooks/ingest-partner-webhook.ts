import "server-only";
import { createHash } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { parsePartnerWebhook } from "@/lib/hub/partner-webhook";
import { verifyWebhookSignature } from "@/lib/hub/webhook-signature";
import { storeWebhookEvent } from "./store-webhook-event";

export type IngestResult = { outcome: "stored" | "duplicate"; type: string; actionable: boolean };

/**
 * A partner webhook from the raw bytes to a durable row: signature first (nothing is parsed or
 * stored for an unsigned body), then JSON and an event type (400 otherwise), then the event and
 * its job in one statement. The dedupe key is the Hub's event id, else a SHA-256 of the body, so
 * redeliveries are recognised without trusting the clock.
 */
export async function ingestPartnerWebhook(
  db: Pick<PrismaClient, "$queryRaw">,
  input: { rawBody: Buffer; signature: string | null; platformSecret: string },
): Promise<IngestResult> {
  if (!verifyWebhookSignature(input.platformSecret, input.rawBody, input.signature)) {
    throw new AppError("invalid_signature", 401, "The x-360dialog-signature header is missing or does not match.");
  }
  const rawJson = input.rawBody.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(rawJson);
  } catch {
    throw new AppError("invalid_json", 400, "The webhook body must be JSON.");
  }
  const event = parsePartnerWebhook(body);
  if (!event) throw new AppError("missing_event_type", 400, "The webhook names no event type.");

  const actionable = event.type !== "unknown" && event.type !== "client_created";
  const dedupeKey = event.id ? `hub:${event.id}` : `sha256:${createHash("sha256").update(input.rawBody).digest("hex")}`;
  const outcome = await storeWebhookEvent(db, {
    dedupeKey,
    type: event.name,
    channelHubId: event.channel?.hubId ?? null,
    rawJson,
    actionable,
  }).catch((error: unknown) => {
    // Valid JSON that PostgreSQL's jsonb refuses (a NUL, a lone surrogate, absurd nesting) will be
    // refused on every redelivery too: a 400, not a 503 the Hub would retry for days.
    if (isUnstorableJson(error)) throw new AppError("invalid_json", 400, "The webhook body cannot be stored as JSON.");
    throw error;
  });
  return { outcome, type: event.name, actionable };
}

const UNSTORABLE_JSON_CODES = new Set(["22P02", "22P05", "54001"]);

function isUnstorableJson(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  return typeof cause?.originalCode === "string" && UNSTORABLE_JSON_CODES.has(cause.originalCode);
}
