import type { NextConfig } from "next";

export type Redirect = Awaited<ReturnType<NonNullable<NextConfig["redirects"]>>>[number];

/**
 * `next dev` answers on every name of the machine, but sign-in cookies are set for APP_URL's host
 * and the Connect Button only accepts messages from APP_URL's origin: on `127.0.0.1:3000` while
 * APP_URL says `localhost:3000`, sign-in and onboarding break without an error. This rule sends
 * any other host to APP_URL's origin, same path and query. Development only (see next.config.ts):
 * in production the proxy or platform in front owns the host names.
 */
export function devHostRedirects(appUrl: string): Redirect[] {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    // lib/config/parse-env.ts reports a malformed APP_URL; the config itself must still load.
    return [];
  }
  // Next compares the Host header up to its first ":", which cuts an IPv6 literal short: the rule
  // would never match APP_URL's own host and would redirect it to itself forever.
  if (url.hostname.startsWith("[")) return [];
  return [
    {
      source: "/:path*",
      missing: [{ type: "host", value: escapeRegExp(url.hostname) }],
      destination: `${url.origin}/:path*`,
      permanent: false,
    },
  ];
}

/** `value` matched literally by the RegExp Next builds from a `has`/`missing` value. */
function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
