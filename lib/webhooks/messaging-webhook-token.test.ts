import { describe, expect, it } from "vitest";
import { messagingWebhookToken, verifyMessagingWebhookToken } from "./messaging-webhook-token";

const SECRET = "a-secret-that-is-long-enough-for-hmac";
const SUBJECT = { channelId: "ch_1", keyId: "key_1" };

describe("messaging webhook token", () => {
  it("names the channel and key it was made for", () => {
    expect(verifyMessagingWebhookToken(SECRET, messagingWebhookToken(SECRET, SUBJECT))).toEqual(SUBJECT);
  });

  it("refuses a missing token, another secret's token, and a token moved to another channel or key", () => {
    const token = messagingWebhookToken(SECRET, SUBJECT);
    expect(verifyMessagingWebhookToken(SECRET, null)).toBeNull();
    expect(verifyMessagingWebhookToken(`${SECRET}x`, token)).toBeNull();
    expect(verifyMessagingWebhookToken(SECRET, token.replace("ch_1", "ch_2"))).toBeNull();
    expect(verifyMessagingWebhookToken(SECRET, token.replace("key_1", "key_2"))).toBeNull();
    expect(verifyMessagingWebhookToken(SECRET, "ch_1.key_1.short")).toBeNull();
  });
});
