import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/;

/**
 * `x-360dialog-signature`: HMAC-SHA256 of the raw request body keyed with the platform secret, in
 * lowercase hex; public receivers see no prefix, an optional `sha256=` is tolerated. Compared in
 * constant time over the bytes received, never over re-serialised JSON.
 */
export function verifyWebhookSignature(platformSecret: string, rawBody: Buffer, header: string | null): boolean {
  const received = SIGNATURE.exec(header?.trim() ?? "")?.[1];
  if (!received) return false;
  const expected = createHmac("sha256", platformSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(received, "hex"));
}
