import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { resetDatabase, testDb } from "@/test/db";
import { importRouteWith, scheduledAfterResponse } from "@/test/route-harness";
import { log } from "@/lib/observability/log";

const SECRET = localDefaults.HUB_PLATFORM_SECRET;
const REAL_DATABASE_URL = process.env.DATABASE_URL!;
const loadRoute = (env: Record<string, string> = {}) => importRouteWith(() => import("./route"), env);
const signed = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");

function webhook(body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/webhooks/360dialog", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    // A stream body needs this in Node's fetch implementation.
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);
}

const event = JSON.stringify({
  id: "evt-route-1",
  event: "channel_running",
  data: { id: "abc123CH", status: "running" },
});

// getDb() keeps one client per process; a test that points DATABASE_URL elsewhere needs a new one.
const forgetDbClient = () => {
  delete (globalThis as { prisma?: unknown }).prisma;
};

beforeEach(resetDatabase);
afterEach(forgetDbClient);

describe("POST /api/webhooks/360dialog", () => {
  it("stores a signed event, answers 200, and drains the queue after the response", async () => {
    const { POST } = await loadRoute();
    const response = await POST(webhook(event, { "x-360dialog-signature": signed(event) }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await testDb().webhookEvent.count()).toBe(1);
    expect(scheduledAfterResponse).toHaveLength(1);
  });

  it("answers an anonymous, unsigned request with its own 401 and stores nothing", async () => {
    const { POST } = await loadRoute();
    const response = await POST(webhook(event));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("invalid_signature");
    expect(await testDb().webhookEvent.count()).toBe(0);
  });

  it("refuses an oversized body with 413 before reading it, declared or streamed", async () => {
    const { POST } = await loadRoute();
    const huge = "x".repeat(300 * 1024);
    const declared = await POST(webhook(huge, { "x-360dialog-signature": signed(huge) }));
    expect(declared.status).toBe(413);
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await POST(webhook(stream));
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(10);
    expect(await testDb().webhookEvent.count()).toBe(0);
  });

  it("answers 503 while the database is down, so the Hub redelivers, and stores the redelivery", async () => {
    forgetDbClient();
    const down = await loadRoute({ DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:9/unreachable" });
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const refused = await down.POST(webhook(event, { "x-360dialog-signature": signed(event) }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect((await refused.json()).error.code).toBe("not_stored");
    expect(scheduledAfterResponse).toHaveLength(0);

    forgetDbClient();
    const up = await loadRoute({ DATABASE_URL: REAL_DATABASE_URL });
    const redelivered = await up.POST(webhook(event, { "x-360dialog-signature": signed(event) }));
    expect(redelivered.status).toBe(200);
    expect(await testDb().webhookEvent.count()).toBe(1);
  });
});
