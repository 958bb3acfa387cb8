import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { toErrorResponse } from "@/lib/http/errors";
import { readSameOriginJson } from "@/lib/http/read-same-origin-json";
import { requireApiUser } from "@/lib/http/require-api-user";
import { sendTestMessage } from "@/lib/messages/send-test-message";
import { channelParamsSchema, testMessageSchema } from "./schema";

export const dynamic = "force-dynamic";

/** POST /api/channels/{channelId}/messages: sends a test message through the channel's key. */
export async function POST(request: Request, context: { params: Promise<{ channelId: string }> }) {
  try {
    const user = await requireApiUser();
    const env = getEnv();
    const message = testMessageSchema.parse(await readSameOriginJson(request, env.APP_URL));
    const { channelId } = channelParamsSchema.parse(await context.params);
    const sent = await sendTestMessage(
      { db: getDb(), keyRing: env.ENCRYPTION_KEYS, hubIsLocal: env.HUB_ENV === "local" },
      { userId: user.id, channelHubId: channelId, message },
    );
    return Response.json({ message: sent }, { status: 202, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
