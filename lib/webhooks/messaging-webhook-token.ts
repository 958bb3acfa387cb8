import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * 360dialog does not sign messaging webhooks, but it sends the custom headers set with the
 * webhook URL. The portal's own receiver is set up with this header: the channel's id and an
 * HMAC of it, so a request without it, or forged for another channel, is refused.
 */
export const MESSAGING_WEBHOOK_TOKEN_HEADER = "X-Portal-Webhook-Token";

const LABEL = "messaging-webhook-token:v1:";

function mac(secret: string, channelId: string): Buffer {
  return createHmac("sha256", secret).update(`${LABEL}${channelId}`).digest();
}

export function messagingWebhookToken(secret: string, channelId: string): string {
  return `${channelId}.${mac(secret, channelId).toString("base64url")}`;
}

/** The channel id the token was made for, or null when it is missing or forged. */
export function verifyMessagingWebhookToken(secret: string, token: string | null): string | null {
  const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(token?.trim() ?? "");
  if (!match) return null;
  const [, channelId, received] = match;
  const expected = mac(secret, channelId!);
  const given = Buffer.from(received!, "base64url");
  return given.length === expected.length && timingSafeEqual(expected, given) ? channelId! : null;
}
