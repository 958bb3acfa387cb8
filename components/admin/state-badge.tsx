import { Badge, type BadgeTone } from "@/components/ui/badge";

// One reading of every console state word, whichever enum it comes from.
const TONES: Record<string, BadgeTone> = {
  BOUND: "success",
  AWAITING_APPROVAL: "warning",
  REJECTED: "danger",
  GRANTED: "success",
  REMOVED: "danger",
  LIVE: "success",
  RUNNING: "success",
  STORED: "success",
  SET: "success",
  PROCESSED: "success",
  DELIVERED: "success",
  READ: "success",
  PROVISIONING: "info",
  PENDING: "info",
  SENDING: "info",
  AWAITING_PERMISSION: "warning",
  WAITING_FOR_CHANNEL: "warning",
  FAILED: "danger",
};

export function StateBadge({ value }: { value: string }) {
  return <Badge tone={TONES[value] ?? "neutral"}>{value.toLowerCase().replaceAll("_", " ")}</Badge>;
}
