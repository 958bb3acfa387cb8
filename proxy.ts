import { NextResponse, type NextRequest } from "next/server";
import { decideAccess, hasSessionCookie, unauthorizedResponse } from "@/lib/auth/access";

/** Mirrors REQUEST_PATH_HEADER in lib/auth.ts (not imported: the proxy stays free of the auth library). */
const REQUEST_PATH_HEADER = "x-portal-request-path";

/**
 * Optimistic gate for signed-in areas. Sessions are database sessions, so all the proxy can see
 * is whether a session cookie is present: without one, pages redirect to /login?callbackUrl=…
 * and APIs answer 401 JSON. With one, the request goes on and the page or handler checks the
 * session for real (requireUser / getCurrentUser). The proxy alone is not
 * authorization: a stale or forged cookie passes here and is rejected server-side.
 *
 * Webhooks, cron, health, /api/auth and static assets are outside the matcher on purpose.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const decision = decideAccess(
    pathname,
    hasSessionCookie((name) => request.cookies.get(name)?.value),
    search,
  );
  if (decision.action === "unauthorized") return unauthorizedResponse();
  if (decision.action === "redirect") return NextResponse.redirect(new URL(decision.location, request.url));
  const forwarded = new Headers(request.headers);
  forwarded.set(REQUEST_PATH_HEADER, `${pathname}${search}`);
  return NextResponse.next({ request: { headers: forwarded } });
}

// Literal patterns (Next analyses them at build time); lib/auth/proxy.test.ts checks they cover
// exactly the protected prefixes in lib/auth/access.ts.
export const config = {
  matcher: [
    "/onboarding/:path*",
    "/channels/:path*",
    "/admin/:path*",
    "/api/sign_io/:path*",
    "/api/onboarding/:path*",
    "/api/channels/:path*",
    "/api/admin/:path*",
  ],
};
