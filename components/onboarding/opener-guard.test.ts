import { describe, expect, it } from "vitest";
import { OPENER_GUARD_SCRIPT } from "./opener-guard";

type FakeWindow = { opener: unknown; location: { origin: string } };
const runGuard = (win: FakeWindow) => new Function("window", OPENER_GUARD_SCRIPT)(win);
const crossOrigin = () => ({
  get location(): never {
    throw new DOMException("Blocked a frame from accessing a cross-origin frame.", "SecurityError");
  },
});

describe("OPENER_GUARD_SCRIPT", () => {
  it("cuts an opener whose location cannot be read (another origin)", () => {
    const win: FakeWindow = { opener: crossOrigin(), location: { origin: "http://localhost:3000" } };
    runGuard(win);
    expect(win.opener).toBeNull();
  });

  it("cuts an opener on another readable origin", () => {
    const win: FakeWindow = {
      opener: { location: { origin: "http://127.0.0.1:3000" } },
      location: { origin: "http://localhost:3000" },
    };
    runGuard(win);
    expect(win.opener).toBeNull();
  });

  it("keeps the portal's own page as the opener", () => {
    const own = { location: { origin: "http://localhost:3000" } };
    const win: FakeWindow = { opener: own, location: { origin: "http://localhost:3000" } };
    runGuard(win);
    expect(win.opener).toBe(own);
  });
});
