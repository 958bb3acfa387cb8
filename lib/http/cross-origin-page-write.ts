/**
 * True for a state-changing request to a page path (a server action is a POST to its page) whose
 * Origin is not the host it was sent to. Next refuses such an action itself, but with a 500; the
 * proxy answers first with the 403 JSON every other cross-origin write gets. The rule is Next's
 * own (Origin's host against `x-forwarded-host`, else `host`), so nothing Next accepts is refused.
 */
export function isCrossOriginPageWrite(request: { method: string; headers: Headers }): boolean {
  if (request.method === "GET" || request.method === "HEAD") return false;
  const origin = request.headers.get("origin");
  // Browsers send Origin with every POST; a request without it is not a cross-site browser's.
  if (origin === null) return false;
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: no origin this portal serves.
    return true;
  }
}
