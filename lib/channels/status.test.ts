import { describe, expect, it } from "vitest";
import { channelStatusFromHub, isForwardTransition, isProblemStatus, isSettledChannel } from "./status";

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

  it("never goes backwards, and reads revoked and restricted as no stage at all", () => {
    expect(isForwardTransition("CREATED", "RUNNING")).toBe(true);
    expect(isForwardTransition("RUNNING", "READY")).toBe(false);
    expect(isForwardTransition("LIVE", "LIVE")).toBe(false);
    expect(["revoked", "restricted"].map(channelStatusFromHub)).toEqual(["PENDING", "PENDING"]);
  });

  it("settles when live with its key, when access is gone, or when a person must act", () => {
    const base = { status: "LIVE" as const, access: "GRANTED" as const, keyRetryAt: null, bound: true };
    expect(isSettledChannel({ ...base, keyState: "STORED" })).toBe(true);
    expect(isSettledChannel({ ...base, keyState: "PROVISIONING" })).toBe(false);
    expect(isSettledChannel({ ...base, keyState: "FAILED", keyRetryAt: new Date() })).toBe(false);
    expect(isSettledChannel({ ...base, keyState: "AWAITING_PERMISSION" })).toBe(true);
    expect(isSettledChannel({ ...base, status: "RUNNING", keyState: "STORED" })).toBe(false);
    expect(isSettledChannel({ ...base, status: "RUNNING", keyState: "NONE", access: "REMOVED" })).toBe(true);
    expect(isSettledChannel({ ...base, status: "CREATED", keyState: "NONE", bound: false })).toBe(true);
  });
});
