import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** The regular events the doctor watches, each one row in Heartbeat. */
export const HEARTBEATS = {
  /** A finished reconciliation run (Vercel Cron, or the worker's minute timer). */
  reconcile: "cron.reconcile",
  /** A partner webhook that carried a signature made with another secret. */
  signatureRefused: "partner_webhook.signature_refused",
} as const;

export type HeartbeatKey = (typeof HEARTBEATS)[keyof typeof HEARTBEATS];

/** Records that the event happened now. One row per key, so a flood costs one row, not one per event. */
export async function recordHeartbeat(db: Pick<PrismaClient, "heartbeat">, key: HeartbeatKey): Promise<void> {
  const at = new Date();
  await db.heartbeat.upsert({
    where: { key },
    create: { key, at },
    update: { at, count: { increment: 1 } },
  });
}
