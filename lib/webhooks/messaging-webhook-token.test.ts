import { describe, expect, it } from "vitest";
import { messagingWebhookToken, verifyMessagingWebhookToken } from "./messaging-webhook-token";

const SECRET = "a-secret-that-is-long-enough-for-hmac";

describe("messaging webhook token", () => {
  it("names the channel it was made for", () => {
    expect(verifyMessagingWebhookToken(SECRET, messagingWebhookToken(SECRET, "ch_1"))).toBe("ch_1");
  });

  it("refuses a missing token, another secret's token, and a token moved to another channel", () => {
    const token = messagingWebhookToken(SECRET, "ch_1");
    expect(verifyMessagingWebhookToken(SECRET, null)).toBeNull();
    expect(verifyMessagingWebhookToken(`${SECRET}x`, token)).toBeNull();
    expect(verifyMessagingWebhookToken(SECRET, token.replace("ch_1", "ch_2"))).toBeNull();
    expect(verifyMessagingWebhookToken(SECRET, "ch_1.short")).toBeNull();
  });
});
