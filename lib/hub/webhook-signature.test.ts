import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "./webhook-signature";

const SECRET = "platform-secret-for-tests";
const body = Buffer.from('{"id":"e1","event":"channel_running","data":{"id":"abcCH"}}');
const sign = (bytes: Buffer, secret = SECRET) => createHmac("sha256", secret).update(bytes).digest("hex");

describe("verifyWebhookSignature", () => {
  it("accepts the lowercase hex HMAC of the raw body, with or without a sha256= prefix", () => {
    expect(verifyWebhookSignature(SECRET, body, sign(body))).toBe(true);
    expect(verifyWebhookSignature(SECRET, body, `sha256=${sign(body)}`)).toBe(true);
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["truncated", sign(body).slice(0, 63)],
    ["uppercase", sign(body).toUpperCase()],
    ["another secret's", sign(body, "another-platform-secret")],
    ["another prefix", `sha1=${sign(body)}`],
    ["a tampered body's", sign(Buffer.from(body.toString().replace("running", "live")))],
  ])("refuses a %s signature", (_label, header) => {
    expect(verifyWebhookSignature(SECRET, body, header)).toBe(false);
  });
});
