import "server-only";
import { randomBytes } from "node:crypto";
import { retryOnUniqueViolation } from "@/lib/db-retry";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { computeIoSignature, IO_SIGNATURE_LIFETIME_SECONDS } from "@/lib/hub";
import type { IssuedIoSignature } from "./api-types";

export const SIGN_IO_LIMIT = 10;
export const SIGN_IO_WINDOW_MS = 60_000;
const MAX_TIMESTAMP_CLAIMS = 5;
// How far a signature's timestamp may step back from now to find a free second: an hour of
// its 24 h lifetime at most. One issuance a second is the protocol's own ceiling (see below).
const BACKDATE_LIMIT_SECONDS = 3600;

type Deps = { db: PrismaClient; partnerId: string; platformSecret: string; now?: () => Date };

/**
 * Starts an onboarding attempt: a fresh single-use IO signature and the state nonce that ties
 * the Hub's redirect back to this user. Rate-limited per user, counted in the database under an
 * advisory lock so the limit holds across serverless instances.
 *
 * The signature depends only on partner id and timestamp, so two attempts issued in the same
 * second would carry the same signature and the Hub would refuse the second as used. Each
 * attempt therefore claims its own second (unique in the database), stepping back from now; the
 * unique index still guards servers where advisory locks do not exclude (PGlite).
 */
export function issueIoSignature(userId: string, deps: Deps): Promise<IssuedIoSignature> {
  return retryOnUniqueViolation(() => issueOnce(userId, deps), MAX_TIMESTAMP_CLAIMS);
}

async function issueOnce(userId: string, deps: Deps): Promise<IssuedIoSignature> {
  const now = deps.now?.() ?? new Date();
  return deps.db.$transaction(async (tx) => {
    // One issuer at a time, deployment-wide: the rate-limit count and the free-second search
    // below must not interleave. Each transaction holds it for a few milliseconds.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sign_io'))`;
    const recent = await tx.onboardingAttempt.findMany({
      where: { userId, createdAt: { gt: new Date(now.getTime() - SIGN_IO_WINDOW_MS) } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    const oldest = recent[0];
    if (recent.length >= SIGN_IO_LIMIT && oldest) {
      const retryAfter = Math.max(
        1,
        Math.ceil((oldest.createdAt.getTime() + SIGN_IO_WINDOW_MS - now.getTime()) / 1000),
      );
      throw new AppError("rate_limited", 429, `Too many onboarding attempts. Try again in ${retryAfter} s.`, {
        "Retry-After": String(retryAfter),
      });
    }

    const nowSeconds = Math.floor(now.getTime() / 1000);
    const oldestUsable = nowSeconds - BACKDATE_LIMIT_SECONDS + 1;
    const taken = await tx.onboardingAttempt.findMany({
      where: { signatureTimestamp: { lte: nowSeconds, gte: oldestUsable } },
      select: { signatureTimestamp: true },
    });
    const takenSeconds = new Set(taken.map((attempt) => attempt.signatureTimestamp));
    let timestamp = nowSeconds;
    while (takenSeconds.has(timestamp)) timestamp -= 1;
    if (timestamp < oldestUsable) {
      throw new AppError(
        "signatures_exhausted",
        503,
        "Too many onboardings are starting right now. Please try again in a moment.",
        { "Retry-After": "1" },
      );
    }

    const expiresAt = new Date((timestamp + IO_SIGNATURE_LIFETIME_SECONDS) * 1000);
    const state = randomBytes(24).toString("base64url");
    await tx.onboardingAttempt.create({
      data: { userId, state, signatureTimestamp: timestamp, expiresAt, createdAt: now },
    });
    return {
      signature: computeIoSignature(deps.platformSecret, deps.partnerId, timestamp),
      timestamp,
      state,
      expiresAt: expiresAt.toISOString(),
    };
  });
}
