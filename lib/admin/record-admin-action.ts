import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

export type AdminActor = { id: string; email: string };

export type AdminAction = {
  /** A closed vocabulary would drift from the console's actions; a dotted verb reads well in the log. */
  action: string;
  targetType: "client" | "channel" | "webhook_event" | "job" | "partner_settings";
  targetId?: string | null;
  detail?: Prisma.InputJsonValue;
};

/**
 * Appends one line to the audit log. Call it inside the transaction that makes the change, so the
 * log holds exactly the actions that happened. Never pass secrets in `detail`.
 */
export async function recordAdminAction(db: Db, actor: AdminActor, entry: AdminAction): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      detail: entry.detail,
    },
  });
}
