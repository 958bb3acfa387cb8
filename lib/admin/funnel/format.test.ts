import { describe, expect, it } from "vitest";
import { formatDuration, formatPercent } from "./format";

describe("formatDuration", () => {
  it("keeps the two largest units and drops empty ones", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(400)).toBe("under 1 s");
    expect(formatDuration(4 * 60_000 + 12_000)).toBe("4 min 12 s");
    expect(formatDuration(17 * 60_000)).toBe("17 min");
    expect(formatDuration(129_601_000)).toBe("1 d 12 h");
    expect(formatDuration(2 * 3_600_000 + 59_999)).toBe("2 h");
    expect(formatDuration(3_600_000 + 60_000)).toBe("1 h 1 min");
  });
});

describe("formatPercent", () => {
  it("rounds to whole percent and shows a dash when there is nothing to compare with", () => {
    expect(formatPercent(75)).toBe("75%");
    expect(formatPercent((4 / 3) * 100)).toBe("133%");
    expect(formatPercent(null)).toBe("—");
  });
});
