import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { BindingState } from "@/lib/generated/prisma/enums";
import { pageWindow, toPage, type Page } from "./search-params";

export type ClientFilters = { q?: string; binding?: BindingState; page: number };

export type ClientRow = {
  id: string;
  hubId: string;
  name: string | null;
  ownerEmail: string;
  contactEmail: string | null;
  bindingState: BindingState;
  channelCount: number;
  // Admins see the full numbers: they are the partner's own records.
  numbers: string[];
  createdAt: string;
};

function clientWhere({ q, binding }: ClientFilters): Prisma.ClientWhereInput {
  const contains = (value: string) => ({ contains: value, mode: "insensitive" as const });
  return {
    bindingState: binding,
    OR: q
      ? [{ hubId: contains(q) }, { name: contains(q) }, { contactEmail: contains(q) }, { user: { email: contains(q) } }]
      : undefined,
  };
}

/** Clients for the console, newest first, searched by hub id, name, owner or contact email. */
export async function listClients(db: PrismaClient, filters: ClientFilters): Promise<Page<ClientRow>> {
  const where = clientWhere(filters);
  const [clients, total] = await db.$transaction([
    db.client.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...pageWindow(filters.page),
      include: {
        user: { select: { email: true } },
        channels: { select: { phoneNumber: true }, orderBy: { hubId: "asc" } },
      },
    }),
    db.client.count({ where }),
  ]);
  const rows = clients.map((client) => ({
    id: client.id,
    hubId: client.hubId,
    name: client.name,
    ownerEmail: client.user.email,
    contactEmail: client.contactEmail,
    bindingState: client.bindingState,
    channelCount: client.channels.length,
    numbers: client.channels.flatMap((channel) => (channel.phoneNumber ? [channel.phoneNumber] : [])),
    createdAt: client.createdAt.toISOString(),
  }));
  return toPage(rows, total, filters.page);
}
