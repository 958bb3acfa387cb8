import "server-only";
import { channelStatusFromHub, isForwardTransition } from "@/lib/channels/status";
import { retryOnUniqueViolation } from "@/lib/db-retry";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ChannelStatus } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import type { HubChannel, PartnerApi } from "@/lib/hub";

export type RedirectPayload = { client: string; channels: string[]; revoked: string[]; state?: string };

export type OnboardingResult = {
  client: { id: string };
  channels: Array<{ id: string; phoneNumber: string | null; status: ChannelStatus }>;
  revoked: string[];
};

type Deps = { db: PrismaClient; partnerApi: PartnerApi; now?: () => Date };

/**
 * Turns the Hub's redirect into stored, owned data. The redirect is only a hint (anyone can
 * forge one): the client and every channel are checked against the Partner API first, the
 * client must not belong to someone else, and everything is written in one transaction.
 * Repeating the same call (popup, then parent, then a refresh) changes nothing.
 */
export async function completeOnboarding(userId: string, payload: RedirectPayload, deps: Deps): Promise<OnboardingResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();

  const existingClient = await db.client.findUnique({ where: { hubId: payload.client }, select: { userId: true } });
  if (existingClient && existingClient.userId !== userId) throw clientTaken();
  const attempt = payload.state ? await findAttempt(db, userId, payload) : null;

  const hubChannels = await verifyWithHub(deps.partnerApi, payload);

  // The popup and the page that opened it report the same redirect at nearly the same moment.
  await retryOnUniqueViolation(() => db.$transaction(async (tx) => {
    const client = await tx.client.upsert({
      where: { hubId: payload.client },
      create: { hubId: payload.client, userId },
      update: {},
    });
    // Re-checked inside the transaction: another user may have bound it a moment ago.
    if (client.userId !== userId) throw clientTaken();

    for (const hubId of [...payload.channels, ...payload.revoked]) {
      const hubChannel = hubChannels.get(hubId);
      const revoked = payload.revoked.includes(hubId);
      const reported = revoked ? "REVOKED" : channelStatusFromHub(hubChannel?.status);
      const channel = hubChannel
        ? await tx.channel.upsert({
            where: { hubId },
            create: { hubId, clientId: client.id, phoneNumber: hubChannel.phoneNumber, messagingLimit: hubChannel.messagingLimit },
            update: {},
          })
        : await tx.channel.findUnique({ where: { hubId } });
      // A revoked channel may already be gone from the Hub's list; then we must know it ourselves.
      if (!channel) throw unknownChannels([hubId]);
      if (channel.clientId !== client.id) {
        throw hubChannel ? new AppError("channel_conflict", 409, `Channel ${hubId} is recorded under another client.`) : unknownChannels([hubId]);
      }
      if (isForwardTransition(channel.status, reported)) {
        await tx.channel.update({
          where: { id: channel.id },
          data: { status: reported, revokedAt: revoked ? (channel.revokedAt ?? now) : undefined, verifiedAt: now },
        });
        await tx.channelEvent.createMany({
          data: [{ channelId: channel.id, fromStatus: channel.status, toStatus: reported, source: "redirect", dedupeKey: `redirect:${hubId}:${reported}`, occurredAt: now }],
          skipDuplicates: true,
        });
      }
      if (revoked) {
        await tx.revocation.createMany({ data: [{ channelId: channel.id, source: "REDIRECT" }], skipDuplicates: true });
      }
    }

    if (attempt && !attempt.usedAt) {
      await tx.onboardingAttempt.update({ where: { id: attempt.id }, data: { usedAt: now, outcome: "COMPLETED", clientId: client.id } });
    }
  }));

  return readResult(db, payload);
}

async function findAttempt(db: PrismaClient, userId: string, payload: RedirectPayload) {
  const attempt = await db.onboardingAttempt.findUnique({ where: { state: payload.state }, include: { client: { select: { hubId: true } } } });
  if (!attempt || attempt.userId !== userId) {
    throw new AppError("unknown_state", 422, "This onboarding redirect does not belong to one of your onboarding attempts.");
  }
  if (attempt.usedAt && attempt.client?.hubId !== payload.client) {
    throw new AppError("attempt_used", 409, "This onboarding attempt was already completed for another client.");
  }
  return attempt;
}

async function verifyWithHub(partnerApi: PartnerApi, payload: RedirectPayload): Promise<Map<string, HubChannel>> {
  const hubClient = await partnerApi.findClient(payload.client);
  if (!hubClient) throw new AppError("unknown_client", 422, "360dialog does not know this client for our partner account.");
  const channels = new Map((await partnerApi.listClientChannels(payload.client)).map((channel) => [channel.id, channel]));
  const foreign = payload.channels.filter((id) => !channels.has(id));
  if (foreign.length > 0) throw unknownChannels(foreign);
  return channels;
}

async function readResult(db: PrismaClient, payload: RedirectPayload): Promise<OnboardingResult> {
  const channels = await db.channel.findMany({
    where: { hubId: { in: payload.channels } },
    select: { hubId: true, phoneNumber: true, status: true },
    orderBy: { hubId: "asc" },
  });
  return {
    client: { id: payload.client },
    channels: channels.map((channel) => ({ id: channel.hubId, phoneNumber: channel.phoneNumber, status: channel.status })),
    revoked: [...payload.revoked].sort(),
  };
}

function unknownChannels(ids: string[]) {
  return new AppError("unknown_channel", 422, `These channels do not belong to the client: ${ids.join(", ")}.`);
}

function clientTaken() {
  return new AppError("client_taken", 409, "This 360dialog client is already connected to another account.");
}
