import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { AttemptOutcome } from "./api-types";
import { presentResult } from "./present-result";

/**
 * Where one of the user's onboarding attempts stands. The page that opened the popup polls this:
 * when the popup loses its opener it still completes the attempt on the server, and the page
 * learns of it here instead of waiting for a message that never comes.
 */
export async function getAttemptOutcome(db: PrismaClient, userId: string, state: string): Promise<AttemptOutcome> {
  const attempt = await db.onboardingAttempt.findUnique({
    where: { state },
    select: {
      userId: true,
      outcome: true,
      client: {
        select: {
          hubId: true,
          userId: true,
          bindingState: true,
          channels: { select: { hubId: true, phoneNumber: true, status: true, access: true } },
        },
      },
    },
  });
  // Someone else's attempt is reported exactly like a missing one.
  if (!attempt || attempt.userId !== userId) throw new AppError("unknown_attempt", 404, "No such onboarding attempt.");
  // A client since taken over by its proven owner is no longer this user's to see.
  if (attempt.outcome !== "COMPLETED" || !attempt.client || attempt.client.userId !== userId) {
    return { status: "pending" };
  }
  return { status: "completed", result: presentResult(attempt.client) };
}
