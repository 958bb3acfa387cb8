import { createHmac } from "node:crypto";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { API_KEY, control, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { createUser, testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { drainJobs } from "@/test/jobs";
import { importRouteWith } from "@/test/route-harness";

const currentSandbox = startHubSandboxPerFile();
const exporter = new InMemorySpanExporter();

// What instrumentation.ts gets from @vercel/otel, with the spans kept in memory instead of exported.
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("a partner webhook's path", () => {
  it("is one trace: receive, store, the event's job, the key job and its Partner API call", async () => {
    const redirect = await onboard(currentSandbox(), { email: "traced@example.com" });
    const user = await createUser("traced@example.com");
    const client = await testDb().client.create({
      data: { hubId: redirect.client, userId: user.id, bindingState: "BOUND" },
    });
    const hubId = redirect.channels[0]!;
    await testDb().channel.create({ data: { hubId, clientId: client.id } });
    await control(currentSandbox(), "POST", `/channels/${hubId}/status`, { status: "running" });

    const { POST } = await importRouteWith(() => import("@/app/api/webhooks/360dialog/route"), {});
    const body = JSON.stringify({
      id: "evt-traced",
      event: "channel_running",
      data: { id: hubId, client_id: redirect.client, status: "running" },
    });
    const signature = createHmac("sha256", localDefaults.HUB_PLATFORM_SECRET).update(body).digest("hex");
    // Next opens a span for every request; the route's own spans are its children.
    const response = await trace.getTracer("test").startActiveSpan("POST /api/webhooks/360dialog", async (request) => {
      const answer = await POST(
        new Request("http://localhost/api/webhooks/360dialog", {
          method: "POST",
          headers: { "content-type": "application/json", "x-360dialog-signature": signature },
          body,
        }),
      );
      request.end();
      return answer;
    });
    expect(response.status).toBe(200);
    // The queue drains later, outside the request, as after() or the cron would.
    await drainJobs(
      createPartnerApi({ baseUrl: `${currentSandbox().url}/api/v2`, partnerId: PARTNER_ID, apiKey: API_KEY }),
    );
    expect(await testDb().apiKey.count({ where: { liveChannelId: { not: null } } })).toBe(1);

    const spans = exporter.getFinishedSpans();
    const named = (name: string) => {
      const found = spans.filter((span) => span.name === name);
      expect(found, `${name} in ${spans.map((span) => span.name).join(", ")}`).toHaveLength(1);
      return found[0]!;
    };
    const request = named("POST /api/webhooks/360dialog");
    const ingest = named("webhook 360dialog ingest");
    const eventJob = named("job process_webhook_event");
    const keyJob = named("job provision_api_key");
    const keyCreation = spans.find(
      (span) => span.name === "Partner API POST" && String(span.attributes["url.path"]).endsWith("/api_keys"),
    );
    expect(keyCreation).toBeDefined();
    const traceIds = new Set(
      [request, ingest, eventJob, keyJob, keyCreation!].map((span) => span.spanContext().traceId),
    );
    expect(traceIds.size).toBe(1);
    expect(parentOf(ingest)).toBe(request.spanContext().spanId);
    expect(parentOf(eventJob)).toBe(ingest.spanContext().spanId);
    expect(parentOf(keyJob)).toBe(eventJob.spanContext().spanId);
    expect(parentOf(keyCreation!)).toBe(keyJob.spanContext().spanId);
    // Nothing secret rides along: span attributes are methods, paths, ids and counts.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(API_KEY);
  });
});
