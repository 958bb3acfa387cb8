import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { WebhookEventState, WebhookSource } from "@/lib/generated/prisma/enums";
import { maskSecrets } from "./mask-secrets";
import { pageWindow, toPage, type Page } from "./search-params";

export type WebhookEventFilters = {
  type?: string;
  state?: WebhookEventState;
  source?: WebhookSource;
  channel?: string;
  page: number;
};

export type WebhookEventRow = {
  id: string;
  source: WebhookSource;
  type: string;
  channelHubId: string | null;
  state: WebhookEventState;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
};

export type WebhookEventDetail = WebhookEventRow & { dedupeKey: string; payload: unknown };

const rowSelect = {
  id: true,
  source: true,
  type: true,
  channelHubId: true,
  state: true,
  attempts: true,
  lastError: true,
  receivedAt: true,
  processedAt: true,
} satisfies Prisma.WebhookEventSelect;

function toRow(event: Prisma.WebhookEventGetPayload<{ select: typeof rowSelect }>): WebhookEventRow {
  return {
    ...event,
    receivedAt: event.receivedAt.toISOString(),
    processedAt: event.processedAt?.toISOString() ?? null,
  };
}

/** Stored webhooks, newest first, filtered by exact type, state, source and channel hub id. */
export async function listWebhookEvents(
  db: PrismaClient,
  filters: WebhookEventFilters,
): Promise<Page<WebhookEventRow>> {
  const where: Prisma.WebhookEventWhereInput = {
    type: filters.type,
    state: filters.state,
    source: filters.source,
    channelHubId: filters.channel,
  };
  const [events, total] = await db.$transaction([
    db.webhookEvent.findMany({
      where,
      orderBy: [{ receivedAt: "desc" }, { id: "asc" }],
      ...pageWindow(filters.page),
      select: rowSelect,
    }),
    db.webhookEvent.count({ where }),
  ]);
  return toPage(events.map(toRow), total, filters.page);
}

/** Every event type the portal has stored, for the type filter. */
export async function listWebhookEventTypes(db: PrismaClient): Promise<string[]> {
  const types = await db.webhookEvent.findMany({
    distinct: ["type"],
    select: { type: true },
    orderBy: { type: "asc" },
  });
  return types.map((row) => row.type);
}

/** One stored webhook with its payload as received, every secret in it masked. */
export async function getWebhookEvent(db: PrismaClient, id: string): Promise<WebhookEventDetail | null> {
  const event = await db.webhookEvent.findUnique({
    where: { id },
    select: { ...rowSelect, dedupeKey: true, payload: true },
  });
  if (!event) return null;
  const { dedupeKey, payload, ...row } = event;
  return { ...toRow(row), dedupeKey, payload: maskSecrets(payload) };
}
