import type { ChannelStatus, KeyState } from "@/lib/generated/prisma/enums";

// The life of a channel, in order. Revoked and restricted sit outside the line.
const LIFECYCLE: ChannelStatus[] = ["PENDING", "CREATED", "VERIFIED", "SUBMITTED", "READY", "RUNNING", "LIVE"];

// 360dialog's status words that name a stage. Its vocabulary is larger (modified, imported,
// consents_signed, porting_ready, migration states, ...): those say "still in progress" and move
// nothing. `revoked` and `restricted` are the sandbox's older words, kept until access is its own field.
const FROM_HUB: Record<string, ChannelStatus> = {
  pending: "PENDING",
  created: "CREATED",
  unverified: "CREATED",
  verified: "VERIFIED",
  submitted: "SUBMITTED",
  ready: "READY",
  running: "RUNNING",
  live: "LIVE",
  restricted: "RESTRICTED",
  revoked: "REVOKED",
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

/**
 * A channel with nothing more to wait for: settled, and its key stored or not coming without a
 * person (the client's permission, an admin's approval, a refused creation). The UI stops polling then.
 */
export function isSettledChannel(channel: {
  status: ChannelStatus;
  keyState: KeyState;
  keyRetryAt: Date | null;
  bound: boolean;
}): boolean {
  if (!isSettledStatus(channel.status)) return false;
  if (channel.status !== "LIVE" || !channel.bound) return true;
  if (channel.keyState === "PROVISIONING" || channel.keyState === "NONE") return false;
  return !(channel.keyState === "FAILED" && channel.keyRetryAt);
}
