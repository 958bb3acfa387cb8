import "server-only";
import { createHmac, randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { DOCTOR_PING_EVENT } from "@/lib/webhooks/ingest-partner-webhook";
import { failed, passed, type CheckResult } from "../check-result";
import { deploymentUrls } from "../deployment-urls";
import { HEARTBEATS } from "../heartbeats";

const PING_TIMEOUT_MS = 5_000;

type Db = Pick<PrismaClient, "heartbeat" | "webhookEvent">;

/**
 * Both sides of the platform secret in one check: this deployment's receiver accepts an event
 * signed with HUB_PLATFORM_SECRET exactly as the Hub signs, and no webhook from the Hub has been
 * refused for its signature since the last one accepted (the Hub signs with its own copy).
 */
export async function checkWebhookSecret(
  db: Db,
  input: { appUrl: string; platformSecret: string },
): Promise<CheckResult> {
  const receiver = deploymentUrls(input.appUrl).webhookUrl;
  const [roundTrip, lastRefused, lastAccepted] = await Promise.all([
    sendPing(receiver, input.platformSecret),
    db.heartbeat.findUnique({ where: { key: HEARTBEATS.signatureRefused } }),
    db.webhookEvent.aggregate({ where: { source: "PARTNER" }, _max: { receivedAt: true } }),
  ]);
  if (roundTrip) return roundTrip;
  const acceptedAt = lastAccepted._max.receivedAt;
  if (lastRefused && (!acceptedAt || lastRefused.at > acceptedAt)) {
    return failed(
      "webhook_secret",
      `A signed test event round-trips, but webhooks signed with another secret were refused, the last at ${lastRefused.at.toISOString()}, with none accepted since (360dialog with another secret, or someone forging signatures).`,
      "360dialog signs with another secret: copy the platform secret from the Partner Hub into HUB_PLATFORM_SECRET.",
    );
  }
  return passed(
    "webhook_secret",
    `A signed test event to ${receiver} was accepted, and no webhook from 360dialog has been refused since the last one accepted.`,
  );
}

/** The failed check, or null when the receiver accepted the ping. */
async function sendPing(receiver: string, platformSecret: string): Promise<CheckResult | null> {
  const body = JSON.stringify({
    event: DOCTOR_PING_EVENT,
    id: `doctor-${randomUUID()}`,
    sent_at: new Date().toISOString(),
  });
  let response: Response;
  try {
    response = await fetch(receiver, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-360dialog-signature": createHmac("sha256", platformSecret).update(body).digest("hex"),
      },
      body,
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
  } catch {
    return failed(
      "webhook_secret",
      `A signed test event could not reach ${receiver}.`,
      "Check that APP_URL is this deployment's public address and that it is up.",
    );
  }
  if (response.ok) return null;
  const code = await errorCode(response);
  if (code === "invalid_signature") {
    return failed(
      "webhook_secret",
      `${receiver} refused a test event signed with this HUB_PLATFORM_SECRET.`,
      "APP_URL serves a deployment with another HUB_PLATFORM_SECRET: give both the secret from the Partner Hub, or correct APP_URL.",
    );
  }
  return failed(
    "webhook_secret",
    `${receiver} answered ${response.status} to a signed test event.`,
    "Let requests reach /api/webhooks/360dialog without sign-in, redirects or deployment protection (the Hub cannot pass them).",
  );
}

async function errorCode(response: Response): Promise<string | null> {
  const body: unknown = await response.json().catch(() => null);
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === "string" ? code : null;
}
