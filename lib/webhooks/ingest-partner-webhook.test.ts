import { createHash, createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, testDb } from "@/test/db";
import type { AppError } from "@/lib/http/errors";
import { DOCTOR_PING_EVENT, ingestPartnerWebhook } from "./ingest-partner-webhook";

const SECRET = "webhook-test-platform-secret";
const sign = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");
const channelEvent = (id: string, event = "channel_running") =>
  JSON.stringify({ id, event, data: { id: "abc123CH", client_id: "cli456CL", status: "running" } });

const ingest = (body: string, signature: string | null) =>
  ingestPartnerWebhook(testDb(), { rawBody: Buffer.from(body), signature, platformSecret: SECRET });
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );

async function stored() {
  const events = await testDb().webhookEvent.findMany({ orderBy: { receivedAt: "asc" } });
  const jobs = await testDb().$queryRaw<Array<{ key: string | null; task: string }>>`
    SELECT key, task_identifier AS task FROM graphile_worker.jobs ORDER BY id`;
  return { events, jobs };
}

beforeEach(resetDatabase);

// Incompressible, so PostgreSQL cannot fit it in a B-tree index row however it stores it.
const hugeId = JSON.stringify({
  id: Array.from({ length: 3000 }, (_, index) => createHash("md5").update(String(index)).digest("hex")).join(""),
  event: "channel_running",
});

describe("ingestPartnerWebhook", () => {
  it("stores a signed event with its processing job, in one go", async () => {
    const body = channelEvent("evt-1");
    expect(await ingest(body, sign(body))).toEqual({ outcome: "stored", type: "channel_running", actionable: true });
    const { events, jobs } = await stored();
    expect(events).toEqual([
      expect.objectContaining({
        dedupeKey: "hub:evt-1",
        type: "channel_running",
        channelHubId: "abc123CH",
        state: "PENDING",
      }),
    ]);
    expect(events[0]?.payload).toEqual(JSON.parse(body));
    expect(jobs).toEqual([{ key: "hub:evt-1", task: "process_webhook_event" }]);
  });

  it("answers a repeated delivery as a duplicate and writes nothing more", async () => {
    const body = channelEvent("evt-2");
    await ingest(body, sign(body));
    expect((await ingest(body, `sha256=${sign(body)}`)).outcome).toBe("duplicate");
    const { events, jobs } = await stored();
    expect([events.length, jobs.length]).toEqual([1, 1]);
  });

  it("keys an event without an id on a SHA-256 of its bytes", async () => {
    const body = JSON.stringify({ type: "channel_status_running", payload: { channel: { id: "abc123CH" } } });
    await ingest(body, sign(body));
    await ingest(body, sign(body));
    const { events } = await stored();
    expect(events).toHaveLength(1);
    expect(events[0]?.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("stores an unknown type as ignored, with no job", async () => {
    const body = JSON.stringify({ id: "evt-3", event: "template_status_update", data: { id: "t1" } });
    expect((await ingest(body, sign(body))).actionable).toBe(false);
    const { events, jobs } = await stored();
    expect(events[0]).toMatchObject({ state: "IGNORED", processedAt: expect.any(Date) });
    expect(jobs).toEqual([]);
  });

  const body = channelEvent("evt-4");
  it.each([
    ["no signature", body, null, 401],
    ["a wrong signature", body, sign(body, "another-platform-secret"), 401],
    ["a truncated signature", body, sign(body).slice(0, 40), 401],
    ["a tampered body", body.replace("running", "live"), sign(body), 401],
    ["an empty body", "", null, 401],
    ["a body that is not JSON", "{", sign("{"), 400],
    ["JSON without an event type", '{"data":{}}', sign('{"data":{}}'), 400],
    ["a lone surrogate jsonb cannot hold", '{"event":"\\ud800"}', sign('{"event":"\\ud800"}'), 400],
    ["an event id too large for the dedupe index", hugeId, sign(hugeId), 400],
  ])("refuses %s and stores nothing", async (_label, raw, signature, status) => {
    expect((await refusal(ingest(raw, signature)))?.status).toBe(status);
    const { events, jobs } = await stored();
    expect([events.length, jobs.length]).toEqual([0, 0]);
  });

  it("answers the doctor's signed ping without storing an event or queueing a job", async () => {
    const ping = JSON.stringify({ event: DOCTOR_PING_EVENT, id: "doctor-1" });
    expect(await ingest(ping, sign(ping))).toEqual({ outcome: "ping", type: DOCTOR_PING_EVENT, actionable: false });
    const { events, jobs } = await stored();
    expect([events.length, jobs.length]).toEqual([0, 0]);
    expect((await refusal(ingest(ping, sign(ping, "another-platform-secret"))))?.status).toBe(401);
  });

  it("records signatures made with another secret in one row, at most once a minute, and ignores unsigned requests", async () => {
    const refusedAt = () => testDb().heartbeat.findUnique({ where: { key: "partner_webhook.signature_refused" } });
    await refusal(ingest(body, null));
    await refusal(ingest(body, "not-a-signature"));
    expect(await refusedAt()).toBeNull();
    const before = new Date();
    await refusal(ingest(body, sign(body, "another-platform-secret")));
    await refusal(ingest(body, `sha256=${sign(body, "yet-another-secret")}`));
    // A flood of forged signatures costs one write a minute, not one per request.
    expect(await refusedAt()).toMatchObject({ count: 1, at: expect.any(Date) });
    expect((await refusedAt())!.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(await testDb().heartbeat.count()).toBe(1);
    await testDb().heartbeat.updateMany({ data: { at: new Date(Date.now() - 61_000) } });
    await refusal(ingest(body, sign(body, "another-platform-secret")));
    expect(await refusedAt()).toMatchObject({ count: 2 });
  });
});
