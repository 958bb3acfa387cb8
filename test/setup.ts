import { afterEach, vi } from "vitest";

// An unexpected console.error or console.warn is a bug the test should surface.
const fail =
  (kind: string) =>
  (...args: unknown[]) => {
    throw new Error(`Unexpected console.${kind}: ${args.map(String).join(" ")}`);
  };

afterEach(() => {
  vi.restoreAllMocks();
});

console.error = fail("error");
console.warn = fail("warn");
