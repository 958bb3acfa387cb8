import "server-only";
import { isProblemStatus, isSettledChannel } from "@/lib/channels/status";
import { bindingView, maskPhoneNumber, type BindingView } from "@/lib/clients/binding";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type {
  ChannelAccess,
  ChannelStatus,
  KeyState,
  MessageStatus,
  MessagingWebhookState,
} from "@/lib/generated/prisma/enums";

// Statuses normally follow within seconds; a message still waiting after this stops the polling.
const STATUS_WAIT_MS = 10 * 60 * 1000;

function isAwaitingStatus(message: { status: MessageStatus; createdAt: Date }): boolean {
  const waiting = message.status === "SENDING" || message.status === "SENT";
  return waiting && Date.now() - message.createdAt.getTime() < STATUS_WAIT_MS;
}

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
  messages: Array<{
    id: string;
    kind: string;
    recipientLast4: string;
    status: MessageStatus;
    error: string | null;
    at: string;
  }>;
  settled: boolean;
  // Newest first: status changes, and quality, limit or restriction reports (then `detail`).
  timeline: Array<{ kind: string; status: ChannelStatus | null; detail: string | null; at: string }>;
};

/** The channels of one user, newest client first; nobody else's rows can reach this query. */
export async function listUserChannels(db: PrismaClient, userId: string): Promise<ChannelView[]> {
  const channels = await db.channel.findMany({
    where: { client: { userId } },
    orderBy: [{ createdAt: "desc" }, { hubId: "asc" }],
    include: {
      client: { select: { hubId: true, bindingState: true } },
      apiKeys: { where: { destroyedAt: null, liveChannelId: { not: null } }, select: { lastFour: true }, take: 1 },
      messages: {
        orderBy: { createdAt: "desc" },
        take: 3,
        select: { id: true, kind: true, recipientLast4: true, status: true, error: true, createdAt: true },
      },
      events: {
        orderBy: { occurredAt: "desc" },
        take: 6,
        select: { kind: true, toStatus: true, detail: true, occurredAt: true },
      },
    },
  });
  return channels.map((channel) => ({
    id: channel.hubId,
    clientId: channel.client.hubId,
    binding: bindingView(channel.client.bindingState),
    phoneNumber: channel.client.bindingState === "BOUND" ? channel.phoneNumber : maskPhoneNumber(channel.phoneNumber),
    status: channel.status,
    access: channel.access,
    rawStatus: channel.rawStatus,
    problem: isProblemStatus(channel.rawStatus),
    messagingLimit: channel.messagingLimit,
    qualityRating: channel.qualityRating,
    restriction: channel.restriction,
    keyState: channel.keyState,
    keyLastFour: channel.apiKeys[0]?.lastFour ?? null,
    keyRetryAt: channel.keyRetryAt?.toISOString() ?? null,
    messagingWebhook: { state: channel.messagingWebhookState },
    messages: channel.messages.map((message) => ({
      id: message.id,
      kind: message.kind,
      recipientLast4: message.recipientLast4,
      status: message.status,
      error: message.error,
      at: message.createdAt.toISOString(),
    })),
    settled:
      isSettledChannel({ ...channel, bound: channel.client.bindingState === "BOUND" }) &&
      channel.messagingWebhookState !== "PENDING" &&
      !channel.messages.some((message) => isAwaitingStatus(message)),
    timeline: channel.events.map((event) => ({
      kind: event.kind,
      status: event.toStatus,
      detail: clientFacingDetail(event),
      at: event.occurredAt.toISOString(),
    })),
  }));
}

/** Where the partner points a number's messages, and why that failed, stay in the console. */
function clientFacingDetail(event: { kind: string; detail: string | null }): string | null {
  if (event.kind !== "messaging_webhook") return event.detail;
  return event.detail?.startsWith("set") ? "set" : "could not be set";
}
