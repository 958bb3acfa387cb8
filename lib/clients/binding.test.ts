import { describe, expect, it } from "vitest";
import { bindingView, emailProvesOwnership, maskPhoneNumber } from "./binding";

const verified = new Date("2026-11-30T00:00:00Z");

describe("emailProvesOwnership", () => {
  it("holds when the Hub's contact email equals the verified sign-in email, trimmed and in any case", () => {
    expect(emailProvesOwnership({ email: "owner@example.com", emailVerified: verified }, " Owner@Example.COM ")).toBe(
      true,
    );
  });

  it.each([
    ["another email", { email: "owner@example.com", emailVerified: verified }, "someone@example.com"],
    ["an unverified sign-in email", { email: "owner@example.com", emailVerified: null }, "owner@example.com"],
    ["no contact email at the Hub", { email: "owner@example.com", emailVerified: verified }, null],
    ["a look-alike domain", { email: "owner@example.com", emailVerified: verified }, "owner@example.com.evil"],
  ])("fails with %s", (_label, user, contact) => {
    expect(emailProvesOwnership(user, contact)).toBe(false);
  });
});

describe("binding presentation", () => {
  it("names each state and masks all but the last four digits", () => {
    expect([bindingView("BOUND"), bindingView("AWAITING_APPROVAL"), bindingView("REJECTED")]).toEqual([
      "bound",
      "awaiting_approval",
      "rejected",
    ]);
    expect(maskPhoneNumber("+15550001234")).toBe("•••• 1234");
    expect(maskPhoneNumber(null)).toBeNull();
  });
});
