import { z } from "zod";
import { recordId } from "@/lib/http/record-id";
import { getWebhookEvent } from "@/lib/admin/webhook-events";
import { requireAdminApi } from "@/lib/admin/require-admin-api";
import { getDb } from "@/lib/db";
import { AppError, toErrorResponse } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

const params = z.object({ id: recordId(100) });

/** GET /api/admin/webhook-events/:id: one stored webhook with its payload, secrets masked (ADMIN only). */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  try {
    await requireAdminApi();
    const { id } = params.parse(await context.params);
    const event = await getWebhookEvent(getDb(), id);
    if (!event) throw new AppError("not_found", 404, "No webhook event has this id.");
    return Response.json({ event }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
