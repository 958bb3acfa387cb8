import { describe, expect, it } from "vitest";
import { daysOf, defaultRange, parseDayRange } from "./range";

const now = new Date("2026-03-31T23:30:00Z");
const fallback = { from: "2026-03-02", to: "2026-03-31" };

describe("parseDayRange", () => {
  it("defaults to the last 30 UTC days, today included, without a notice", () => {
    expect(parseDayRange({}, now)).toEqual({ range: fallback, notice: null });
    expect(daysOf(defaultRange(now))).toHaveLength(30);
  });

  it("takes a valid range as given, a single day and a full leap year included", () => {
    expect(parseDayRange({ from: "2026-02-01", to: "2026-02-28" }, now)).toEqual({
      range: { from: "2026-02-01", to: "2026-02-28" },
      notice: null,
    });
    expect(parseDayRange({ from: "2026-03-05", to: "2026-03-05" }, now).range).toEqual({
      from: "2026-03-05",
      to: "2026-03-05",
    });
    expect(parseDayRange({ from: "2024-01-01", to: "2024-12-31" }, now).notice).toBeNull();
  });

  it.each([
    [{ from: "2026-03-10" }, "to must be YYYY-MM-DD"],
    [{ from: "10/03/2026", to: "2026-03-12" }, "from must be YYYY-MM-DD"],
    [{ from: "2026-03-01", to: "2026-02-30" }, "to is not a calendar day"],
    [{ from: ["2026-03-01", "2026-03-02"], to: "2026-03-12" }, "from must be YYYY-MM-DD"],
    [{ from: "2026-03-12", to: "2026-03-10" }, "the start is after the end"],
    [{ from: "2024-01-01", to: "2025-01-01" }, "at most 366 days"],
  ])("falls back to the default with a notice for %j", (params, reason) => {
    const choice = parseDayRange(params, now);
    expect(choice.range).toEqual(fallback);
    expect(choice.notice).toContain(reason);
    expect(choice.notice).toContain("last 30 days");
  });
});

describe("daysOf", () => {
  it("lists every day across a month end, in order", () => {
    expect(daysOf({ from: "2026-02-27", to: "2026-03-02" })).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
  });
});
