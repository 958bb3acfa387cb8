import "server-only";
import { recordAdminAction, type AdminActor } from "@/lib/admin/record-admin-action";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PartnerApi } from "@/lib/hub";
import { AppError } from "@/lib/http/errors";
import { applyStatusReport, lockChannel } from "./apply-status";
import { enqueueDueKeys } from "./enqueue-key-provisioning";

/**
 * An admin's "re-sync from the Partner API": reads the channel as 360dialog has it now and applies
 * it through the state machine, like the reconciliation does for unfinished channels, then queues
 * a key if that made one due. Returns whether the channel changed.
 */
export async function resyncChannel(
  deps: { db: PrismaClient; partnerApi: PartnerApi; now?: () => Date },
  input: { channelId: string; admin: AdminActor },
): Promise<{ changed: boolean }> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const stored = await db.channel.findUnique({ where: { id: input.channelId }, select: { id: true, hubId: true } });
  if (!stored) throw new AppError("channel_not_found", 404, "There is no such channel.");
  const reported = await deps.partnerApi.findChannel(stored.hubId);
  if (!reported)
    throw new AppError("channel_unknown_at_hub", 409, "360dialog does not list this number for the partner.");
  return db.$transaction(async (tx) => {
    const channel = await lockChannel(tx, { hubId: stored.hubId });
    if (!channel) throw new AppError("channel_not_found", 404, "There is no such channel.");
    const changed = await applyStatusReport(tx, channel, {
      rawStatus: reported.status,
      source: "admin",
      dedupeKey: `reconciliation:${stored.hubId}:${reported.status ?? "none"}`,
      occurredAt: now,
    });
    await tx.channel.update({ where: { id: stored.id }, data: { verifiedAt: now } });
    await recordAdminAction(tx, input.admin, {
      action: "channel.resync",
      targetType: "channel",
      targetId: stored.id,
      detail: { reportedStatus: reported.status, changed },
    });
    await enqueueDueKeys(tx, [stored.id]);
    return { changed };
  });
}
