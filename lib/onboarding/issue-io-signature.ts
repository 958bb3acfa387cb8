import "server-only";
import { randomBytes } from "node:crypto";
import { retryOnUniqueViolation } from "@/lib/db-retry";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { computeIoSignature, IO_SIGNATURE_LIFETIME_SECONDS } from "@/lib/hub";
import { enforceRateLimit, type RateLimitRule } from "@/lib/rate-limit/consume-rate-limit";
import type { IssuedIoSignature } from "./api-types";

// New signatures (Connect clicks) per user and per client IP. Page views cost nothing: an
// unclicked signature is handed out again, so these count clicks only.
export const SIGN_IO_USER_LIMIT: RateLimitRule = { limit: 10, windowMs: 60 * 60 * 1000 };
export const SIGN_IO_IP_LIMIT: RateLimitRule = { limit: 30, windowMs: 60 * 60 * 1000 };
// How far a timestamp may step back from now to find a free second: half of the 24 h lifetime,
// so every signature still has at least 12 h to live when it is issued.
export const BACKDATE_LIMIT_SECONDS = 12 * 60 * 60;
// An unclicked signature is reused while it has at least this long left, so the signature on
// the page (refreshed every 10 minutes) never reaches the Hub close to its expiry.
const REUSE_MIN_REMAINING_MS = 60 * 60 * 1000;
const MAX_TIMESTAMP_CLAIMS = 5;

type Deps = { db: PrismaClient; partnerId: string; platformSecret: string; now?: () => Date };
// clientIp: null where there is no per-client address to limit (see lib/http/client-ip.ts).
type Request = { clientIp: string | null; spentState?: string };

/**
 * The IO signature for the user's next Connect click, with the state nonce that ties the Hub's
 * redirect back to this user. `spentState` names the attempt the page just clicked: it is marked
 * clicked (its signature is spent at the Hub), so a fresh one is issued. Otherwise the user's
 * unclicked signature is handed out again, and a page left open costs one signature however
 * often it refreshes.
 *
 * A signature depends only on partner id and timestamp, so each attempt claims its own second
 * (unique in the database), stepping back from now by at most BACKDATE_LIMIT_SECONDS: the
 * deployment can issue that many in a burst and one a second sustained.
 */
export function issueIoSignature(userId: string, request: Request, deps: Deps): Promise<IssuedIoSignature> {
  return retryOnUniqueViolation(() => issueOnce(userId, request, deps), MAX_TIMESTAMP_CLAIMS);
}

async function issueOnce(userId: string, request: Request, deps: Deps): Promise<IssuedIoSignature> {
  const now = deps.now?.() ?? new Date();
  // Kept even when no new signature can be issued now: the spent one must never come back.
  if (request.spentState) {
    await deps.db.onboardingAttempt.updateMany({
      where: { state: request.spentState, userId, clickedAt: null },
      data: { clickedAt: now },
    });
  }
  const result = await deps.db.$transaction(async (tx) => {
    // The user's page and its other tabs ask at once on load: one of them creates, the rest reuse.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sign_io:${userId}`}))`;
    const reusable = await tx.onboardingAttempt.findFirst({
      where: {
        userId,
        clickedAt: null,
        usedAt: null,
        signatureTimestamp: { not: null },
        expiresAt: { gt: new Date(now.getTime() + REUSE_MIN_REMAINING_MS) },
      },
      orderBy: { createdAt: "desc" },
      select: { state: true, signatureTimestamp: true, expiresAt: true },
    });
    if (reusable?.signatureTimestamp != null) {
      return { state: reusable.state, timestamp: reusable.signatureTimestamp, expiresAt: reusable.expiresAt };
    }

    await enforceRateLimit(tx, `sign_io:user:${userId}`, SIGN_IO_USER_LIMIT, "Too many onboarding attempts.", now);
    if (request.clientIp) {
      const message = "Too many onboarding attempts from this network.";
      await enforceRateLimit(tx, `sign_io:ip:${request.clientIp}`, SIGN_IO_IP_LIMIT, message, now);
    }
    // One issuer at a time, deployment-wide, so two issuers never pick the same free second;
    // the unique index on the timestamp still guards against any writer that skips this lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sign_io'))`;
    const timestamp = await newestFreeSecond(tx, Math.floor(now.getTime() / 1000));
    const expiresAt = new Date((timestamp + IO_SIGNATURE_LIFETIME_SECONDS) * 1000);
    const state = randomBytes(24).toString("base64url");
    await tx.onboardingAttempt.create({
      data: { userId, state, signatureTimestamp: timestamp, expiresAt, createdAt: now },
    });
    return { state, timestamp, expiresAt };
  });
  return {
    signature: computeIoSignature(deps.platformSecret, deps.partnerId, result.timestamp),
    timestamp: result.timestamp,
    state: result.state,
    expiresAt: result.expiresAt.toISOString(),
  };
}

/** The latest second, from `nowSeconds` back, that no attempt has claimed yet. */
async function newestFreeSecond(tx: Prisma.TransactionClient, nowSeconds: number): Promise<number> {
  const oldestUsable = nowSeconds - BACKDATE_LIMIT_SECONDS + 1;
  const [free] = await tx.$queryRaw<Array<{ second: number }>>`
    SELECT s::int AS second FROM generate_series(${nowSeconds}::int, ${oldestUsable}::int, -1) AS s
    WHERE NOT EXISTS (SELECT 1 FROM "OnboardingAttempt" WHERE "signatureTimestamp" = s)
    LIMIT 1`;
  if (!free) {
    throw new AppError(
      "signatures_exhausted",
      503,
      "Too many onboardings are starting right now. Please try again in a moment.",
      { "Retry-After": "1" },
    );
  }
  return free.second;
}
