import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { AppError, toErrorResponse } from "@/lib/http/errors";
import { readSameOriginJson } from "@/lib/http/read-same-origin-json";
import { requireApiUser } from "@/lib/http/require-api-user";
import { issueIoSignature } from "@/lib/onboarding/issue-io-signature";
import { signIoRequestSchema } from "./schema";

export const dynamic = "force-dynamic";

/**
 * POST /api/sign_io: the IO signature and state nonce for the signed-in user's next Connect click.
 * The same unclicked one comes back until the body names it as `spent`.
 */
export async function POST(request: Request) {
  try {
    const user = await requireApiUser();
    const env = getEnv();
    const body = signIoRequestSchema.parse(await readSameOriginJson(request, env.APP_URL));
    if (env.HUB_IO_SIGNATURE === "off") {
      throw new AppError(
        "io_signature_disabled",
        404,
        "IO Signature is switched off for this portal; onboarding works without it.",
      );
    }
    const issued = await issueIoSignature(
      user.id,
      { clientIp: clientIp(request.headers), spentState: body.spent },
      { db: getDb(), partnerId: env.HUB_PARTNER_ID, platformSecret: env.HUB_PLATFORM_SECRET },
    );
    return Response.json(issued, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
