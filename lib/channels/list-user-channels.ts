import "server-only";
import { isProblemStatus, isSettledChannel } from "@/lib/channels/status";
import { bindingView, maskPhoneNumber, type BindingView } from "@/lib/clients/binding";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type {
  BindingState,
  ChannelAccess,
  ChannelStatus,
  KeyState,
  MessageStatus,
  MessagingWebhookState,
} from "@/lib/generated/prisma/enums";

const MESSAGES_SHOWN = 3;
const EVENTS_SHOWN = 6;

// Statuses normally follow within seconds; a message still waiting after this stops the polling.
const STATUS_WAIT_MS = 10 * 60 * 1000;

function isAwaitingStatus(message: { status: MessageStatus; createdAt: Date }): boolean {
  const waiting = message.status === "SENDING" || message.status === "SENT";
  return waiting && Date.now() - message.createdAt.getTime() < STATUS_WAIT_MS;
}

type TestMessage = { id: string; kind: string; recipientLast4: string; status: MessageStatus; error: string | null };

export type ChannelView = {
  id: string;
  clientId: string;
  // Until the client's binding is proven, the number is masked: see lib/clients/binding.ts.
  binding: BindingView;
  phoneNumber: string | null;
  status: ChannelStatus;
  // Whether the partner may still use the number: the client can revoke that in the Hub.
  access: ChannelAccess;
  // The Hub's own word; `problem` when it describes one (`error`, `certificate_declined`).
  rawStatus: string | null;
  problem: boolean;
  messagingLimit: string | null;
  qualityRating: string | null;
  restriction: string | null;
  keyState: KeyState;
  // Never the key: its last four characters at most, and when a failed creation is tried again.
  keyLastFour: string | null;
  keyRetryAt: string | null;
  // After the key: whether 360dialog confirmed where the number's messages go (the URL and any
  // failure are the partner's business, shown in the console).
  messagingWebhook: { state: MessagingWebhookState };
  // The latest test messages, newest first; the recipient kept to its last four digits.
  messages: Array<TestMessage & { at: string }>;
  settled: boolean;
  // Newest first: status changes, and quality, limit or restriction reports (then `detail`).
  timeline: Array<{ kind: string; status: ChannelStatus | null; detail: string | null; at: string }>;
};

type ChannelRow = {
  hubId: string;
  clientHubId: string;
  bindingState: BindingState;
  phoneNumber: string | null;
  status: ChannelStatus;
  access: ChannelAccess;
  rawStatus: string | null;
  messagingLimit: string | null;
  qualityRating: string | null;
  restriction: string | null;
  keyState: KeyState;
  keyRetryAt: Date | null;
  messagingWebhookState: MessagingWebhookState;
  keyLastFour: string | null;
  // json_agg's rows; times as timestamptz text.
  messages: Array<TestMessage & { createdAt: string }>;
  events: Array<{ kind: string; toStatus: ChannelStatus | null; detail: string | null; occurredAt: string }>;
};

/**
 * The channels of one user, newest client first; nobody else's rows can reach this query. One
 * statement whose lateral subqueries read only the newest few messages and events of each channel
 * through their (channelId, time) indexes, so its cost stays flat however long a channel's history
 * grows (Prisma's nested `take` fetches every child row and trims them in memory).
 */
export async function listUserChannels(db: PrismaClient, userId: string): Promise<ChannelView[]> {
  const channels = await db.$queryRaw<ChannelRow[]>`
    SELECT c."hubId", cl."hubId" AS "clientHubId", cl."bindingState"::text AS "bindingState", c."phoneNumber",
      c."status"::text AS "status", c."access"::text AS "access", c."rawStatus", c."messagingLimit",
      c."qualityRating", c."restriction", c."keyState"::text AS "keyState", c."keyRetryAt",
      c."messagingWebhookState"::text AS "messagingWebhookState", key."lastFour" AS "keyLastFour",
      COALESCE(messages.rows, '[]'::json) AS "messages", COALESCE(events.rows, '[]'::json) AS "events"
    FROM "Channel" c
    JOIN "Client" cl ON cl."id" = c."clientId"
    LEFT JOIN LATERAL (
      SELECT k."lastFour" FROM "ApiKey" k
      WHERE k."liveChannelId" = c."id" AND k."destroyedAt" IS NULL
      LIMIT 1
    ) key ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(m ORDER BY m."createdAt" DESC) AS rows FROM (
        SELECT "id", "kind", "recipientLast4", "status", "error", "createdAt" AT TIME ZONE 'UTC' AS "createdAt"
        FROM "Message" WHERE "channelId" = c."id"
        ORDER BY "Message"."createdAt" DESC LIMIT ${MESSAGES_SHOWN}
      ) m
    ) messages ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(e ORDER BY e."occurredAt" DESC) AS rows FROM (
        SELECT "kind", "toStatus", "detail", "occurredAt" AT TIME ZONE 'UTC' AS "occurredAt"
        FROM "ChannelEvent" WHERE "channelId" = c."id"
        ORDER BY "ChannelEvent"."occurredAt" DESC LIMIT ${EVENTS_SHOWN}
      ) e
    ) events ON true
    WHERE cl."userId" = ${userId}
    ORDER BY c."createdAt" DESC, c."hubId" ASC`;
  return channels.map((channel) => {
    const messages = channel.messages.map((message) => ({ ...message, createdAt: new Date(message.createdAt) }));
    return {
      id: channel.hubId,
      clientId: channel.clientHubId,
      binding: bindingView(channel.bindingState),
      phoneNumber: channel.bindingState === "BOUND" ? channel.phoneNumber : maskPhoneNumber(channel.phoneNumber),
      status: channel.status,
      access: channel.access,
      rawStatus: channel.rawStatus,
      problem: isProblemStatus(channel.rawStatus),
      messagingLimit: channel.messagingLimit,
      qualityRating: channel.qualityRating,
      restriction: channel.restriction,
      keyState: channel.keyState,
      keyLastFour: channel.keyLastFour,
      keyRetryAt: channel.keyRetryAt?.toISOString() ?? null,
      messagingWebhook: { state: channel.messagingWebhookState },
      messages: messages.map((message) => ({
        id: message.id,
        kind: message.kind,
        recipientLast4: message.recipientLast4,
        status: message.status,
        error: message.error,
        at: message.createdAt.toISOString(),
      })),
      settled:
        isSettledChannel({ ...channel, bound: channel.bindingState === "BOUND" }) &&
        channel.messagingWebhookState !== "PENDING" &&
        !messages.some((message) => isAwaitingStatus(message)),
      timeline: channel.events.map((event) => ({
        kind: event.kind,
        status: event.toStatus,
        detail: clientFacingDetail(event),
        at: new Date(event.occurredAt).toISOString(),
      })),
    };
  });
}

/** Where the partner points a number's messages, and why that failed, stay in the console. */
function clientFacingDetail(event: { kind: string; detail: string | null }): string | null {
  if (event.kind !== "messaging_webhook") return event.detail;
  return event.detail?.startsWith("set") ? "set" : "could not be set";
}
