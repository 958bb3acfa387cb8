import "server-only";
import { recordAdminAction, type AdminActor } from "@/lib/admin/record-admin-action";
import { enqueueDueKeys } from "@/lib/channels/enqueue-key-provisioning";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";

export type BindingRequest = {
  id: string;
  hubClientId: string;
  clientName: string | null;
  claimantEmail: string;
  contactEmail: string | null;
  requestedAt: string;
  channels: Array<{ id: string; phoneNumber: string | null; status: string }>;
};

/** Clients waiting for an ADMIN's decision, oldest first: who claimed them and what the Hub says. */
export async function listPendingBindings(db: PrismaClient, limit = 100): Promise<BindingRequest[]> {
  const clients = await db.client.findMany({
    where: { bindingState: "AWAITING_APPROVAL" },
    orderBy: { createdAt: "asc" },
    take: limit,
    include: {
      user: { select: { email: true } },
      channels: { select: { hubId: true, phoneNumber: true, status: true }, orderBy: { hubId: "asc" } },
    },
  });
  return clients.map((client) => ({
    id: client.id,
    hubClientId: client.hubId,
    clientName: client.name,
    claimantEmail: client.user.email,
    contactEmail: client.contactEmail,
    requestedAt: client.createdAt.toISOString(),
    channels: client.channels.map((c) => ({ id: c.hubId, phoneNumber: c.phoneNumber, status: c.status })),
  }));
}

export type BindingDecision = "approve" | "reject";

/**
 * Records an ADMIN's decision on a waiting binding. Only a waiting binding can be decided, so two
 * admins clicking at once, or a stale page, cannot flip a decision already taken.
 */
export async function decideBinding(
  db: PrismaClient,
  input: { clientId: string; decision: BindingDecision; admin: AdminActor; now?: Date },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const decided = await tx.client.updateMany({
      where: { id: input.clientId, bindingState: "AWAITING_APPROVAL" },
      data: {
        bindingState: input.decision === "approve" ? "BOUND" : "REJECTED",
        decidedById: input.admin.id,
        decidedAt: input.now ?? new Date(),
      },
    });
    if (decided.count === 0) {
      throw new AppError("binding_not_waiting", 409, "This connection is not waiting for a decision any more.");
    }
    await recordAdminAction(tx, input.admin, {
      action: input.decision === "approve" ? "binding.approve" : "binding.reject",
      targetType: "client",
      targetId: input.clientId,
    });
    if (input.decision === "approve") {
      const channels = await tx.channel.findMany({ where: { clientId: input.clientId }, select: { id: true } });
      await enqueueDueKeys(
        tx,
        channels.map((channel) => channel.id),
      );
    }
  });
}
