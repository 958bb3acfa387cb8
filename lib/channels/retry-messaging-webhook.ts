import "server-only";
import { recordAdminAction, type AdminActor } from "@/lib/admin/record-admin-action";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { enqueueMessagingWebhook } from "./enqueue-messaging-webhook";
import { lockChannelForAdmin } from "./lock-channel-for-admin";

/** An admin's "set the messaging webhook again", e.g. after fixing MESSAGING_WEBHOOK_URL. */
export async function retryMessagingWebhook(
  db: PrismaClient,
  input: { channelId: string; admin: AdminActor },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const channel = await lockChannelForAdmin(tx, input.channelId);
    const liveKey = await tx.apiKey.findUnique({ where: { liveChannelId: channel.id }, select: { id: true } });
    if (!liveKey)
      throw new AppError(
        "channel_has_no_key",
        409,
        "The messaging webhook is set with the number's key, and it has none.",
      );
    await tx.channel.update({
      where: { id: channel.id },
      data: { messagingWebhookState: "PENDING", messagingWebhookError: null },
    });
    await recordAdminAction(tx, input.admin, {
      action: "channel.set_messaging_webhook",
      targetType: "channel",
      targetId: channel.id,
    });
    await enqueueMessagingWebhook(tx, channel.id);
  });
}
