import { z } from "zod";

export type MessageStatusReport = {
  messageId: string;
  status: string;
  timestamp: Date | null;
  errorTitle: string | null;
};

export type MessagingWebhook = {
  statuses: MessageStatusReport[];
  /** Ids of messages the customer sent; only counted, the portal does not answer them. */
  inboundMessageIds: string[];
};

const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]).optional(),
  errors: z.array(z.looseObject({ title: z.string().optional(), code: z.number().optional() })).optional(),
});

const valueSchema = z.looseObject({
  statuses: z.array(z.unknown()).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1) })).optional(),
});

const envelopeSchema = z.looseObject({
  entry: z.array(
    z.looseObject({ changes: z.array(z.looseObject({ field: z.string().optional(), value: valueSchema })) }),
  ),
});

/**
 * A messaging webhook as 360dialog's v2 API forwards it: Meta's Cloud API envelope
 * (`entry[].changes[].value.statuses[]`). Status items that do not parse are skipped one by one,
 * so a new field or status never drops the others. Null for a body that is not that envelope.
 */
export function parseMessagingWebhook(body: unknown): MessagingWebhook | null {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return null;
  const statuses: MessageStatusReport[] = [];
  const inboundMessageIds: string[] = [];
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      for (const item of change.value.statuses ?? []) {
        const parsed = statusSchema.safeParse(item);
        if (!parsed.success) continue;
        statuses.push({
          messageId: parsed.data.id,
          status: parsed.data.status.toLowerCase(),
          timestamp: instantOf(parsed.data.timestamp),
          errorTitle: parsed.data.errors?.[0]?.title ?? null,
        });
      }
      for (const message of change.value.messages ?? []) inboundMessageIds.push(message.id);
    }
  }
  return { statuses, inboundMessageIds };
}

/** UNIX seconds as the Cloud API sends them; anything that is no real instant is no timestamp. */
function instantOf(value: string | number | undefined): Date | null {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  const at = new Date(seconds * 1000);
  return Number.isNaN(at.getTime()) ? null : at;
}
