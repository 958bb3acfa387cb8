import "server-only";
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";

const tracer = trace.getTracer("onboarding-portal");

/**
 * Runs `work` in a span of its own, a child of whatever span is active. A failure marks the span
 * with the error's name only: messages can carry what a trace backend has no business keeping.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The active span as a W3C `traceparent`, for a queued job to carry: the job runs later, in
 * another request or process, and continues the same trace. Null when nothing is traced.
 */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** `inSpan`, continuing the trace a job was queued in (see currentTraceparent). */
export function inSpanContinuing<T>(
  traceparent: string | null | undefined,
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();
  return context.with(parent, () => inSpan(name, attributes, work));
}
