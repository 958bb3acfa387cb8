import { Logger } from "graphile-worker";
import { log } from "@/lib/observability/log";

/**
 * graphile-worker's log, reduced to what an operator acts on: job failures and warnings, one line
 * each with the task and the error message. Payloads are ids only, so nothing secret is printed.
 */
export function jobLogger({ quiet = false }: { quiet?: boolean } = {}): Logger {
  return new Logger(() => (level, message) => {
    if (quiet || (level !== "error" && level !== "warning")) return;
    const line = `[jobs] ${message}`;
    if (level === "error") log.error(line);
    else log.warn(line);
  });
}
