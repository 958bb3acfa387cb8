import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ChannelStatus } from "@/lib/generated/prisma/enums";
import { enqueueDueKeys } from "./enqueue-key-provisioning";
import { channelStatusFromHub, isForwardTransition, isProblemStatus } from "./status";

export type LockedChannel = NonNullable<Awaited<ReturnType<typeof lockChannel>>>;

/**
 * Reads a channel with its row locked until the transaction ends, so concurrent reports about
 * the same channel (popup and page, two webhook deliveries, reconciliation) apply in turn.
 */
export async function lockChannel(tx: Prisma.TransactionClient, where: { hubId: string } | { phoneNumber: string }) {
  if ("hubId" in where) {
    await tx.$executeRaw`SELECT 1 FROM "Channel" WHERE "hubId" = ${where.hubId} FOR UPDATE`;
    return tx.channel.findUnique({ where: { hubId: where.hubId } });
  }
  await tx.$executeRaw`SELECT 1 FROM "Channel" WHERE "phoneNumber" = ${where.phoneNumber} FOR UPDATE`;
  return tx.channel.findFirst({ where: { phoneNumber: where.phoneNumber }, orderBy: { createdAt: "desc" } });
}

/**
 * The channel with what decides about its key (its client's binding, a creation guard), its row
 * locked until the transaction ends: the key job and the console's key actions take it in turn.
 */
export async function lockChannelForKey(tx: Prisma.TransactionClient, channelId: string) {
  await tx.$executeRaw`SELECT 1 FROM "Channel" WHERE "id" = ${channelId} FOR UPDATE`;
  return tx.channel.findUnique({
    where: { id: channelId },
    include: { client: { select: { bindingState: true } }, keyGuard: true },
  });
}

export type StatusReport = {
  /** The Hub's own word, when it gave one. */
  rawStatus: string | null;
  /** The stage an event's name implies (`channel_running`), when the word alone does not say. */
  stage?: ChannelStatus;
  source: "redirect" | "webhook" | "reconciliation" | "key_pipeline" | "admin";
  /** Derived from the report itself, never the clock: the same report twice is one change. */
  dedupeKey: string;
  occurredAt: Date;
};

/**
 * The one way a channel's status changes, whoever reports it. The stage only moves forward, so
 * repeated and reordered reports end in the same state. Every report that names a stage goes on the timeline, also a late
 * one that moves nothing (it still happened), so the timeline too is the same in any order. A
 * problem word (`error`, `certificate_declined`) is kept as the raw status and put on the timeline
 * without moving the stage. Returns whether the channel changed.
 */
export async function applyStatusReport(
  tx: Prisma.TransactionClient,
  channel: LockedChannel,
  report: StatusReport,
): Promise<boolean> {
  const named = channelStatusFromHub(report.rawStatus);
  const reported = named === "PENDING" && report.stage ? report.stage : named;
  if (reported !== "PENDING") await addTimelineEntry(tx, channel.id, report, { kind: "status", toStatus: reported });
  if (isForwardTransition(channel.status, reported)) {
    await tx.channel.update({
      where: { id: channel.id },
      data: {
        status: reported,
        rawStatus: report.rawStatus ?? reported.toLowerCase(),
        ...(report.source === "webhook" ? {} : { verifiedAt: report.occurredAt }),
      },
    });
    // Running is when 360dialog allows a key: queued with this change, so it exists if this commits.
    await enqueueDueKeys(tx, [channel.id]);
    return true;
  }
  if (isProblemStatus(report.rawStatus) && channel.rawStatus !== report.rawStatus) {
    await tx.channel.update({ where: { id: channel.id }, data: { rawStatus: report.rawStatus } });
    await addTimelineEntry(tx, channel.id, report, { kind: "problem", detail: report.rawStatus });
    return true;
  }
  return false;
}

/** A timeline entry, once per dedupe key. */
export async function addTimelineEntry(
  tx: Prisma.TransactionClient,
  channelId: string,
  report: Pick<StatusReport, "source" | "dedupeKey" | "occurredAt">,
  entry: { kind: string; toStatus?: ChannelStatus; detail?: string | null },
): Promise<void> {
  await tx.channelEvent.createMany({
    data: [{ channelId, ...entry, source: report.source, dedupeKey: report.dedupeKey, occurredAt: report.occurredAt }],
    skipDuplicates: true,
  });
}
