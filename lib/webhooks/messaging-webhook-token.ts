import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * 360dialog does not sign messaging webhooks, but it sends the custom headers set with the
 * webhook URL. The portal's own receiver is set up with this header: the channel's id, the id of
 * the key it was set with, and an HMAC of both. A new key sets a new token, so a rotation also
 * retires the old header, and the receiver accepts a token only while its key is the live one.
 */
export const MESSAGING_WEBHOOK_TOKEN_HEADER = "X-Portal-Webhook-Token";

export type TokenSubject = { channelId: string; keyId: string };

// A key of its own, derived from the secret, so this HMAC can never stand in for anything else.
function macKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "", "portal:messaging-webhook-token:v2", 32));
}

function mac(secret: string, { channelId, keyId }: TokenSubject): Buffer {
  return createHmac("sha256", macKey(secret)).update(`${channelId}.${keyId}`).digest();
}

export function messagingWebhookToken(secret: string, subject: TokenSubject): string {
  return `${subject.channelId}.${subject.keyId}.${mac(secret, subject).toString("base64url")}`;
}

/** What the token was made for, or null when it is missing or forged. Whether its key is still live is the caller's check. */
export function verifyMessagingWebhookToken(secret: string, token: string | null): TokenSubject | null {
  const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(token?.trim() ?? "");
  if (!match) return null;
  const subject = { channelId: match[1]!, keyId: match[2]! };
  const given = Buffer.from(match[3]!, "base64url");
  const expected = mac(secret, subject);
  return given.length === expected.length && timingSafeEqual(expected, given) ? subject : null;
}
