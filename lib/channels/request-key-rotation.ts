import "server-only";
import { recordAdminAction, type AdminActor } from "@/lib/admin/record-admin-action";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { lockChannelForAdmin } from "./lock-channel-for-admin";
import { enqueueKeyRetry } from "./enqueue-key-provisioning";

/**
 * An admin's "rotate the key": the key job creates a new key at the Hub (which revokes the old
 * one), stores it, destroys the old ciphertext and sets the messaging webhook again. Only a channel
 * with a stored key that may still be keyed can rotate; asking twice queues one rotation.
 */
export async function requestKeyRotation(
  db: PrismaClient,
  input: { channelId: string; admin: AdminActor; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.$transaction(async (tx) => {
    const channel = await lockChannelForAdmin(tx, input.channelId);
    const liveKey = await tx.apiKey.findUnique({ where: { liveChannelId: channel.id }, select: { id: true } });
    if (!liveKey) throw new AppError("channel_has_no_key", 409, "This number has no stored key to rotate.");
    if (channel.access !== "GRANTED" || channel.client.bindingState !== "BOUND") {
      throw new AppError("channel_not_keyable", 409, "The partner may not create keys for this number any more.");
    }
    await tx.channel.update({
      where: { id: channel.id },
      data: { keyRotationRequestedAt: now, keyState: "PROVISIONING", keyError: null, keyRetryAt: null },
    });
    await recordAdminAction(tx, input.admin, {
      action: "channel.rotate_key",
      targetType: "channel",
      targetId: channel.id,
    });
    await enqueueKeyRetry(tx, channel.id, now);
  });
}
