import "server-only";
import { createHash } from "node:crypto";
import { HEARTBEATS, recordHeartbeat } from "@/lib/doctor/heartbeats";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { parsePartnerWebhook } from "@/lib/hub/partner-webhook";
import { verifyWebhookSignature } from "@/lib/hub/webhook-signature";
import { storeWebhookEvent } from "./store-webhook-event";

export type IngestResult = { outcome: "stored" | "duplicate" | "ping"; type: string; actionable: boolean };

/** The setup doctor's signed test event: proves the secret round-trips, and is never stored. */
export const DOCTOR_PING_EVENT = "portal_doctor_ping";

// The shape every signature the Hub sends has; anything else is not the Hub with another secret.
const WELL_FORMED_SIGNATURE = /^(?:sha256=)?[0-9a-f]{64}$/;

/**
 * A partner webhook from the raw bytes to a durable row: signature first (nothing is parsed or
 * stored for an unsigned body), then JSON and an event type (400 otherwise), then the event and
 * its job in one statement. The dedupe key is the Hub's event id, else a SHA-256 of the body, so
 * redeliveries are recognised without trusting the clock.
 */
export async function ingestPartnerWebhook(
  db: Pick<PrismaClient, "$queryRaw" | "heartbeat">,
  input: { rawBody: Buffer; signature: string | null; platformSecret: string },
): Promise<IngestResult> {
  if (!verifyWebhookSignature(input.platformSecret, input.rawBody, input.signature)) {
    if (WELL_FORMED_SIGNATURE.test(input.signature?.trim() ?? "")) await countRefusedSignature(db);
    throw new AppError("invalid_signature", 401, "The x-360dialog-signature header is missing or does not match.");
  }
  const rawJson = input.rawBody.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(rawJson);
  } catch {
    throw new AppError("invalid_json", 400, "The webhook body must be JSON.");
  }
  if (isDoctorPing(body)) return { outcome: "ping", type: DOCTOR_PING_EVENT, actionable: false };
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
  });
  return { outcome, type: event.name, actionable };
}

/**
 * What the setup doctor compares with the last accepted webhook: a well-formed signature that does
 * not match means the Hub signs with another platform secret. The refusal stands whether or not it
 * could be counted, so a failing count (the database is down) does not turn the 401 into a 503.
 */
async function countRefusedSignature(db: Pick<PrismaClient, "heartbeat">): Promise<void> {
  await recordHeartbeat(db, HEARTBEATS.signatureRefused, { atMostEveryMs: 60_000 }).catch(() => undefined);
}

function isDoctorPing(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { event?: unknown }).event === DOCTOR_PING_EVENT;
}
