import { describe, expect, it } from "vitest";
import type { ChannelStatus } from "@/lib/generated/prisma/enums";
import { channelStatusFromHub, isForwardTransition, isProblemStatus, isSettledStatus } from "./status";

describe("channel status", () => {
  it("maps Hub spellings and treats unknown ones as pending", () => {
    expect(channelStatusFromHub("Running")).toBe("RUNNING");
    expect(channelStatusFromHub("live")).toBe("LIVE");
    expect(channelStatusFromHub("something_new")).toBe("PENDING");
    expect(channelStatusFromHub(null)).toBe("PENDING");
  });

  it("reads 360dialog's wider vocabulary: stages, words in progress, and problems", () => {
    expect(channelStatusFromHub("unverified")).toBe("CREATED");
    expect(channelStatusFromHub("verified")).toBe("VERIFIED");
    expect(["modified", "imported", "consents_signed", "porting_ready"].map(channelStatusFromHub)).toEqual(
      Array(4).fill("PENDING"),
    );
    expect(["error", "certificate_declined", "running", null].map(isProblemStatus)).toEqual([true, true, false, false]);
    expect(isForwardTransition("CREATED", "VERIFIED")).toBe(true);
    expect(isForwardTransition("READY", "VERIFIED")).toBe(false);
  });

  it("never goes backwards and never leaves revoked", () => {
    expect(isForwardTransition("CREATED", "RUNNING")).toBe(true);
    expect(isForwardTransition("RUNNING", "READY")).toBe(false);
    expect(isForwardTransition("LIVE", "LIVE")).toBe(false);
    expect(isForwardTransition("LIVE", "REVOKED")).toBe(true);
    expect(isForwardTransition("REVOKED", "LIVE")).toBe(false);
  });

  it("considers live, revoked and restricted settled", () => {
    const settled: ChannelStatus[] = ["LIVE", "REVOKED", "RESTRICTED"];
    const moving: ChannelStatus[] = ["PENDING", "CREATED", "SUBMITTED", "READY", "RUNNING"];
    expect(settled.filter(isSettledStatus)).toEqual(settled);
    expect(moving.filter(isSettledStatus)).toEqual([]);
  });
});
