import { createHmac, timingSafeEqual } from "node:crypto";

/** Lowercase hex HMAC-SHA512(platform secret, "{partnerId}|{unixSeconds}"), as the portal signs it. */
export function signIo(secret: string, partnerId: string, timestamp: string | number): string {
  return createHmac("sha512", secret).update(`${partnerId}|${timestamp}`).digest("hex");
}

export type IoRefusal =
  | "missing_signature"
  | "malformed_signature"
  | "wrong_signature"
  | "expired_signature"
  | "timestamp_in_future"
  | "signature_already_used";

export interface IoCheckInput {
  secret: string;
  partnerId: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSeconds: number;
  maxAgeSeconds: number;
  isUsed: (signature: string) => boolean;
}

// Clocks of portal and sandbox differ a little even on one machine (containers, VMs).
const FUTURE_SKEW_SECONDS = 300;

/**
 * Order matters for the diagnosis: a wrong secret reports "wrong" even when the timestamp is
 * also stale, because that is the mistake a partner needs to see first.
 */
export function checkIoSignature(input: IoCheckInput): { ok: true } | { ok: false; reason: IoRefusal } {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, reason: "missing_signature" };
  if (!/^[0-9a-f]{128}$/.test(signature) || !/^[0-9]{1,12}$/.test(timestamp)) {
    return { ok: false, reason: "malformed_signature" };
  }
  const expected = Buffer.from(signIo(input.secret, input.partnerId, timestamp), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return { ok: false, reason: "wrong_signature" };
  const age = input.nowSeconds - Number(timestamp);
  if (age > input.maxAgeSeconds) return { ok: false, reason: "expired_signature" };
  if (age < -FUTURE_SKEW_SECONDS) return { ok: false, reason: "timestamp_in_future" };
  if (input.isUsed(signature)) return { ok: false, reason: "signature_already_used" };
  return { ok: true };
}
