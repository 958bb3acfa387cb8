import type { ChannelStatus, KeyState } from "@/lib/generated/prisma/enums";

// The life of a channel, in order. Revoked and restricted sit outside the line.
const LIFECYCLE: ChannelStatus[] = ["PENDING", "CREATED", "SUBMITTED", "READY", "RUNNING", "LIVE"];

const FROM_HUB: Record<string, ChannelStatus> = {
  pending: "PENDING",
  created: "CREATED",
  submitted: "SUBMITTED",
  ready: "READY",
  running: "RUNNING",
  live: "LIVE",
  restricted: "RESTRICTED",
  revoked: "REVOKED",
};

/** Maps the Hub's status spelling to ours; anything unknown counts as still pending. */
export function channelStatusFromHub(value: string | null | undefined): ChannelStatus {
  return (value && FROM_HUB[value.trim().toLowerCase()]) || "PENDING";
}

/** Events arrive late and out of order: a channel only ever moves forward along its life. */
export function isForwardTransition(from: ChannelStatus, to: ChannelStatus): boolean {
  if (from === to) return false;
  if (from === "REVOKED") return false;
  if (to === "REVOKED" || to === "RESTRICTED") return true;
  if (from === "RESTRICTED") return to === "LIVE" || to === "RUNNING";
  return LIFECYCLE.indexOf(to) > LIFECYCLE.indexOf(from);
}

/** Statuses after which nothing moves without an outside event. */
export function isSettledStatus(status: ChannelStatus): boolean {
  return status === "LIVE" || status === "REVOKED" || status === "RESTRICTED";
}

/** A channel whose status has settled and whose API key is not being provisioned: the UI stops polling then. */
export function isSettledChannel(channel: { status: ChannelStatus; keyState: KeyState }): boolean {
  return isSettledStatus(channel.status) && channel.keyState !== "PROVISIONING";
}
