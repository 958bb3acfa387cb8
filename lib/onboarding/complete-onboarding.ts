import "server-only";
import { channelStatusFromHub, isForwardTransition } from "@/lib/channels/status";
import { retryOnUniqueViolation } from "@/lib/db-retry";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { HubChannel, PartnerApi } from "@/lib/hub";
import type { OnboardingResult, RedirectPayload } from "./api-types";

type Deps = {
  db: PrismaClient;
  partnerApi: PartnerApi;
  // With IO Signature on, every onboarding starts with an attempt: a redirect must consume one.
  requireAttempt?: boolean;
  now?: () => Date;
};

/**
 * Turns the Hub's redirect into stored, owned data. The redirect is only a hint (anyone can
 * forge one): the client and every channel are checked against the Partner API first, the
 * client must not belong to someone else, and everything is written in one transaction.
 * Repeating the same call (popup, then parent, then a refresh) changes nothing.
 */
export async function completeOnboarding(
  userId: string,
  payload: RedirectPayload,
  deps: Deps,
): Promise<OnboardingResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  await requireOwnAttempt(db, userId, payload.state, deps.requireAttempt ?? false);
  const hubChannels = await verifyWithHub(deps.partnerApi, payload);

  // The popup and the page that opened it report the same redirect at nearly the same moment.
  await retryOnUniqueViolation(() =>
    db.$transaction(async (tx) => {
      const client = await tx.client.upsert({
        where: { hubId: payload.client },
        create: { hubId: payload.client, userId },
        update: {},
      });
      if (client.userId !== userId)
        throw new AppError("client_taken", 409, "This 360dialog client is already connected to another account.");

      for (const hubId of payload.channels) {
        await recordChannel(tx, client.id, hubChannels.get(hubId)!, now);
      }
      for (const hubId of payload.revoked) {
        await recordRevocation(tx, client.id, hubId, hubChannels.get(hubId), now);
      }
      if (payload.state) await consumeAttempt(tx, userId, client.id, payload.state, now);
      else if (deps.requireAttempt) await consumeOpenAttempt(tx, userId, client.id, now);
    }),
  );

  return readResult(db, payload);
}

/**
 * A cheap refusal before any Partner API call, so a forged body cannot spend the partner's API
 * quota: the redirect must name one of the user's attempts, or the user must have one at all.
 * The transaction checks again; this read only saves the calls.
 */
async function requireOwnAttempt(db: PrismaClient, userId: string, state: string | undefined, requireAttempt: boolean) {
  if (state) {
    const attempt = await db.onboardingAttempt.findUnique({ where: { state }, select: { userId: true } });
    if (attempt?.userId !== userId) throw unknownState();
  } else if (requireAttempt && !(await db.onboardingAttempt.findFirst({ where: { userId }, select: { id: true } }))) {
    throw noOpenAttempt();
  }
}

/**
 * Channels are checked one by one with the documented `id` filter: each must exist and belong to
 * the client. A number reported revoked must not still be active at the Hub.
 */
async function verifyWithHub(partnerApi: PartnerApi, payload: RedirectPayload): Promise<Map<string, HubChannel>> {
  const ids = [...payload.channels, ...payload.revoked];
  const found = await Promise.all(ids.map((id) => partnerApi.findChannel(id)));
  const channels = new Map(
    found.filter((channel): channel is HubChannel => channel !== null).map((channel) => [channel.id, channel]),
  );

  const foreign = payload.channels.filter((id) => channels.get(id)?.clientId !== payload.client);
  const wronglyRevoked = payload.revoked.filter((id) => {
    const channel = channels.get(id);
    return channel && (channel.clientId !== payload.client || channelStatusFromHub(channel.status) !== "REVOKED");
  });
  if (foreign.length > 0 || wronglyRevoked.length > 0) throw unknownChannels([...foreign, ...wronglyRevoked]);
  // Verified channels name their client; only a revocation-only redirect needs the client looked up.
  if (payload.channels.length === 0 && !(await partnerApi.findClient(payload.client))) {
    throw new AppError("unknown_client", 422, "360dialog does not know this client for our partner account.");
  }
  return channels;
}

async function recordChannel(tx: Prisma.TransactionClient, clientId: string, hubChannel: HubChannel, now: Date) {
  const reported = channelStatusFromHub(hubChannel.status);
  await storeChannelIfNew(tx, clientId, hubChannel);
  const channel = await lockChannel(tx, hubChannel.id);
  if (!channel) throw unknownChannels([hubChannel.id]);
  if (channel.clientId !== clientId)
    throw new AppError("channel_conflict", 409, `Channel ${hubChannel.id} is recorded under another client.`);
  // A number connected again after a revocation is active again: the Hub has just said so.
  const reconnected = channel.status === "REVOKED" && reported !== "REVOKED";
  if (reconnected || isForwardTransition(channel.status, reported)) {
    await tx.channel.update({
      where: { id: channel.id },
      data: { status: reported, revokedAt: null, verifiedAt: now },
    });
    await tx.channelEvent.createMany({
      data: [
        {
          channelId: channel.id,
          fromStatus: channel.status,
          toStatus: reported,
          source: "redirect",
          dedupeKey: `redirect:${hubChannel.id}:${reported}:${now.getTime()}`,
          occurredAt: now,
        },
      ],
      skipDuplicates: true,
    });
  }
}

async function recordRevocation(
  tx: Prisma.TransactionClient,
  clientId: string,
  hubId: string,
  hubChannel: HubChannel | undefined,
  now: Date,
) {
  // A number connected before the portal existed is stored now, so that its revocation is kept:
  // the Hub has just confirmed it is this client's.
  if (hubChannel) await storeChannelIfNew(tx, clientId, hubChannel);
  const channel = await lockChannel(tx, hubId);
  // A number neither the Hub nor we know, or someone else's, is not ours to record.
  if (!channel || channel.clientId !== clientId) throw unknownChannels([hubId]);
  if (channel.status === "REVOKED") return;
  await tx.channel.update({ where: { id: channel.id }, data: { status: "REVOKED", revokedAt: now, verifiedAt: now } });
  await tx.channelEvent.create({
    data: {
      channelId: channel.id,
      fromStatus: channel.status,
      toStatus: "REVOKED",
      source: "redirect",
      dedupeKey: `redirect:${hubId}:revoked:${now.getTime()}`,
      occurredAt: now,
    },
  });
  await tx.revocation.create({ data: { channelId: channel.id, source: "REDIRECT", createdAt: now } });
}

/** Creates the channel row the Hub has confirmed, as it reports it; an existing row is left as it is. */
async function storeChannelIfNew(tx: Prisma.TransactionClient, clientId: string, hubChannel: HubChannel) {
  await tx.channel.upsert({
    where: { hubId: hubChannel.id },
    create: {
      hubId: hubChannel.id,
      clientId,
      phoneNumber: hubChannel.phoneNumber,
      messagingLimit: hubChannel.messagingLimit,
    },
    update: {},
  });
}

/**
 * Reads a channel with its row locked until the transaction ends, so concurrent reports of the
 * same redirect apply each change once: the second one sees the first one's result.
 */
async function lockChannel(tx: Prisma.TransactionClient, hubId: string) {
  await tx.$executeRaw`SELECT 1 FROM "Channel" WHERE "hubId" = ${hubId} FOR UPDATE`;
  return tx.channel.findUnique({ where: { hubId } });
}

/**
 * Ties the redirect to one of the user's own attempts and marks it used, inside the transaction:
 * two concurrent redirects for different clients cannot both claim one attempt. An open attempt
 * must not have expired; one already completed for this client is a replay and stays valid, so
 * repeating a redirect later answers the same.
 */
async function consumeAttempt(
  tx: Prisma.TransactionClient,
  userId: string,
  clientId: string,
  state: string,
  now: Date,
) {
  const claimed = await tx.onboardingAttempt.updateMany({
    where: { state, userId, OR: [{ usedAt: null, expiresAt: { gt: now } }, { clientId }] },
    data: { outcome: "COMPLETED", clientId },
  });
  if (claimed.count === 1) {
    await tx.onboardingAttempt.updateMany({ where: { state, usedAt: null }, data: { usedAt: now } });
    return;
  }
  const attempt = await tx.onboardingAttempt.findUnique({ where: { state }, select: { userId: true, usedAt: true } });
  if (!attempt || attempt.userId !== userId) throw unknownState();
  if (attempt.usedAt)
    throw new AppError("attempt_used", 409, "This onboarding attempt was already completed for another client.");
  throw new AppError(
    "attempt_expired",
    422,
    "This onboarding attempt has expired. Please click Connect WhatsApp again.",
  );
}

// A stateless report this soon after the same client's completion is that completion repeated
// (the popup, then the page that opened it), not a new onboarding.
const REPLAY_WINDOW_MS = 10 * 60 * 1000;

/**
 * For a redirect without `state` (the Hub's echo is not documented): it must still follow one of
 * the user's own Connect clicks. In order: a replay of this client's recent completion, the newest
 * open attempt, then any earlier completion for this client (a returning client, already theirs).
 */
async function consumeOpenAttempt(tx: Prisma.TransactionClient, userId: string, clientId: string, now: Date) {
  const candidates = [
    { clientId, usedAt: { gt: new Date(now.getTime() - REPLAY_WINDOW_MS) } },
    { usedAt: null, expiresAt: { gt: now } },
    { clientId },
  ];
  for (const where of candidates) {
    const attempt = await tx.onboardingAttempt.findFirst({
      where: { userId, ...where },
      orderBy: { createdAt: "desc" },
      select: { state: true },
    });
    if (attempt) return consumeAttempt(tx, userId, clientId, attempt.state, now);
  }
  throw noOpenAttempt();
}

async function readResult(db: PrismaClient, payload: RedirectPayload): Promise<OnboardingResult> {
  const channels = await db.channel.findMany({
    where: { hubId: { in: payload.channels } },
    select: { hubId: true, phoneNumber: true, status: true },
    orderBy: { hubId: "asc" },
  });
  return {
    client: { id: payload.client },
    channels: channels.map((channel) => ({
      id: channel.hubId,
      phoneNumber: channel.phoneNumber,
      status: channel.status,
    })),
    revoked: [...payload.revoked].sort(),
  };
}

function unknownState() {
  return new AppError(
    "unknown_state",
    422,
    "This onboarding redirect does not belong to one of your onboarding attempts.",
  );
}

function noOpenAttempt() {
  return new AppError(
    "no_open_attempt",
    422,
    "This onboarding redirect does not follow a Connect click of yours. Please click Connect WhatsApp.",
  );
}

function unknownChannels(ids: string[]) {
  return new AppError("unknown_channel", 422, `These channels do not belong to the client: ${ids.join(", ")}.`);
}
