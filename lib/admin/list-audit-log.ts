import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { pageWindow, toPage, type Page } from "./search-params";

export type AuditFilters = { action?: string; actor?: string; page: number };

export type AuditRow = {
  id: string;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string | null;
  detail: Prisma.JsonValue | null;
  createdAt: string;
};

/** The audit log, newest first, by exact action and by part of the actor's email. */
export async function listAuditLog(db: PrismaClient, filters: AuditFilters): Promise<Page<AuditRow>> {
  const where: Prisma.AuditLogWhereInput = {
    action: filters.action,
    actorEmail: filters.actor ? { contains: filters.actor, mode: "insensitive" } : undefined,
  };
  const [entries, total] = await db.$transaction([
    db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...pageWindow(filters.page),
      select: {
        id: true,
        actorEmail: true,
        action: true,
        targetType: true,
        targetId: true,
        detail: true,
        createdAt: true,
      },
    }),
    db.auditLog.count({ where }),
  ]);
  return toPage(
    entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
    total,
    filters.page,
  );
}

/** Every action the log holds, for the action filter. */
export async function listAuditActions(db: PrismaClient): Promise<string[]> {
  const actions = await db.auditLog.findMany({
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return actions.map((row) => row.action);
}
