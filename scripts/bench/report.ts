import os from "node:os";
import type { JourneyTiming } from "./browser-journey";
import type { FirstLoad } from "./first-load-js";
import type { KeyLatency } from "./key-latency";
import type { LoadResult } from "./load";

export type Target = { name: string; ratio: number; of: "bare GET" | "bare POST"; p99Ms?: number; maxKb?: number };

export type BenchReport = {
  startedAt: Date;
  seconds: number;
  settings: { connections: number; secondsPerRun: number; rounds: number };
  postgres: string;
  load: LoadResult[];
  webhooks: { accepted: number; stored: number; lost: number };
  keyLatency: KeyLatency;
  journey: JourneyTiming;
  firstLoad: FirstLoad[];
  targets: Target[];
};

const BARE = { GET: "bare GET", POST: "bare POST" } as const;

/** The machine the figures come from, in one line. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const memoryGb = Math.round(os.totalmem() / 1024 ** 3);
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${memoryGb} GB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

const fmt = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits });

function ratioOf(result: LoadResult, load: LoadResult[]): number {
  const bare = load.find((row) => row.name === BARE[result.method])!;
  return result.rps / bare.rps;
}

/** Every figure of the run as Markdown: `bench/results.md`, and what the README quotes. */
export function renderReport(report: BenchReport): string {
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` on ${report.startedAt.toISOString()} (the whole run took ${fmt(report.seconds)} s).`,
    "",
    `Machine: ${describeMachine()}; ${report.postgres} with fsync on, on the same machine.`,
    `Load: autocannon, ${report.settings.connections} connections, ${report.settings.secondsPerRun} s per run, ` +
      `${report.settings.rounds} interleaved rounds (the median of each figure; errors summed), against \`next start\`.`,
    "",
    "## Throughput and latency",
    "",
    "| endpoint | method | rps | × bare route | p50 ms | p99 ms | errors | requests |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.load.map(
      (row) =>
        `| ${row.name} | ${row.method} | ${fmt(row.rps)} | ${ratioOf(row, report.load).toFixed(2)} | ${fmt(row.p50)} | ` +
        `${fmt(row.p99)} | ${fmt(row.errors)} | ${fmt(row.requests)} |`,
    ),
    "",
    `Webhooks accepted (2xx) ${fmt(report.webhooks.accepted)}, stored ${fmt(report.webhooks.stored)}, ` +
      `lost ${fmt(report.webhooks.lost)}: each one a distinct, correctly signed event, stored with its job ` +
      "(stored counts the requests still in flight when autocannon stopped counting).",
    "",
    "## Latency of the journey",
    "",
    `- \`channel_running\` delivery → key stored, over ${report.keyLatency.channels} numbers going running at ` +
      `${report.keyLatency.paceRps}/s: median ${fmt(report.keyLatency.medianMs)} ms, p95 ` +
      `${fmt(report.keyLatency.p95Ms)} ms, max ${fmt(report.keyLatency.maxMs)} ms.`,
    `- Connect popup submitted → the page shows the client bound (real Chromium, ${report.journey.runs} runs): ` +
      `median ${fmt(report.journey.medianMs)} ms, max ${fmt(report.journey.maxMs)} ms.`,
    "",
    "## First-load JavaScript (gzip, as transferred)",
    "",
    "| page | scripts | kB |",
    "| --- | ---: | ---: |",
    ...report.firstLoad.map((row) => `| ${row.page} | ${row.scripts} | ${fmt(row.gzipBytes / 1000, 1)} |`),
    "",
    "## Targets",
    "",
    "| target | measured | met |",
    "| --- | --- | --- |",
    ...report.targets.map((target) => {
      const row = report.load.find((entry) => entry.name === target.name);
      const measured = row
        ? `${ratioOf(row, report.load).toFixed(2)}× ${target.of}${target.p99Ms ? `, p99 ${fmt(row.p99)} ms` : ""}`
        : "";
      return `| ${describeTarget(target)} | ${measured} | ${metTarget(target, report) ? "yes" : "**no**"} |`;
    }),
    `| \`channel_running\` → key median < 1,000 ms | ${fmt(report.keyLatency.medianMs)} ms | ${report.keyLatency.medianMs < 1000 ? "yes" : "**no**"} |`,
    ...report.firstLoad
      .filter((row) => !row.page.startsWith("/admin"))
      .map(
        (row) =>
          `| first-load JS of ${row.page} ≤ 145 kB | ${fmt(row.gzipBytes / 1000, 1)} kB | ${row.gzipBytes <= 145_000 ? "yes" : "**no**"} |`,
      ),
    "",
  ];
  return lines.join("\n");
}

function describeTarget(target: Target): string {
  return `${target.name} ≥ ${target.ratio}× ${target.of}${target.p99Ms ? `, p99 < ${target.p99Ms} ms, 0 errors` : ""}`;
}

export function metTarget(target: Target, report: BenchReport): boolean {
  const row = report.load.find((entry) => entry.name === target.name);
  if (!row) return false;
  const ratioMet = ratioOf(row, report.load) >= target.ratio;
  return target.p99Ms ? ratioMet && row.p99 < target.p99Ms && row.errors === 0 : ratioMet;
}
