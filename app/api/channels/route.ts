import { listUserChannels } from "@/lib/channels/list-user-channels";
import { getDb } from "@/lib/db";
import { toErrorResponse } from "@/lib/http/errors";
import { requireApiUser } from "@/lib/http/require-api-user";

export const dynamic = "force-dynamic";

/** GET /api/channels: the signed-in user's channels with status, limit, key state and timeline. */
export async function GET() {
  try {
    const user = await requireApiUser();
    const channels = await listUserChannels(getDb(), user.id);
    return Response.json({ channels }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
