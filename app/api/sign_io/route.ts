import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError, toErrorResponse } from "@/lib/http/errors";
import { requireApiUser } from "@/lib/http/require-api-user";
import { issueIoSignature } from "@/lib/onboarding/issue-io-signature";

export const dynamic = "force-dynamic";

/** POST /api/sign_io: a fresh, single-use IO signature and state nonce for the signed-in user. */
export async function POST() {
  try {
    const user = await requireApiUser();
    const env = getEnv();
    if (env.HUB_IO_SIGNATURE === "off") {
      throw new AppError(
        "io_signature_disabled",
        404,
        "IO Signature is switched off for this portal; onboarding works without it.",
      );
    }
    const issued = await issueIoSignature(user.id, {
      db: getDb(),
      partnerId: env.HUB_PARTNER_ID,
      platformSecret: env.HUB_PLATFORM_SECRET,
    });
    return Response.json(issued, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
