import { z } from "zod";
import type { MessageStatusReport } from "@/lib/hub/messaging-webhook";

/**
 * What the portal keeps of a messaging webhook: the statuses of its own messages and nothing else.
 * The Cloud API body also names the recipient's full number, and for inbound messages the
 * customer's name and words; none of that is the portal's to store.
 */
const storedStatusesSchema = z.object({
  statuses: z.array(
    z.object({
      messageId: z.string(),
      status: z.string(),
      at: z.string().nullable(),
      errorTitle: z.string().nullable(),
    }),
  ),
});

export type StoredStatuses = z.infer<typeof storedStatusesSchema>;

export function toStoredStatuses(reports: MessageStatusReport[]): StoredStatuses {
  return {
    statuses: reports.map((report) => ({
      messageId: report.messageId,
      status: report.status,
      at: report.timestamp?.toISOString() ?? null,
      errorTitle: report.errorTitle,
    })),
  };
}

export function fromStoredStatuses(payload: unknown): MessageStatusReport[] {
  const parsed = storedStatusesSchema.safeParse(payload);
  if (!parsed.success) return [];
  return parsed.data.statuses.map((status) => ({
    messageId: status.messageId,
    status: status.status,
    timestamp: status.at ? new Date(status.at) : null,
    errorTitle: status.errorTitle,
  }));
}
