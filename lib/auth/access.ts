/**
 * The proxy's access decisions, as pure functions. Sessions live in the database, so the proxy
 * can only see whether a session cookie is present: this is an optimistic first filter that
 * sends visitors without one to /login (pages) or answers 401 (APIs). Every page and handler
 * still checks the session server-side (lib/auth.ts); the proxy alone is not authorization.
 *
 * No imports from the auth library or the database: proxy.ts stays small and fast.
 */

import { errorResponse } from "@/lib/http/error-response";
import { isLocalPath } from "./urls";

/** Auth.js session cookie names: plain over http, `__Secure-` prefixed over https (see lib/auth.ts). */
export const SESSION_COOKIE_NAMES = ["authjs.session-token", "__Secure-authjs.session-token"] as const;

/** Routes that need a signed-in user. /admin additionally needs the ADMIN role (checked server-side). */
export const PROTECTED_PAGE_PREFIXES = ["/onboarding", "/channels", "/admin"] as const;
export const PROTECTED_API_PREFIXES = ["/api/sign_io", "/api/onboarding", "/api/channels", "/api/admin"] as const;

/**
 * Never gated by the proxy, even if a protected prefix is added above them later: machine-to-machine
 * endpoints authenticate themselves (webhook signatures, the cron secret), health checks must answer
 * anonymous probes, and Auth.js's own endpoints are how a session is obtained in the first place.
 */
export const PUBLIC_PREFIXES = ["/api/webhooks", "/api/cron", "/api/health", "/api/auth", "/login", "/_next"] as const;

export type AccessDecision =
  { action: "allow" } | { action: "redirect"; location: string } | { action: "unauthorized" };

export const LOGIN_PATH = "/login";

/** `/onboarding` covers `/onboarding` and `/onboarding/…`, never `/onboardingfoo`. */
export function underPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * Canonical form for classification: percent-decoded (so `/api/%73ign_io` is `/api/sign_io`),
 * lowercased, repeated slashes and a trailing slash collapsed. Errs towards protecting more.
 */
export function normalizePathname(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Malformed escapes: classify the raw path.
  }
  const collapsed = decoded
    .replace(/\\/g, "/")
    .replace(/\/{2,}/g, "/")
    .toLowerCase();
  return collapsed.length > 1 && collapsed.endsWith("/") ? collapsed.slice(0, -1) : collapsed;
}

export type RouteKind = "public" | "page" | "api";

export function classifyPath(pathname: string): RouteKind {
  const path = normalizePathname(pathname);
  if (PUBLIC_PREFIXES.some((prefix) => underPrefix(path, prefix))) return "public";
  if (PROTECTED_API_PREFIXES.some((prefix) => underPrefix(path, prefix))) return "api";
  if (PROTECTED_PAGE_PREFIXES.some((prefix) => underPrefix(path, prefix))) return "page";
  return "public";
}

/**
 * `/login?callbackUrl=<path and query>`: a local path, so it can never point off-site. /login checks
 * it again (safeCallbackPath); refusing `/\host` or `/.//host` here too keeps the two in step.
 */
export function loginRedirectLocation(pathWithSearch: string): string {
  const callbackUrl = isLocalPath(pathWithSearch) ? pathWithSearch : "/";
  return `${LOGIN_PATH}?${new URLSearchParams({ callbackUrl })}`;
}

/**
 * What the proxy does with a request. `search` (with its leading `?`, or empty) is kept in the
 * callbackUrl so the user lands back exactly where they were headed.
 */
export function decideAccess(pathname: string, hasSessionCookie: boolean, search = ""): AccessDecision {
  const kind = classifyPath(pathname);
  if (kind === "public" || hasSessionCookie) return { action: "allow" };
  if (kind === "api") return { action: "unauthorized" };
  return { action: "redirect", location: loginRedirectLocation(`${pathname}${search}`) };
}

/** True when any known session cookie name carries a non-empty value. */
export function hasSessionCookie(get: (name: string) => string | undefined): boolean {
  return SESSION_COOKIE_NAMES.some((name) => Boolean(get(name)));
}

/** The JSON 401 every protected API answers when there is no valid session. */
export function unauthorizedResponse(message = "Sign in to use this endpoint."): Response {
  return errorResponse("unauthorized", 401, message);
}
