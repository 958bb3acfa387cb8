import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PartnerApi } from "@/lib/hub";
import { applyStatusReport, lockChannel } from "./apply-status";
import { releaseWaitingEvents } from "@/lib/webhooks/store-webhook-event";
import { enqueueDueKeys, enqueueKeyRetry } from "./enqueue-key-provisioning";
import { enqueueMessagingWebhook } from "./enqueue-messaging-webhook";

export type ReconcileResult = {
  checked: number;
  changed: number;
  keysQueued: number;
  retriesQueued: number;
  webhooksQueued: number;
  eventsReleased: number;
};

/**
 * Webhooks get lost: the channels that are not finished (not live, or without a key) are checked
 * with the Partner API, oldest check first, at most `limit` per call so each run stays short, and
 * applied through the same state machine. Keys that are due, or whose retry time has come, are
 * queued again. Idempotent: a second run changes nothing the first did not.
 */
export async function reconcileChannels(
  deps: { db: PrismaClient; partnerApi: PartnerApi; now?: () => Date },
  { limit = 50 }: { limit?: number } = {},
): Promise<ReconcileResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const unfinished = await db.channel.findMany({
    where: { access: "GRANTED", OR: [{ status: { not: "LIVE" } }, { keyState: { not: "STORED" } }] },
    orderBy: [{ verifiedAt: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }],
    take: limit,
    select: { id: true, hubId: true },
  });
  let changed = 0;
  for (const { id, hubId } of unfinished) {
    const reported = await deps.partnerApi.findChannel(hubId);
    if (!reported) continue;
    const moved = await db.$transaction(async (tx) => {
      const channel = await lockChannel(tx, { hubId });
      if (!channel) return false;
      const applied = await applyStatusReport(tx, channel, {
        rawStatus: reported.status,
        source: "reconciliation",
        dedupeKey: `reconciliation:${hubId}:${reported.status ?? "none"}`,
        occurredAt: now,
      });
      await tx.channel.update({ where: { id }, data: { verifiedAt: now } });
      return applied;
    });
    if (moved) changed += 1;
  }
  const keysQueued = await enqueueDueKeys(
    db,
    unfinished.map((channel) => channel.id),
  );
  // Failed creations whose time has come, and clients who may have granted their permission since
  // (asked again hourly, so a client who never grants it costs one call an hour, not one a run).
  const retries = await db.channel.findMany({
    where: {
      client: { bindingState: "BOUND" },
      access: "GRANTED",
      status: { in: ["RUNNING", "LIVE"] },
      keyState: { in: ["AWAITING_PERMISSION", "FAILED", "PROVISIONING"] },
      keyRetryAt: { lte: now },
    },
    take: limit,
    select: { id: true },
  });
  for (const channel of retries) await enqueueKeyRetry(db, channel.id, now);
  // Keys stored before the messaging hand-off existed, or whose job was lost: set their webhook.
  const unset = await db.channel.findMany({
    where: { access: "GRANTED", messagingWebhookState: "UNSET", apiKeys: { some: { liveChannelId: { not: null } } } },
    take: limit,
    select: { id: true },
  });
  for (const channel of unset) await enqueueMessagingWebhook(db, channel.id);
  // An event processed while the redirect storing its channel was still uncommitted waits too long.
  const waiting = await db.webhookEvent.findMany({
    where: { state: "WAITING_FOR_CHANNEL", channelHubId: { not: null } },
    select: { channelHubId: true },
    distinct: ["channelHubId"],
    take: limit,
  });
  const stored = await db.channel.findMany({
    where: { hubId: { in: waiting.map((event) => event.channelHubId!) } },
    select: { hubId: true },
  });
  const eventsReleased = await releaseWaitingEvents(
    db,
    stored.map((channel) => channel.hubId),
  );
  return {
    checked: unfinished.length,
    changed,
    keysQueued,
    retriesQueued: retries.length,
    webhooksQueued: unset.length,
    eventsReleased,
  };
}
