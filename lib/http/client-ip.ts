const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/i;

/**
 * The client's address for per-network rate limits, as the platform in front of the app reports
 * it: Vercel and common reverse proxies put it first in `x-forwarded-for`, and `next start` sets it
 * from the socket. null when there is no address worth limiting: none at all, or loopback, which
 * is a developer's machine, the test suite, or a local proxy that hides every client behind one
 * address (limiting that would throttle all users together). Per-user and per-email limits hold
 * either way. Behind a proxy that passes a client-sent header through unchanged, it can be spoofed.
 */
export function clientIp(headers: Pick<Headers, "get">): string | null {
  const address = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim();
  return address && !LOOPBACK.test(address) ? address : null;
}
