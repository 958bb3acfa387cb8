import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { AttemptOutcome } from "./api-types";

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
          channels: { select: { hubId: true, phoneNumber: true, status: true }, orderBy: { hubId: "asc" } },
        },
      },
    },
  });
  // Someone else's attempt is reported exactly like a missing one.
  if (!attempt || attempt.userId !== userId) throw new AppError("unknown_attempt", 404, "No such onboarding attempt.");
  if (attempt.outcome !== "COMPLETED" || !attempt.client) return { status: "pending" };
  const channels = attempt.client.channels;
  return {
    status: "completed",
    result: {
      client: { id: attempt.client.hubId },
      channels: channels
        .filter((c) => c.status !== "REVOKED")
        .map((c) => ({ id: c.hubId, phoneNumber: c.phoneNumber, status: c.status })),
      revoked: channels.filter((c) => c.status === "REVOKED").map((c) => c.hubId),
    },
  };
}
