import { errorResponse } from "@/lib/http/error-response";

export const dynamic = "force-dynamic";

/**
 * The ceiling `npm run bench` measures every endpoint against: a route handler that does nothing.
 * It answers only when the benchmark starts the server with BENCH_BARE_ROUTE=on; in any deployment
 * it is a 404 like any unknown path.
 */
function enabled(): boolean {
  return process.env.BENCH_BARE_ROUTE === "on";
}

const notFound = () => errorResponse("not_found", 404, "Not found.");

export function GET() {
  return enabled() ? Response.json({ ok: true }) : notFound();
}

export async function POST(request: Request) {
  if (!enabled()) return notFound();
  // Read like the webhook receiver reads its body, so the comparison is of the same work before it.
  await request.arrayBuffer();
  return Response.json({ received: true });
}
