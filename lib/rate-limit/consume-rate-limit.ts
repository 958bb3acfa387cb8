import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";

export type RateLimitRule = { limit: number; windowMs: number };
export type RateLimitOutcome = { allowed: boolean; retryAfterSeconds: number };

/**
 * Counts one request against `key` in a fixed window and says whether it is within the limit.
 * One statement, so concurrent requests on any number of servers each get their own count.
 */
export async function consumeRateLimit(
  db: Pick<PrismaClient, "$queryRaw">,
  key: string,
  rule: RateLimitRule,
  now = new Date(),
): Promise<RateLimitOutcome> {
  const windowOpenedBefore = new Date(now.getTime() - rule.windowMs);
  const [row] = await db.$queryRaw<Array<{ count: number; windowStart: Date }>>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${now}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= ${windowOpenedBefore} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${windowOpenedBefore} THEN ${now} ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  if (!row) throw new Error("rate limit counter returned no row");
  const retryAfterMs = row.windowStart.getTime() + rule.windowMs - now.getTime();
  return { allowed: row.count <= rule.limit, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

/** consumeRateLimit that throws a 429 AppError with `Retry-After` when the limit is exceeded. */
export async function enforceRateLimit(
  db: Pick<PrismaClient, "$queryRaw">,
  key: string,
  rule: RateLimitRule,
  message: string,
  now?: Date,
): Promise<void> {
  const outcome = await consumeRateLimit(db, key, rule, now);
  if (outcome.allowed) return;
  throw new AppError("rate_limited", 429, `${message} Try again in ${outcome.retryAfterSeconds} s.`, {
    "Retry-After": String(outcome.retryAfterSeconds),
  });
}
