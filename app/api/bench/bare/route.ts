import { timingSafeEqual } from "node:crypto";
import { errorResponse } from "@/lib/http/error-response";
import { readRawBody } from "@/lib/http/read-raw-body";

export const dynamic = "force-dynamic";

// As much as the webhook receiver reads: the comparison is of the same work before the handler's own.
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * The ceiling `npm run bench` measures every endpoint against: a route handler that does nothing.
 * It answers only requests carrying the random token the benchmark started the server with
 * (BENCH_BARE_ROUTE); anywhere else, and to anyone else, it is a 404 like any unknown path.
 */
function enabled(request: Request): boolean {
  const token = process.env.BENCH_BARE_ROUTE;
  const presented = request.headers.get("x-bench-token");
  if (!token || token.length < 16 || !presented || presented.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(token));
}

const notFound = () => errorResponse("not_found", 404, "Not found.");

export function GET(request: Request) {
  return enabled(request) ? Response.json({ ok: true }) : notFound();
}

export async function POST(request: Request) {
  if (!enabled(request)) return notFound();
  await readRawBody(request, BODY_LIMIT_BYTES);
  return Response.json({ received: true });
}
