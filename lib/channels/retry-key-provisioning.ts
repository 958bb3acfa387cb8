import "server-only";
import { recordAdminAction, type AdminActor } from "@/lib/admin/record-admin-action";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { enqueueKeyRetry } from "./enqueue-key-provisioning";
import { lockChannelForAdmin } from "./lock-channel-for-admin";

/**
 * An admin's "retry provisioning" for a key creation that failed or waits for the client's
 * permission: the key job runs now instead of at its next scheduled try. The job itself decides,
 * with its guard row, whether a creation is due, so a retry can never make a second key.
 */
export async function retryKeyProvisioning(
  db: PrismaClient,
  input: { channelId: string; admin: AdminActor; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.$transaction(async (tx) => {
    const channel = await lockChannelForAdmin(tx, input.channelId);
    if (channel.keyState === "STORED" || channel.keyState === "NONE") {
      throw new AppError(
        "nothing_to_retry",
        409,
        "This number's key is not failed or waiting: there is nothing to retry.",
      );
    }
    await tx.channel.update({ where: { id: channel.id }, data: { keyRetryAt: now } });
    await recordAdminAction(tx, input.admin, {
      action: "channel.retry_key",
      targetType: "channel",
      targetId: channel.id,
      detail: { keyState: channel.keyState },
    });
    await enqueueKeyRetry(tx, channel.id, now);
  });
}
