/**
 * Every URL the sign-in flow produces is anchored on APP_URL, never on the request's Host or
 * X-Forwarded-Host header: with those an attacker could make the portal mail sign-in links (and
 * their tokens) pointing at a host they control, or bounce users off-site after sign-in.
 */

/**
 * A same-origin path for `redirect()`s inside the app: `callbackUrl` when it resolves to APP_URL's
 * origin (relative paths do), else `fallback`. Catches `//evil.com`, `/\evil.com`, `https://evil.com`
 * and `javascript:` alike by resolving against APP_URL and comparing origins.
 *
 * The origin check alone is not enough: resolving removes dot segments, so `/.//evil.com`,
 * `/%2e//evil.com` or `/a/..//evil.com` stay on APP_URL yet resolve to the path `//evil.com`,
 * which a browser reads as another host once it is sent back as a `Location`.
 */
export function safeCallbackPath(callbackUrl: unknown, appUrl: string, fallback = "/"): string {
  if (typeof callbackUrl !== "string" || callbackUrl === "") return fallback;
  let resolved: URL;
  try {
    resolved = new URL(callbackUrl, appUrl);
  } catch {
    return fallback;
  }
  if (resolved.origin !== new URL(appUrl).origin) return fallback;
  if (isProtocolRelative(resolved.pathname)) return fallback;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/**
 * True for a path a browser would resolve onto another host: `//host` or `/\host` (browsers treat
 * `\` as `/` in http(s) URLs). The URL parser already turns `\` into `/`; both are checked anyway.
 */
export function isProtocolRelative(path: string): boolean {
  return /^[/\\][/\\]/.test(path);
}

// Any origin will do: what matters is whether a path stays on the origin it is resolved against.
const PROBE_ORIGIN = "http://portal.invalid";

/**
 * True for a relative path (query and hash allowed) that stays on whatever origin it is resolved
 * against: it starts with `/`, and neither as written nor once resolved does it start like `//host`.
 */
export function isLocalPath(path: string): boolean {
  return path.startsWith("/") && !isProtocolRelative(path) && safeCallbackPath(path, PROBE_ORIGIN, "") !== "";
}

/**
 * Auth.js's `redirect` callback: an absolute URL on APP_URL. Auth.js passes a `baseUrl` derived
 * from the request, which is deliberately ignored.
 */
export function resolveRedirect(url: string, appUrl: string): string {
  const origin = new URL(appUrl).origin;
  return `${origin}${safeCallbackPath(url, origin)}`;
}

/**
 * The magic link as mailed: Auth.js's link rebuilt on APP_URL's origin, keeping its path (the
 * Auth.js callback endpoint) and query (token, email), with `callbackUrl` forced onto APP_URL too.
 * Whatever Host the sign-in request claimed, the link can only lead to the portal itself.
 */
export function buildMagicLink(authJsUrl: string, appUrl: string): string {
  const link = withOrigin(authJsUrl, appUrl);
  const callbackUrl = link.searchParams.get("callbackUrl");
  if (callbackUrl !== null) link.searchParams.set("callbackUrl", resolveRedirect(callbackUrl, appUrl));
  return link.toString();
}

/**
 * The request as Auth.js's route handler should see it: same path, query, method, headers and body,
 * but on APP_URL's origin, so redirects, OAuth callback URLs and links it builds use that origin.
 */
export function rebaseUrl(requestUrl: string, appUrl: string): string {
  return withOrigin(requestUrl, appUrl).toString();
}

/** `url`'s path and query on `appUrl`'s origin. Set field by field: a path like `//x` stays a path. */
function withOrigin(url: string, appUrl: string): URL {
  const source = new URL(url);
  const target = new URL(new URL(appUrl).origin);
  target.pathname = source.pathname;
  target.search = source.search;
  return target;
}
