import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { RedirectPayload } from "./api-types";

/** How long after the Connect click its redirect may complete it. */
export const CLICK_VALID_FOR_MS = 60 * 60 * 1000;
// A stateless report this soon after the same client's completion is that completion repeated
// (the popup, then the page that opened it), not a new onboarding.
const REPLAY_WINDOW_MS = 10 * 60 * 1000;

/**
 * `open`: the redirect completes this attempt. `replay`: it repeats a completion already stored,
 * answered from the database. `none`: IO Signature is off, so there are no attempts.
 */
export type StartedAttempt = { kind: "open"; state: string } | { kind: "replay" } | { kind: "none" };

/**
 * The Connect click a redirect follows, decided before any Partner API call so that forged or
 * repeated bodies spend none of the partner's quota. With `state` it must be the user's own
 * attempt, clicked within the hour; without it (the Hub's echo is not documented) the user's
 * newest attempt clicked within that hour.
 */
export async function findStartedAttempt(
  db: PrismaClient,
  userId: string,
  payload: RedirectPayload,
  options: { requireAttempt: boolean; now: Date },
): Promise<StartedAttempt> {
  const { now } = options;
  const clickedSince = new Date(now.getTime() - CLICK_VALID_FOR_MS);
  if (payload.state) {
    const attempt = await db.onboardingAttempt.findUnique({
      where: { state: payload.state },
      select: { userId: true, usedAt: true, clickedAt: true, expiresAt: true, client: { select: { hubId: true } } },
    });
    if (!attempt || attempt.userId !== userId) throw unknownState();
    if (attempt.usedAt) {
      if (attempt.client?.hubId === payload.client) return { kind: "replay" };
      throw new AppError("attempt_used", 409, "This onboarding attempt was already completed for another client.");
    }
    if (!attempt.clickedAt) {
      throw new AppError(
        "attempt_not_started",
        422,
        "This onboarding attempt was never started with a click on Connect WhatsApp. Please click it again.",
      );
    }
    if (attempt.clickedAt <= clickedSince || attempt.expiresAt <= now) throw attemptExpired();
    return { kind: "open", state: payload.state };
  }
  if (!options.requireAttempt) return { kind: "none" };

  const replayed = await db.onboardingAttempt.findFirst({
    where: { userId, usedAt: { gt: new Date(now.getTime() - REPLAY_WINDOW_MS) }, client: { hubId: payload.client } },
    select: { id: true },
  });
  if (replayed) return { kind: "replay" };
  const open = await db.onboardingAttempt.findFirst({
    where: { userId, usedAt: null, expiresAt: { gt: now }, clickedAt: { gt: clickedSince } },
    orderBy: { clickedAt: "desc" },
    select: { state: true },
  });
  if (open) return { kind: "open", state: open.state };
  throw new AppError(
    "no_open_attempt",
    422,
    "This onboarding redirect does not follow a recent Connect click of yours. Please click Connect WhatsApp.",
  );
}

export function unknownState() {
  return new AppError(
    "unknown_state",
    422,
    "This onboarding was not started from your account, so nothing was connected. Please click Connect WhatsApp here.",
  );
}

export function attemptExpired() {
  return new AppError(
    "attempt_expired",
    422,
    "This onboarding attempt has expired. Please click Connect WhatsApp again.",
  );
}
