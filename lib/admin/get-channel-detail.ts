import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ChannelStatus, MessageStatus, WebhookEventState, WebhookSource } from "@/lib/generated/prisma/enums";
import { channelSummaryInclude, toChannelRow, type ChannelRow } from "./list-channels";

// A detail page is for reading one channel's recent history, not for paging through all of it.
const HISTORY_LIMIT = 100;

export type ChannelDetail = ChannelRow & {
  messagingWebhookUrl: string | null;
  messagingWebhookSetAt: string | null;
  keyRetryAt: string | null;
  restriction: string | null;
  timeline: Array<{
    id: string;
    kind: string;
    fromStatus: ChannelStatus | null;
    toStatus: ChannelStatus | null;
    detail: string | null;
    source: string;
    at: string;
  }>;
  // Never ciphertext: what a key was, not what it is.
  keys: Array<{
    id: string;
    keyVersion: number;
    lastFour: string | null;
    createdAt: string;
    destroyedAt: string | null;
  }>;
  messages: Array<{
    id: string;
    kind: string;
    status: MessageStatus;
    recipientLast4: string;
    error: string | null;
    createdAt: string;
  }>;
  webhookEvents: Array<{
    id: string;
    source: WebhookSource;
    type: string;
    state: WebhookEventState;
    attempts: number;
    receivedAt: string;
  }>;
};

/** One channel, by its 360dialog id, with its timeline, keys, messages and webhook events, newest first. */
export async function getChannelDetail(db: PrismaClient, hubId: string): Promise<ChannelDetail | null> {
  const channel = await db.channel.findUnique({
    where: { hubId },
    include: {
      ...channelSummaryInclude,
      events: { orderBy: [{ occurredAt: "desc" }, { id: "desc" }], take: HISTORY_LIMIT },
      apiKeys: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: HISTORY_LIMIT,
        select: { id: true, keyVersion: true, lastFour: true, createdAt: true, destroyedAt: true, liveChannelId: true },
      },
      messages: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: HISTORY_LIMIT },
    },
  });
  if (!channel) return null;
  const webhookEvents = await db.webhookEvent.findMany({
    where: { channelHubId: hubId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: HISTORY_LIMIT,
    select: { id: true, source: true, type: true, state: true, attempts: true, receivedAt: true },
  });
  const liveKey = channel.apiKeys.find((key) => key.liveChannelId !== null);
  return {
    ...toChannelRow({
      ...channel,
      apiKeys: liveKey ? [liveKey] : [],
      events: channel.events.slice(0, 1),
    }),
    messagingWebhookUrl: channel.messagingWebhookUrl,
    messagingWebhookSetAt: channel.messagingWebhookSetAt?.toISOString() ?? null,
    keyRetryAt: channel.keyRetryAt?.toISOString() ?? null,
    restriction: channel.restriction,
    timeline: channel.events.map((event) => ({
      id: event.id,
      kind: event.kind,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      detail: event.detail,
      source: event.source,
      at: event.occurredAt.toISOString(),
    })),
    keys: channel.apiKeys.map((key) => ({
      id: key.id,
      keyVersion: key.keyVersion,
      lastFour: key.lastFour,
      createdAt: key.createdAt.toISOString(),
      destroyedAt: key.destroyedAt?.toISOString() ?? null,
    })),
    messages: channel.messages.map((message) => ({
      id: message.id,
      kind: message.kind,
      status: message.status,
      recipientLast4: message.recipientLast4,
      error: message.error,
      createdAt: message.createdAt.toISOString(),
    })),
    webhookEvents: webhookEvents.map((event) => ({ ...event, receivedAt: event.receivedAt.toISOString() })),
  };
}
