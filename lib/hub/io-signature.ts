import "server-only";
import { createHmac } from "node:crypto";

/**
 * 360dialog's IO Signature: HMAC-SHA512 keyed with the platform secret over
 * "{partnerId}|{timestampSeconds}". The docs do not show the output encoding; lowercase hex is
 * our reading, kept in this one place.
 */
export function computeIoSignature(platformSecret: string, partnerId: string, timestampSeconds: number): string {
  return createHmac("sha512", platformSecret).update(`${partnerId}|${timestampSeconds}`).digest("hex");
}

/** The docs and the integration guide say a signature is invalid after 24 hours. */
export const IO_SIGNATURE_LIFETIME_SECONDS = 24 * 60 * 60;
