import { ActionForm } from "@/components/admin/action-form";
import type { WebhookEventState } from "@/lib/generated/prisma/enums";
import { retryWebhookEventAction } from "./actions";

const RETRYABLE = new Set<WebhookEventState>(["FAILED", "WAITING_FOR_CHANNEL"]);

/** The retry button, for the events a retry can move. */
export function RetryEventForm({ event }: { event: { id: string; type: string; state: WebhookEventState } }) {
  if (!RETRYABLE.has(event.state)) return null;
  return (
    <ActionForm action={retryWebhookEventAction} fields={{ eventId: event.id }} label="Retry" target={event.type} />
  );
}
