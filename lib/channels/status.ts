import type { ChannelAccess, ChannelStatus, KeyState } from "@/lib/generated/prisma/enums";

// The life of a channel, in order.
const LIFECYCLE: ChannelStatus[] = ["PENDING", "CREATED", "VERIFIED", "SUBMITTED", "READY", "RUNNING", "LIVE"];

// 360dialog's status words that name a stage. Its vocabulary is larger (modified, imported,
// consents_signed, porting_ready, migration states, ...): those say "still in progress" and move
// nothing.
const FROM_HUB: Record<string, ChannelStatus> = {
  pending: "PENDING",
  created: "CREATED",
  unverified: "CREATED",
  verified: "VERIFIED",
  submitted: "SUBMITTED",
  ready: "READY",
  running: "RUNNING",
  live: "LIVE",
};

const PROBLEM = /error|declined|rejected|failed|banned|disabled/;

/** Maps the Hub's status word to our stage; anything that names no stage counts as still pending. */
export function channelStatusFromHub(value: string | null | undefined): ChannelStatus {
  return (value && FROM_HUB[value.trim().toLowerCase()]) || "PENDING";
}

/** Whether the Hub's status word describes a problem to show (`error`, `certificate_declined`, ...). */
export function isProblemStatus(value: string | null | undefined): boolean {
  return Boolean(value && PROBLEM.test(value.trim().toLowerCase()));
}

/** Events arrive late and out of order: a channel only ever moves forward along its life. */
export function isForwardTransition(from: ChannelStatus, to: ChannelStatus): boolean {
  return LIFECYCLE.indexOf(to) > LIFECYCLE.indexOf(from);
}

/**
 * A channel with nothing more to wait for: live, or no longer the partner's, and its key stored or
 * not coming without a person (the client's permission, an admin's approval, a refused creation).
 * The UI stops polling then.
 */
export function isSettledChannel(channel: {
  status: ChannelStatus;
  access: ChannelAccess;
  keyState: KeyState;
  keyRetryAt: Date | null;
  bound: boolean;
}): boolean {
  if (channel.access === "REMOVED" || !channel.bound) return true;
  if (channel.status !== "LIVE") return false;
  if (channel.keyState === "PROVISIONING" || channel.keyState === "NONE") return false;
  return !(channel.keyState === "FAILED" && channel.keyRetryAt);
}
