import { getDb } from "@/lib/db";
import { checkDatabase } from "@/lib/health/check-database";

export const dynamic = "force-dynamic";

/** GET /api/health: liveness plus a real database round trip, never cached. */
export async function GET() {
  const db = await checkDatabase(getDb());
  const body = db === "ok" ? { status: "ok", db } : { status: "degraded", db };
  return Response.json(body, { status: db === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
