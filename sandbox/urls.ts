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

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** The authority's port as written, "" for a bare colon; URL drops default ports, so it cannot tell. */
const WRITTEN_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*)(?::(\d*))?(?:[/?#]|$)/i;

/**
 * Why 360dialog would refuse this messaging webhook URL, or null. It refuses hosts with an
 * underscore and any explicit port. The sandbox allows a port on a loopback host: a local portal
 * always listens on one, and the real Hub could not reach a loopback address anyway.
 */
export function messagingWebhookUrlProblem(raw: string): string | null {
  if (!isHttpUrl(raw)) return "url must be an http(s) URL";
  const url = new URL(raw);
  if (url.hostname.includes("_")) return `the webhook host must not contain an underscore (${url.hostname})`;
  const port = WRITTEN_PORT.exec(raw)?.[1];
  if (port !== undefined && !LOOPBACK_HOSTS.has(url.hostname)) {
    return "the webhook URL must not carry an explicit port (the sandbox allows one only on localhost, 127.0.0.1 and [::1])";
  }
  return null;
}
