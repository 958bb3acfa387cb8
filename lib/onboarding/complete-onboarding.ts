import "server-only";
import { addTimelineEntry, applyStatusReport, lockChannel } from "@/lib/channels/apply-status";
import { enqueueDueKeys, enqueueKeyRetry } from "@/lib/channels/enqueue-key-provisioning";
import { retryOnUniqueViolation } from "@/lib/db-retry";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { HubChannel, HubClient, PartnerApi } from "@/lib/hub";
import { enforceRateLimit, type RateLimitRule } from "@/lib/rate-limit/consume-rate-limit";
import { releaseWaitingEvents } from "@/lib/webhooks/store-webhook-event";
import type { OnboardingResult, RedirectPayload } from "./api-types";
import { bindClient } from "./bind-client";
import { attemptExpired, findStartedAttempt, unknownState } from "./find-started-attempt";
import { presentResult } from "./present-result";

// Each report can cost a few dozen Partner API calls; a user reports twice per onboarding.
export const COMPLETE_ONBOARDING_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60 * 1000 };

// What the redirect's timeline entries are keyed on: its attempt, else its client.
type Redirect = { key: string; at: Date };

type Deps = {
  db: PrismaClient;
  partnerApi: PartnerApi;
  // With IO Signature on, every onboarding starts with a Connect click: a redirect must follow one.
  requireAttempt?: boolean;
  now?: () => Date;
};

/**
 * Turns the Hub's redirect into stored, owned data. The redirect is only a hint (anyone can
 * forge one, and the Connect Button hands it to any window that opened the popup): it must
 * follow one of the user's own Connect clicks, the client and every channel are checked against
 * the Partner API, and the client is bound only with a proof of ownership (bindClient). All of
 * it is written in one transaction; repeating the same call (popup, then parent, then a refresh)
 * changes nothing and answers the same.
 */
export async function completeOnboarding(
  userId: string,
  payload: RedirectPayload,
  deps: Deps,
): Promise<OnboardingResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  await enforceRateLimit(
    db,
    `onboarding:user:${userId}`,
    COMPLETE_ONBOARDING_LIMIT,
    "Too many onboarding reports.",
    now,
  );
  const attempt = await findStartedAttempt(db, userId, payload, { requireAttempt: deps.requireAttempt ?? false, now });
  if (attempt.kind === "replay") return readResult(db, userId, payload, { replay: true });

  const claimant = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, emailVerified: true },
  });
  const hub = await verifyWithHub(deps.partnerApi, payload);

  // The popup and the page that opened it report the same redirect at nearly the same moment.
  await retryOnUniqueViolation(() =>
    db.$transaction(async (tx) => {
      const client = await bindClient(tx, hub.client, claimant);
      const redirect = { key: payload.state ?? payload.client, at: now };
      for (const hubId of payload.channels) {
        await recordChannel(tx, client.id, hub.channels.get(hubId)!, redirect);
      }
      // Only a proven owner speaks for the client's numbers: an unproven claim records no revocation.
      if (client.bindingState === "BOUND") {
        for (const hubId of payload.revoked) {
          await recordRevocation(tx, client.id, hubId, hub.channels.get(hubId), redirect);
        }
      }
      if (attempt.kind === "open") await consumeAttempt(tx, userId, client.id, attempt.state, now);
    }),
  );

  // Webhooks that beat this redirect to the portal can be applied now that their channels exist,
  // and a returning client's numbers may already be running and bound: queue their keys.
  await releaseWaitingEvents(db, [...payload.channels, ...payload.revoked]);
  const stored = await db.channel.findMany({ where: { hubId: { in: payload.channels } }, select: { id: true } });
  await enqueueDueKeys(
    db,
    stored.map((channel) => channel.id),
  );
  // Coming back through the popup is how a direct-paid client grants the key permission.
  const awaiting = await db.channel.findMany({
    where: { client: { hubId: payload.client, userId }, keyState: "AWAITING_PERMISSION" },
    select: { id: true },
  });
  for (const channel of awaiting) await enqueueKeyRetry(db, channel.id, now);
  return readResult(db, userId, payload, { replay: false });
}

/**
 * The client must be ours at the Hub (its contact email is the ownership proof), and each channel
 * is checked with the documented `id` filter: it must exist and belong to the client. A number
 * reported revoked must not still be active at the Hub.
 */
async function verifyWithHub(
  partnerApi: PartnerApi,
  payload: RedirectPayload,
): Promise<{ client: HubClient; channels: Map<string, HubChannel> }> {
  const ids = [...payload.channels, ...payload.revoked];
  const [client, ...found] = await Promise.all([
    partnerApi.findClient(payload.client),
    ...ids.map((id) => partnerApi.findChannel(id)),
  ]);
  if (!client)
    throw new AppError("unknown_client", 422, "360dialog does not know this client for our partner account.");
  const channels = new Map(
    found.filter((channel): channel is HubChannel => channel !== null).map((channel) => [channel.id, channel]),
  );

  // A revoked number is still the client's at the Hub, in any status (it may well keep running):
  // what was revoked is the partner's permission on it.
  const foreign = payload.channels.filter((id) => channels.get(id)?.clientId !== payload.client);
  const foreignRevoked = payload.revoked.filter((id) => {
    const channel = channels.get(id);
    return channel && channel.clientId !== payload.client;
  });
  if (foreign.length > 0 || foreignRevoked.length > 0) throw unknownChannels([...foreign, ...foreignRevoked]);
  return { client, channels };
}

async function recordChannel(
  tx: Prisma.TransactionClient,
  clientId: string,
  hubChannel: HubChannel,
  redirect: Redirect,
) {
  await storeChannelIfNew(tx, clientId, hubChannel);
  const channel = await lockChannel(tx, { hubId: hubChannel.id });
  if (!channel) throw unknownChannels([hubChannel.id]);
  if (channel.clientId !== clientId) {
    throw new AppError("channel_conflict", 409, `Channel ${hubChannel.id} is recorded under another client.`);
  }
  await applyStatusReport(tx, channel, {
    rawStatus: hubChannel.status,
    source: "redirect",
    dedupeKey: `redirect:${redirect.key}:${hubChannel.id}:${hubChannel.status ?? "pending"}`,
    occurredAt: redirect.at,
  });
  // Connected again after a revocation: the client has just given the permission back.
  if (channel.access === "REMOVED") {
    await tx.channel.update({ where: { id: channel.id }, data: { access: "GRANTED", revokedAt: null } });
    await addTimelineEntry(
      tx,
      channel.id,
      { source: "redirect", dedupeKey: `redirect:${redirect.key}:${hubChannel.id}:granted`, occurredAt: redirect.at },
      { kind: "access", detail: "granted" },
    );
  }
}

async function recordRevocation(
  tx: Prisma.TransactionClient,
  clientId: string,
  hubId: string,
  hubChannel: HubChannel | undefined,
  redirect: Redirect,
) {
  // A number connected before the portal existed is stored now, so that its revocation is kept:
  // the Hub has just confirmed it is this client's.
  if (hubChannel) await storeChannelIfNew(tx, clientId, hubChannel);
  const channel = await lockChannel(tx, { hubId });
  // A number neither the Hub nor we know, or someone else's, is not ours to record.
  if (!channel || channel.clientId !== clientId) throw unknownChannels([hubId]);
  if (channel.access === "REMOVED") return;
  const now = redirect.at;
  await tx.channel.update({ where: { id: channel.id }, data: { access: "REMOVED", revokedAt: now, verifiedAt: now } });
  await addTimelineEntry(
    tx,
    channel.id,
    { source: "redirect", dedupeKey: `redirect:${redirect.key}:${hubId}:removed`, occurredAt: now },
    { kind: "access", detail: "removed" },
  );
  await tx.revocation.create({ data: { channelId: channel.id, source: "REDIRECT", createdAt: now } });
  // The partner lost its permission on the number: its key is destroyed at once, the row kept.
  await tx.apiKey.updateMany({
    where: { liveChannelId: channel.id },
    data: { ciphertext: new Uint8Array(0), liveChannelId: null, destroyedAt: now },
  });
  await tx.channel.update({
    where: { id: channel.id },
    data: {
      keyState: "NONE",
      keyRetryAt: null,
      keyRotationRequestedAt: null,
      // Set with the destroyed key; the number's next key sets it again.
      messagingWebhookState: "UNSET",
      messagingWebhookError: null,
    },
  });
  // A creation still out finds no guard when it comes back, and keeps nothing.
  await tx.keyCreationGuard.deleteMany({ where: { channelId: channel.id } });
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
 * Marks the attempt used by this client, inside the transaction: two concurrent redirects for
 * different clients cannot both claim one attempt. The same client claiming it again is the
 * popup's and the page's report of one redirect.
 */
async function consumeAttempt(
  tx: Prisma.TransactionClient,
  userId: string,
  clientId: string,
  state: string,
  now: Date,
) {
  const claimed = await tx.onboardingAttempt.updateMany({
    where: { state, userId, usedAt: null, expiresAt: { gt: now } },
    data: { outcome: "COMPLETED", clientId, usedAt: now },
  });
  if (claimed.count === 1) return;
  const attempt = await tx.onboardingAttempt.findUnique({ where: { state }, select: { userId: true, clientId: true } });
  if (!attempt || attempt.userId !== userId) throw unknownState();
  if (attempt.clientId === clientId) return;
  if (attempt.clientId) {
    throw new AppError("attempt_used", 409, "This onboarding attempt was already completed for another client.");
  }
  throw attemptExpired();
}

/**
 * What the browser is told: the reported channels as stored. A replay is answered from the
 * database alone, so it must name only what is already stored under the user's client.
 */
async function readResult(
  db: PrismaClient,
  userId: string,
  payload: RedirectPayload,
  { replay }: { replay: boolean },
): Promise<OnboardingResult> {
  const client = await db.client.findUnique({
    where: { hubId: payload.client },
    select: {
      hubId: true,
      userId: true,
      bindingState: true,
      channels: {
        where: { hubId: { in: [...payload.channels, ...payload.revoked] } },
        select: { hubId: true, phoneNumber: true, status: true, access: true },
      },
    },
  });
  if (!client || client.userId !== userId) {
    throw new AppError("client_taken", 409, "This 360dialog client is already connected to another account.");
  }
  if (replay && client.channels.length !== payload.channels.length + payload.revoked.length) {
    throw new AppError("attempt_used", 409, "This onboarding attempt was already completed with other numbers.");
  }
  return presentResult(client, { connected: payload.channels, revoked: payload.revoked });
}

function unknownChannels(ids: string[]) {
  return new AppError("unknown_channel", 422, `These channels do not belong to the client: ${ids.join(", ")}.`);
}
