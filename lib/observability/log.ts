import "server-only";
import { trace } from "@opentelemetry/api";
import pino from "pino";

/**
 * The portal's one logger: JSON lines on stdout, which Vercel, Docker and any log drain read.
 * Every line written while a request (or a job) is traced carries its trace id as `requestId`,
 * the same id its spans have in the tracing backend. Call sites log names, codes and ids, never
 * values; the redaction below is the net for a secret passed in by mistake under a usual name.
 */
function createLogger() {
  return pino({
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: process.env.OTEL_SERVICE_NAME ?? "onboarding-portal" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return span && span.traceId !== "00000000000000000000000000000000" ? { requestId: span.traceId } : {};
    },
    redact: {
      paths: [
        "apiKey",
        "api_key",
        "password",
        "secret",
        "token",
        "authorization",
        "cookie",
        "*.apiKey",
        "*.api_key",
        "*.password",
        "*.secret",
        "*.token",
        "*.authorization",
        "*.cookie",
      ],
      censor: "[redacted]",
    },
  });
}

// One logger per process, shared by every copy of this module (dev reloads, tests re-importing routes).
const globalForLog = globalThis as unknown as { portalLog?: ReturnType<typeof createLogger> };
export const log = (globalForLog.portalLog ??= createLogger());
