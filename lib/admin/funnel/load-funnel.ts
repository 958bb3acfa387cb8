import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { daysOf, type DayRange } from "./range";
import { FUNNEL_STAGES, STAGE_INFO, isFunnelStage, type FunnelStage, type FunnelUnit } from "./stages";

export type StageTotal = {
  stage: FunnelStage;
  label: string;
  unit: FunnelUnit;
  total: number;
  /** This stage's total as a percentage of the previous stage's; null for the first stage or after a zero. */
  conversionPercent: number | null;
};

export type FunnelDay = { day: string } & Record<FunnelStage, number>;

export type FunnelReport = {
  range: DayRange;
  stages: StageTotal[];
  days: FunnelDay[];
  clickToKey: { channels: number; medianMs: number | null; p90Ms: number | null };
  /** Every message that reached the Hub (sent, delivered or read) in the range, not just each number's first. */
  messagesSent: number;
};

type Sql = Pick<PrismaClient, "$queryRaw">;

/**
 * The onboarding funnel over a range of UTC days. Each stage is counted on the day of its own
 * moment, so a stage's total is what happened in the range, not how far one cohort got: a click
 * in the range whose key came after it counts as a click only. Numbers are counted once per stage,
 * at the first time they reached it (a rotated key or a webhook set again does not count twice).
 */
export async function loadFunnel(db: Sql, range: DayRange): Promise<FunnelReport> {
  const [dailyCounts, [messages], [clickToKey]] = await Promise.all([
    countStagesPerDay(db, range),
    countMessagesSent(db, range),
    measureClickToKey(db, range),
  ]);
  const days = daysOf(range).map((day) => ({ day, ...zeroCounts() }));
  const dayIndex = new Map(days.map((entry, index) => [entry.day, index]));
  for (const row of dailyCounts) {
    const index = dayIndex.get(row.day);
    if (index === undefined || !isFunnelStage(row.stage)) continue;
    const entry = days[index];
    if (entry) entry[row.stage] = row.count;
  }
  return {
    range,
    stages: stageTotals(days),
    days,
    clickToKey: {
      channels: clickToKey?.channels ?? 0,
      medianMs: secondsToMs(clickToKey?.median_seconds ?? null),
      p90Ms: secondsToMs(clickToKey?.p90_seconds ?? null),
    },
    messagesSent: messages?.count ?? 0,
  };
}

/** Percent of `total` over `previous`, or null when there is nothing to divide by. */
export function conversionPercent(total: number, previous: number | undefined): number | null {
  if (previous === undefined || previous === 0) return null;
  return (total / previous) * 100;
}

function stageTotals(days: FunnelDay[]): StageTotal[] {
  const totals = FUNNEL_STAGES.map((stage) => days.reduce((sum, day) => sum + day[stage], 0));
  return FUNNEL_STAGES.map((stage, index) => ({
    stage,
    ...STAGE_INFO[stage],
    total: totals[index] ?? 0,
    conversionPercent: index === 0 ? null : conversionPercent(totals[index] ?? 0, totals[index - 1]),
  }));
}

function zeroCounts(): Record<FunnelStage, number> {
  return Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, 0])) as Record<FunnelStage, number>;
}

function secondsToMs(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000);
}

/*
 * Timestamps are stored as UTC without a zone, so `::date` is the UTC day and the range's bounds
 * compare as UTC midnights: [from 00:00, the day after `to` 00:00).
 */

/** One row per stage and day: the moment each attempt, client or number reached the stage. */
function countStagesPerDay(db: Sql, range: DayRange) {
  return db.$queryRaw<Array<{ stage: string; day: string; count: number }>>`
    WITH moments (stage, at) AS (
      SELECT 'clicked', "clickedAt" FROM "OnboardingAttempt" WHERE "clickedAt" IS NOT NULL
      UNION ALL
      -- usedAt is written only when the redirect from the Hub came back for the attempt.
      SELECT 'redirected', "usedAt" FROM "OnboardingAttempt" WHERE "usedAt" IS NOT NULL
      UNION ALL
      -- An ADMIN approval binds at decidedAt; a matching email binds as the client is stored.
      SELECT 'bound', COALESCE("decidedAt", "createdAt") FROM "Client" WHERE "bindingState" = 'BOUND'
      UNION ALL
      SELECT 'running', MIN("occurredAt") FROM "ChannelEvent"
        WHERE "toStatus" IN ('RUNNING', 'LIVE') GROUP BY "channelId"
      UNION ALL
      SELECT 'key_stored', MIN("createdAt") FROM "ApiKey" GROUP BY "channelId"
      UNION ALL
      -- messagingWebhookSetAt moves on every new key; the timeline keeps the first time it was set.
      SELECT 'webhook_set', COALESCE(first_set.at, c."messagingWebhookSetAt")
        FROM "Channel" c
        LEFT JOIN (
          SELECT "channelId", MIN("occurredAt") AS at FROM "ChannelEvent"
          WHERE "kind" = 'messaging_webhook' AND ("detail" = 'set' OR "detail" LIKE 'set %')
          GROUP BY "channelId"
        ) first_set ON first_set."channelId" = c."id"
        WHERE first_set.at IS NOT NULL OR c."messagingWebhookSetAt" IS NOT NULL
      UNION ALL
      SELECT 'first_message', MIN(COALESCE("sentAt", "createdAt")) FROM "Message"
        WHERE "status" IN ('SENT', 'DELIVERED', 'READ') GROUP BY "channelId"
    )
    SELECT stage, to_char(at::date, 'YYYY-MM-DD') AS day, COUNT(*)::int AS count
    FROM moments
    WHERE at >= ${range.from}::date AND at < ${range.to}::date + 1
    GROUP BY stage, at::date`;
}

function countMessagesSent(db: Sql, range: DayRange) {
  return db.$queryRaw<Array<{ count: number }>>`
    SELECT COUNT(*)::int AS count FROM "Message"
    WHERE "status" IN ('SENT', 'DELIVERED', 'READ')
      AND COALESCE("sentAt", "createdAt") >= ${range.from}::date
      AND COALESCE("sentAt", "createdAt") < ${range.to}::date + 1`;
}

/**
 * Median and 90th percentile, over the numbers whose first key was stored in the range, of the
 * time from their client's first Connect click to that key. Numbers of a client without a
 * recorded click (connected before clicks were kept) are left out.
 */
function measureClickToKey(db: Sql, range: DayRange) {
  return db.$queryRaw<Array<{ channels: number; median_seconds: number | null; p90_seconds: number | null }>>`
    WITH first_click AS (
      SELECT "clientId", MIN("clickedAt") AS at FROM "OnboardingAttempt"
      WHERE "clientId" IS NOT NULL AND "clickedAt" IS NOT NULL GROUP BY "clientId"
    ),
    first_key AS (
      SELECT "channelId", MIN("createdAt") AS at FROM "ApiKey" GROUP BY "channelId"
    ),
    durations AS (
      SELECT EXTRACT(EPOCH FROM first_key.at - first_click.at)::float8 AS seconds
      FROM first_key
      JOIN "Channel" c ON c."id" = first_key."channelId"
      JOIN first_click ON first_click."clientId" = c."clientId"
      WHERE first_key.at >= ${range.from}::date AND first_key.at < ${range.to}::date + 1
    )
    SELECT COUNT(*)::int AS channels,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90_seconds
    FROM durations`;
}
