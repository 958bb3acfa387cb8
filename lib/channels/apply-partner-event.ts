import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PartnerEvent } from "@/lib/hub/partner-webhook";
import { addTimelineEntry, applyStatusReport, lockChannel } from "./apply-status";

const STAGE_OF_EVENT = {
  channel_created: "CREATED",
  channel_submitted: "SUBMITTED",
  channel_ready: "READY",
  channel_running: "RUNNING",
  channel_live: "LIVE",
} as const;

export type ApplyOutcome = "applied" | "unchanged" | "waiting_for_channel" | "ignored";

/**
 * A partner webhook applied to the channel it is about, through the same state machine as the
 * redirect. An event for a channel the portal has not stored yet waits for the redirect that
 * stores it. `dedupeKey` is the event's, so applying it twice changes nothing.
 */
export async function applyPartnerEvent(
  tx: Prisma.TransactionClient,
  event: PartnerEvent,
  origin: { dedupeKey: string; occurredAt: Date },
): Promise<ApplyOutcome> {
  if (event.type === "unknown" || event.type === "client_created") return "ignored";
  const where = event.channel
    ? { hubId: event.channel.hubId }
    : event.phoneNumber
      ? { phoneNumber: event.phoneNumber }
      : null;
  if (!where) return "ignored";
  const channel = await lockChannel(tx, where);
  if (!channel) return "waiting_for_channel";
  const report = {
    source: "webhook" as const,
    dedupeKey: `webhook:${origin.dedupeKey}`,
    occurredAt: origin.occurredAt,
  };

  // Every report goes on the timeline, in its own words; the current values come from the newest
  // report by the Hub's clock, so any order of delivery ends in the same channel.
  if (event.type === "account_restriction" || event.type === "account_violation") {
    const restriction = `${event.name}: ${event.detail ?? event.name}`;
    if (!isOlder(event.reportedAt, channel.restrictionReportedAt)) {
      await tx.channel.update({
        where: { id: channel.id },
        data: { restriction, restrictionReportedAt: event.reportedAt ?? channel.restrictionReportedAt },
      });
    }
    await addTimelineEntry(tx, channel.id, report, { kind: "restriction", detail: restriction });
    return "applied";
  }
  if (event.type === "quality_changed") {
    const limit = event.channel?.messagingLimit ?? null;
    const quality = event.channel?.qualityRating ?? null;
    if (!isOlder(event.reportedAt, channel.limitReportedAt)) {
      await tx.channel.update({
        where: { id: channel.id },
        data: {
          messagingLimit: limit ?? channel.messagingLimit,
          qualityRating: quality ?? channel.qualityRating,
          limitReportedAt: event.reportedAt ?? channel.limitReportedAt,
        },
      });
    }
    const detail = [limit && `limit ${limit}`, quality && `quality ${quality}`].filter(Boolean).join(", ");
    await addTimelineEntry(tx, channel.id, report, { kind: "quality", detail: detail || null });
    return "applied";
  }

  const reported = event.channel;
  if (reported?.phoneNumber && !channel.phoneNumber) {
    await tx.channel.update({ where: { id: channel.id }, data: { phoneNumber: reported.phoneNumber } });
  }
  if (reported?.messagingLimit && !isOlder(event.reportedAt, channel.limitReportedAt)) {
    await tx.channel.update({
      where: { id: channel.id },
      data: { messagingLimit: reported.messagingLimit, limitReportedAt: event.reportedAt ?? channel.limitReportedAt },
    });
  }
  const stage = event.type === "channel_status" ? undefined : STAGE_OF_EVENT[event.type];
  const changed = await applyStatusReport(tx, channel, { ...report, rawStatus: reported?.status ?? null, stage });
  return changed ? "applied" : "unchanged";
}

/** Whether a report is older than the one already applied; one without a time cannot be ordered. */
function isOlder(reportedAt: Date | null, appliedAt: Date | null): boolean {
  return reportedAt !== null && appliedAt !== null && reportedAt < appliedAt;
}
