import "server-only";
import { openSecret, type KeyRing } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { HubApiError } from "@/lib/hub";
import { createMessagingApi, type OutgoingMessage } from "@/lib/hub/messaging-api";
import { messagingAddressProblem } from "@/lib/hub/messaging-webhook-url";
import { AppError } from "@/lib/http/errors";
import { enforceRateLimit } from "@/lib/rate-limit/consume-rate-limit";

/** The template every WhatsApp Business account has: it may be sent outside the 24-hour window. */
export const TEST_TEMPLATE = { templateName: "hello_world", languageCode: "en_US" } as const;

export type TestMessageRequest = { to: string } & ({ kind: "template" } | { kind: "text"; body: string });

export type SentTestMessage = { id: string; status: "SENDING"; recipientLast4: string };

// Messages cost the client money and reach real people: a few tests per hour are plenty.
const SEND_LIMIT = { limit: 10, windowMs: 60 * 60 * 1000 };

/**
 * "Send a test message": through the channel's own key, server side only, to a number the user
 * typed. Only the owner of a bound channel may send (a message from a client's number is the
 * client's to send); anyone else hears 404, as if the channel did not exist. The message is recorded before the call, so a status webhook that beats
 * the answer finds it; its statuses (sent, delivered, failed) arrive by the messaging webhook.
 */
export async function sendTestMessage(
  deps: { db: PrismaClient; keyRing: KeyRing; hubIsLocal: boolean; fetch?: typeof fetch },
  input: { userId: string; channelHubId: string; message: TestMessageRequest },
): Promise<SentTestMessage> {
  const { db } = deps;
  const channel = await db.channel.findUnique({
    where: { hubId: input.channelHubId },
    select: {
      id: true,
      access: true,
      client: { select: { userId: true, bindingState: true } },
      apiKeys: { where: { liveChannelId: { not: null } }, take: 1 },
    },
  });
  if (!channel || channel.client.userId !== input.userId)
    throw new AppError("channel_not_found", 404, "There is no such channel.");
  const key = channel.apiKeys[0];
  if (!key?.address || channel.access !== "GRANTED" || channel.client.bindingState !== "BOUND") {
    throw new AppError("channel_has_no_key", 409, "This number has no API key yet, so it cannot send messages.");
  }
  if (messagingAddressProblem(key.address, { hubIsLocal: deps.hubIsLocal })) {
    throw new AppError(
      "channel_has_no_key",
      409,
      "This number's key points at an unexpected address; ask the partner.",
    );
  }
  await enforceRateLimit(db, `test-message:${input.userId}`, SEND_LIMIT, "Too many test messages.");

  const recipientLast4 = input.message.to.slice(-4);
  const recorded = await db.message.create({
    data: { channelId: channel.id, recipientLast4, kind: input.message.kind, sentById: input.userId },
  });
  const outgoing: OutgoingMessage =
    input.message.kind === "text"
      ? { to: input.message.to, kind: "text", body: input.message.body }
      : { to: input.message.to, kind: "template", ...TEST_TEMPLATE };
  const api = createMessagingApi({
    address: key.address,
    apiKey: openSecret(
      deps.keyRing,
      { ciphertext: Buffer.from(key.ciphertext), keyVersion: key.keyVersion },
      channel.id,
    ),
    fetch: deps.fetch,
  });
  try {
    const { messageId } = await api.sendMessage(outgoing);
    await db.message.update({ where: { id: recorded.id }, data: { hubMessageId: messageId } });
  } catch (error) {
    const reason = error instanceof HubApiError ? error.message.slice(0, 300) : "The message could not be sent.";
    await db.message.update({ where: { id: recorded.id }, data: { status: "FAILED", error: reason } });
    if (error instanceof HubApiError && !error.retryable && error.status !== null && error.status < 500) {
      throw new AppError("message_refused", 422, reason);
    }
    throw error;
  }
  return { id: recorded.id, status: "SENDING", recipientLast4 };
}
