import { z } from "zod";

/**
 * Partner URLs are where the Hub sends browsers (redirect) and webhooks: only http(s) makes sense,
 * and anything else (javascript:, data:) would turn the redirect into a script or content injection.
 */
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** The empty string switches partner webhooks off. */
export const webhookUrlSetting = z.union([httpUrl, z.literal("")]);

export function isHttpUrl(value: string): boolean {
  return httpUrl.safeParse(value).success;
}

/**
 * True when `candidate` is an http(s) URL on the origin of `configured`. Both must be http(s):
 * other schemes have the opaque origin "null", and two opaque origins would compare equal.
 */
export function isSameHttpOrigin(candidate: string, configured: string): boolean {
  return isHttpUrl(candidate) && isHttpUrl(configured) && new URL(candidate).origin === new URL(configured).origin;
}
