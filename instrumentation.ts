import { registerOTel } from "@vercel/otel";

// Where spans go: any OTLP backend named by the standard variables, or Vercel's own collector.
const EXPORTING = Boolean(
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.VERCEL,
);

export async function register() {
  // With nowhere to send them, spans are not recorded (recording costs about a quarter of a small
  // route's throughput, see bench/results.md), but every request and job still gets its trace id:
  // logs carry it as requestId, and queued jobs carry it on. See the README's Observability.
  registerOTel({
    serviceName: process.env.OTEL_SERVICE_NAME ?? "onboarding-portal",
    ...(EXPORTING ? {} : { traceSampler: "always_off" as const }),
  });
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateConfigAtStartup } = await import("./lib/config/validate-at-startup");
    validateConfigAtStartup();
  }
}
