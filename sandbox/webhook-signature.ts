import { createHmac } from "node:crypto";

/** `x-360dialog-signature`: lowercase hex HMAC-SHA256(platform secret, raw body), no prefix. */
export function signWebhookBody(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("hex");
}
