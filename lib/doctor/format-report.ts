import type { CheckResult, CheckStatus } from "./check-result";

const SYMBOL: Record<CheckStatus, string> = { pass: "✓", fail: "✗", skipped: "–" };

/** The doctor's report for a terminal: one line per check, its fix indented below when it has one. */
export function formatReport(results: CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.title.length));
  const lines = results.flatMap((result) => [
    `${SYMBOL[result.status]} ${result.title.padEnd(width)}  ${result.detail}`,
    ...(result.fix ? [`  ${" ".repeat(width)}  fix: ${result.fix}`] : []),
  ]);
  const failures = results.filter((result) => result.status === "fail").length;
  lines.push(
    "",
    failures === 0 ? `All ${results.length} checks pass.` : `${failures} of ${results.length} checks fail.`,
  );
  return lines.join("\n");
}
