import { NextResponse, type NextRequest } from "next/server";
import { decideAccess, hasSessionCookie, unauthorizedResponse } from "@/lib/auth/access";
import { errorResponse } from "@/lib/http/error-response";
import { isCrossOriginPageWrite } from "@/lib/http/cross-origin-page-write";

/** Mirrors REQUEST_PATH_HEADER in lib/auth.ts (not imported: the proxy stays free of the auth library). */
const REQUEST_PATH_HEADER = "x-portal-request-path";

/**
 * Optimistic gate for signed-in areas. Sessions are database sessions, so all the proxy can see
 * is whether a session cookie is present: without one, pages redirect to /login?callbackUrl=…
 * and APIs answer 401 JSON. With one, the request goes on and the page or handler checks the
 * session for real (requireUser / getCurrentUser). The proxy alone is not
 * authorization: a stale or forged cookie passes here and is rejected server-side.
 *
 * It also refuses another site's POST to a page (a forged server action call) with 403 JSON,
 * where Next's own check would answer 500.
 *
 * Webhooks, cron, health, /api/auth and static assets are outside the matcher on purpose.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!pathname.startsWith("/api/") && isCrossOriginPageWrite(request)) {
    return errorResponse("cross_origin", 403, "This request must come from the portal's own pages.");
  }
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
// exactly the protected prefixes in lib/auth/access.ts, plus every page request that carries an
// Origin (browsers send it with POSTs, so server action calls, not page views).
export const config = {
  matcher: [
    "/onboarding/:path*",
    "/channels/:path*",
    "/admin/:path*",
    "/api/sign_io/:path*",
    "/api/onboarding/:path*",
    "/api/channels/:path*",
    "/api/admin/:path*",
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "origin" }] },
  ],
};
