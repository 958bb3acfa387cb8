import "server-only";
import { isProblemStatus } from "@/lib/channels/status";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { ChannelAccess, ChannelStatus, KeyState, MessagingWebhookState } from "@/lib/generated/prisma/enums";
import { pageWindow, toPage, type Page } from "./search-params";

export type ChannelFilters = {
  q?: string;
  status?: ChannelStatus;
  access?: ChannelAccess;
  keyState?: KeyState;
  webhook?: MessagingWebhookState;
  page: number;
};

export type LastChannelEvent = { kind: string; toStatus: ChannelStatus | null; detail: string | null; at: string };

export type ChannelRow = {
  id: string;
  hubId: string;
  phoneNumber: string | null;
  clientHubId: string;
  clientName: string | null;
  status: ChannelStatus;
  rawStatus: string | null;
  problem: boolean;
  access: ChannelAccess;
  keyState: KeyState;
  hasLiveKey: boolean;
  // Never the key: its last four characters at most.
  keyLastFour: string | null;
  keyError: string | null;
  messagingWebhookState: MessagingWebhookState;
  messagingWebhookError: string | null;
  lastEvent: LastChannelEvent | null;
};

/** The live key's last four and the newest timeline entry, as every channel summary shows them. */
export const channelSummaryInclude = {
  client: { select: { hubId: true, name: true } },
  apiKeys: { where: { liveChannelId: { not: null } }, select: { lastFour: true }, take: 1 },
  events: {
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: 1,
    select: { kind: true, toStatus: true, detail: true, occurredAt: true },
  },
} satisfies Prisma.ChannelInclude;

type ChannelWithSummary = Prisma.ChannelGetPayload<{ include: typeof channelSummaryInclude }>;

export function toChannelRow(channel: ChannelWithSummary): ChannelRow {
  const event = channel.events[0];
  return {
    id: channel.id,
    hubId: channel.hubId,
    phoneNumber: channel.phoneNumber,
    clientHubId: channel.client.hubId,
    clientName: channel.client.name,
    status: channel.status,
    rawStatus: channel.rawStatus,
    problem: isProblemStatus(channel.rawStatus),
    access: channel.access,
    keyState: channel.keyState,
    hasLiveKey: channel.apiKeys.length > 0,
    keyLastFour: channel.apiKeys[0]?.lastFour ?? null,
    keyError: channel.keyError,
    messagingWebhookState: channel.messagingWebhookState,
    messagingWebhookError: channel.messagingWebhookError,
    lastEvent: event
      ? { kind: event.kind, toStatus: event.toStatus, detail: event.detail, at: event.occurredAt.toISOString() }
      : null,
  };
}

function channelWhere({ q, status, access, keyState, webhook }: ChannelFilters): Prisma.ChannelWhereInput {
  const contains = (value: string) => ({ contains: value, mode: "insensitive" as const });
  return {
    status,
    access,
    keyState,
    messagingWebhookState: webhook,
    OR: q
      ? [
          { hubId: contains(q) },
          { phoneNumber: contains(q) },
          { client: { hubId: contains(q) } },
          { client: { name: contains(q) } },
        ]
      : undefined,
  };
}

/** Channels for the console, newest first, searched by channel or client hub id, number or client name. */
export async function listChannels(db: PrismaClient, filters: ChannelFilters): Promise<Page<ChannelRow>> {
  const where = channelWhere(filters);
  const [channels, total] = await db.$transaction([
    db.channel.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...pageWindow(filters.page),
      include: channelSummaryInclude,
    }),
    db.channel.count({ where }),
  ]);
  return toPage(channels.map(toChannelRow), total, filters.page);
}
