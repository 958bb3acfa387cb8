import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { failed, passed, type CheckResult } from "../check-result";
import { HEARTBEATS } from "../heartbeats";

export const MAX_CRON_SILENCE_MINUTES = 30;

const FIX =
  "Make sure the reconciliation runs: Vercel Cron calls /api/cron/reconcile with CRON_SECRET (vercel.json), or npm run worker runs it every minute.";

/** The reconciliation (Vercel Cron, or the worker's timer) finished a run recently. */
export async function checkCron(db: Pick<PrismaClient, "heartbeat">, now: Date): Promise<CheckResult> {
  const heartbeat = await db.heartbeat.findUnique({ where: { key: HEARTBEATS.reconcile } });
  if (!heartbeat) return failed("cron", "The reconciliation has never finished a run against this database.", FIX);
  const minutes = Math.floor((now.getTime() - heartbeat.at.getTime()) / 60_000);
  if (minutes >= MAX_CRON_SILENCE_MINUTES) {
    return failed(
      "cron",
      `The reconciliation last finished ${minutes} minutes ago (${heartbeat.at.toISOString()}).`,
      FIX,
    );
  }
  return passed(
    "cron",
    `The reconciliation last finished ${minutes < 1 ? "under a minute" : `${minutes} minute(s)`} ago (${heartbeat.count} run(s) recorded).`,
  );
}
