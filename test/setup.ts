import { afterEach, vi } from "vitest";
import { log } from "@/lib/observability/log";

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
// The same for the app's logger: a test that expects an error log spies on log.error.
log.error = fail("log.error") as typeof log.error;
log.warn = fail("log.warn") as typeof log.warn;
