import "server-only";
import type { MessageStatus, Prisma } from "@/lib/generated/prisma/client";
import type { MessageStatusReport } from "@/lib/hub/messaging-webhook";
import { fromStoredStatuses } from "./stored-statuses";

const STATUS_BY_WORD: Record<string, MessageStatus> = {
  sent: "SENT",
  delivered: "DELIVERED",
  read: "READ",
  failed: "FAILED",
};

// Statuses arrive in any order and more than once: a message only ever moves forward.
const RANK: Record<MessageStatus, number> = { SENDING: 0, SENT: 1, FAILED: 2, DELIVERED: 3, READ: 4 };

// A status can beat the send request's own write of the message id by a few milliseconds.
export const SEND_IN_FLIGHT_MS = 2 * 60 * 1000;

export class MessageNotRecordedYetError extends Error {
  constructor(messageId: string) {
    super(`Message ${messageId} is not recorded yet; the send that created it may still be writing it`);
    this.name = "MessageNotRecordedYetError";
  }
}

/**
 * Applies the stored statuses of a messaging webhook to the portal's messages on its channel.
 * Statuses of messages the portal did not send are not its business and are skipped.
 * Returns whether anything changed.
 */
export async function applyMessagingWebhook(
  tx: Prisma.TransactionClient,
  payload: unknown,
  { channelHubId, now }: { channelHubId: string | null; now: Date },
): Promise<boolean> {
  let changed = false;
  for (const report of fromStoredStatuses(payload)) {
    const status = STATUS_BY_WORD[report.status];
    if (!status) continue;
    // Only the channel the webhook's token named: another channel's token moves none of these.
    const message = await tx.message.findFirst({
      where: { hubMessageId: report.messageId, channel: { hubId: channelHubId ?? "" } },
    });
    if (!message) {
      if (channelHubId && (await hasSendInFlight(tx, channelHubId, now))) {
        throw new MessageNotRecordedYetError(report.messageId);
      }
      continue;
    }
    if (RANK[status] <= RANK[message.status]) continue;
    await tx.message.update({ where: { id: message.id }, data: statusChange(status, report, message, now) });
    changed = true;
  }
  return changed;
}

function statusChange(status: MessageStatus, report: MessageStatusReport, message: { sentAt: Date | null }, now: Date) {
  const at = report.timestamp ?? now;
  return {
    status,
    statusUpdatedAt: at,
    error: status === "FAILED" ? (report.errorTitle ?? "The message could not be delivered") : null,
    ...(status === "SENT" ? { sentAt: at } : {}),
    ...(status === "DELIVERED" || status === "READ" ? { deliveredAt: at, sentAt: message.sentAt ?? at } : {}),
  };
}

async function hasSendInFlight(tx: Prisma.TransactionClient, channelHubId: string, now: Date): Promise<boolean> {
  const inFlight = await tx.message.count({
    where: {
      channel: { hubId: channelHubId },
      status: "SENDING",
      hubMessageId: null,
      createdAt: { gte: new Date(now.getTime() - SEND_IN_FLIGHT_MS) },
    },
  });
  return inFlight > 0;
}
