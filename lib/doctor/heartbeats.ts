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

/**
 * Records that the event happened now. One row per key, so a flood costs one row, not one per
 * event; with `atMostEveryMs`, a flood also costs at most one write per interval (an anonymous
 * sender can trigger it, and every write takes the row's lock).
 */
export async function recordHeartbeat(
  db: Pick<PrismaClient, "heartbeat">,
  key: HeartbeatKey,
  { atMostEveryMs = 0 }: { atMostEveryMs?: number } = {},
): Promise<void> {
  const at = new Date();
  const moved = await db.heartbeat.updateMany({
    where: { key, at: { lte: new Date(at.getTime() - atMostEveryMs) } },
    data: { at, count: { increment: 1 } },
  });
  if (moved.count === 0) await db.heartbeat.createMany({ data: [{ key, at }], skipDuplicates: true });
}
