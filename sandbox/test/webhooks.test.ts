import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../server";
import { redeliveryDelayMs } from "../delivery";
import {
  PARTNER_ID,
  SECRET,
  api,
  control,
  onboard,
  startReceiver,
  startTestSandbox,
  waitFor,
  type Received,
} from "./helpers";

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let answer: (req: Received, index: number) => number | "hang" = () => 200;

interface DeliveryView {
  eventId: string;
  event: string;
  state: string;
  faults: string[];
  attempts: { at: string; status: number | null; error: string | null; forcedFailure: boolean }[];
}
const deliveries = async (): Promise<DeliveryView[]> =>
  (await control<{ deliveries: DeliveryView[] }>(sandbox, "GET", "/state")).json.deliveries;

beforeAll(async () => {
  receiver = await startReceiver((req, i) => answer(req, i));
  sandbox = await startTestSandbox({ webhookTimeoutMs: 300, retryBaseMs: 20, retryMaxAttempts: 4 });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(async () => {
  await control(sandbox, "POST", "/reset");
  await control(sandbox, "PATCH", "/config", { webhookUrl: receiver.url });
  receiver.received.length = 0;
  answer = () => 200;
});
afterEach(async () => {
  // Stops redeliveries of this test before the next one starts.
  await control(sandbox, "POST", "/reset");
});

/** Independent of sandbox/webhook-signature.ts: node:crypto straight from the contract. */
function expectSigned(req: Received): void {
  const header = req.headers["x-360dialog-signature"];
  expect(typeof header).toBe("string");
  const expected = createHmac("sha256", SECRET).update(req.raw, "utf8").digest("hex");
  expect(header).toMatch(/^[0-9a-f]{64}$/);
  expect(timingSafeEqual(Buffer.from(String(header), "hex"), Buffer.from(expected, "hex"))).toBe(true);
}

describe("partner webhooks", () => {
  it("delivers client_created then the channel lifecycle, signed, and updates the channel status", async () => {
    const { client, channels } = await onboard(sandbox, { email: "hook@example.com" });
    await waitFor(() => receiver.received.length >= 5);
    const events = receiver.received.map((r) => r.json.event);
    expect(events).toEqual(["client_created", "channel_created", "channel_ready", "channel_running", "channel_live"]);
    for (const req of receiver.received) {
      expectSigned(req);
      expect(req.json.id).toBeTruthy();
      expect(req.headers["content-type"]).toBe("application/json");
    }
    expect(new Set(receiver.received.map((r) => r.json.id)).size).toBe(5);
    expect(receiver.received[0]?.json.data).toMatchObject({ client_id: client });
    const live = receiver.received[4]?.json.data;
    // 360dialog's data is the channel object, as the Partner API lists it.
    expect(live).toMatchObject({ id: channels[0], client_id: client, client: { id: client }, status: "live" });
    expect(String((live?.setup_info as { phone_number?: string })?.phone_number)).toMatch(/^\+1555\d{7}$/);
    const state = (await control<{ channels: { id: string; status: string }[] }>(sandbox, "GET", "/state")).json;
    expect(state.channels[0]?.status).toBe("live");

    // A returning client gets no second client_created.
    receiver.received.length = 0;
    await onboard(sandbox, { email: "hook@example.com" });
    await waitFor(() => receiver.received.length >= 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received.map((r) => r.json.event)).not.toContain("client_created");
  });

  it("redelivers after a 500 with the same event id and the same body", async () => {
    answer = (_req, index) => (index === 0 ? 500 : 200);
    const { json } = await control<{ eventId: string }>(sandbox, "POST", "/events", {
      event: "account_violation",
      data: { client_id: "xCL" },
    });
    await waitFor(() => receiver.received.length >= 2);
    const [first, second] = receiver.received;
    expect(first?.json.id).toBe(json.eventId);
    expect(second?.json.id).toBe(json.eventId);
    expect(second?.raw).toBe(first?.raw);
    if (second) expectSigned(second);
    const delivery = await waitFor(async () => (await deliveries()).find((d) => d.state === "delivered"));
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it("counts no answer within the timeout as failed and redelivers", async () => {
    answer = (_req, index) => (index === 0 ? "hang" : 200);
    await control(sandbox, "POST", "/events", { event: "channel_ready", data: {} });
    const delivery = await waitFor(async () => (await deliveries()).find((d) => d.state === "delivered"));
    expect(delivery.attempts[0]?.error).toMatch(/no answer within 300 ms/);
    expect(delivery.attempts[1]?.status).toBe(200);
  });

  it("gives up after the configured number of attempts", async () => {
    answer = () => 503;
    await control(sandbox, "POST", "/events", { event: "channel_ready", data: {} });
    const delivery = await waitFor(async () => (await deliveries()).find((d) => d.state === "failed"));
    expect(delivery.attempts).toHaveLength(4);
    expect(receiver.received).toHaveLength(4);
  });

  it("spaces redeliveries exponentially up to the maximum delay", async () => {
    await control(sandbox, "PATCH", "/config", { retryBaseMs: 100, retryMaxDelayMs: 400, retryMaxAttempts: 6 });
    answer = () => 503;
    await control(sandbox, "POST", "/events", { event: "channel_ready", data: {} });
    const delivery = await waitFor(async () => (await deliveries()).find((d) => d.state === "failed"), 10_000);
    const starts = delivery.attempts.map((a) => Date.parse(a.at));
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? at));
    // Waits of 100, 200, 400, then capped at 400 (uncapped: 800, 1600). Each gap is the wait plus
    // the attempt before it, so the upper bounds leave a loaded machine room for slow attempts.
    expect(gaps).toHaveLength(5);
    const [first = 0, second = 0, third = 0, fourth = 0, fifth = 0] = gaps;
    expect(first).toBeGreaterThanOrEqual(99);
    expect(second).toBeGreaterThanOrEqual(199);
    expect(third).toBeGreaterThanOrEqual(399);
    expect(fourth).toBeGreaterThanOrEqual(399);
    expect(fourth).toBeLessThan(800);
    expect(fifth).toBeGreaterThanOrEqual(399);
    expect(fifth).toBeLessThan(1_200);
  });

  it("computes the backoff as base * 2^(n-1), never above the maximum", () => {
    expect([1, 2, 3, 4].map((n) => redeliveryDelayMs(n, 1000, 60_000))).toEqual([1000, 2000, 4000, 8000]);
    expect(redeliveryDelayMs(7, 1000, 60_000)).toBe(60_000);
    expect(redeliveryDelayMs(100, 1000, 60_000)).toBe(60_000);
    expect(redeliveryDelayMs(2000, 1000, 60_000)).toBe(60_000);
  });

  it("revokes during onboarding without a webhook (none is documented) and ends the channel's API keys", async () => {
    const first = await onboard(sandbox, { email: "rev@example.com" });
    const channel = first.channels[0] ?? "";
    await waitFor(() => receiver.received.some((r) => r.json.event === "channel_live"));
    expect(
      (await api(sandbox, `/partners/${PARTNER_ID}/channels/${channel}/api_keys`, { method: "POST" })).status,
    ).toBe(201);

    const second = await onboard(sandbox, { email: "rev@example.com", revoke: [channel] });
    await waitFor(() => receiver.received.filter((r) => r.json.event === "channel_live").length >= 2);
    expect(receiver.received.map((r) => r.json.event)).not.toContain("channel_revoked");
    expect(second.revoked).toEqual([channel]);
    const state = (
      await control<{
        channels: { id: string; status: string; revokedAt: string | null }[];
        apiKeys: { channelId: string; revokedAt: string | null }[];
      }>(sandbox, "GET", "/state")
    ).json;
    // The number keeps running at the Hub; only the partner's permission on it is gone.
    expect(state.channels.find((c) => c.id === channel)).toMatchObject({
      status: "live",
      revokedAt: expect.any(String),
    });
    expect(state.apiKeys.find((k) => k.channelId === channel)?.revokedAt).toEqual(expect.any(String));
    const refused = await api(sandbox, `/partners/${PARTNER_ID}/channels/${channel}/api_keys`, { method: "POST" });
    expect(refused.status).toBe(403);
  });

  it("ends a channel's API keys when the control endpoint revokes it, with or without the event", async () => {
    const { channels } = await onboard(sandbox, { email: "ctl@example.com" });
    const channel = channels[0] ?? "";
    await waitFor(() => receiver.received.some((r) => r.json.event === "channel_live"));
    await api(sandbox, `/partners/${PARTNER_ID}/channels/${channel}/api_keys`, { method: "POST" });
    expect(
      (await control(sandbox, "POST", `/channels/${channel}/status`, { status: "revoked", emit: false })).status,
    ).toBe(200);
    const state = (
      await control<{ apiKeys: { channelId: string; revokedAt: string | null }[] }>(sandbox, "GET", "/state")
    ).json;
    expect(state.apiKeys.find((k) => k.channelId === channel)?.revokedAt).toEqual(expect.any(String));
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received.map((r) => r.json.event)).not.toContain("channel_revoked");
  });

  it("duplicates the next delivery on request", async () => {
    await control(sandbox, "POST", "/faults/deliveries", { kind: "duplicate", count: 1 });
    await control(sandbox, "POST", "/events", { event: "channel_running", data: {} });
    await control(sandbox, "POST", "/events", { event: "channel_live", data: {} });
    await waitFor(() => receiver.received.length >= 3);
    const ids = receiver.received.map((r) => `${r.json.event}:${r.json.id}`);
    expect(ids.filter((x) => x.startsWith("channel_running"))).toHaveLength(2);
    expect(new Set(ids.filter((x) => x.startsWith("channel_running"))).size).toBe(1);
  });

  it("fails the first attempt on request even when the receiver accepted it, then retries", async () => {
    await control(sandbox, "POST", "/faults/deliveries", { kind: "fail", count: 1 });
    await control(sandbox, "POST", "/events", { event: "channel_running", data: {} });
    const delivery = await waitFor(async () => (await deliveries()).find((d) => d.state === "delivered"));
    expect(delivery.attempts.map((a) => [a.status, a.forcedFailure])).toEqual([
      [200, true],
      [200, false],
    ]);
    expect(receiver.received.map((r) => r.json.id)).toEqual([delivery.eventId, delivery.eventId]);
  });

  it("reorders the next N deliveries on request", async () => {
    await control(sandbox, "POST", "/faults/deliveries", { kind: "reorder", count: 2 });
    await control(sandbox, "POST", "/events", { event: "channel_running", data: {} });
    await control(sandbox, "POST", "/events", { event: "channel_live", data: {} });
    await waitFor(() => receiver.received.length >= 2);
    expect(receiver.received.map((r) => r.json.event)).toEqual(["channel_live", "channel_running"]);
  });

  it("emits status and quality events from the control endpoints", async () => {
    await control(sandbox, "PATCH", "/config", { lifecycleUntil: "created" });
    const { channels } = await onboard(sandbox, { email: "q@example.com" });
    // client_created and channel_created, the walk's only steps when held at `created`.
    await waitFor(() => receiver.received.length >= 2);
    receiver.received.length = 0;
    const channel = channels[0] ?? "";
    expect((await control(sandbox, "POST", `/channels/${channel}/status`, { status: "restricted" })).status).toBe(200);
    expect((await control(sandbox, "POST", `/channels/${channel}/quality`, { value: "TIER_10K" })).status).toBe(200);
    await waitFor(() => receiver.received.length >= 2);
    const [status, quality] = receiver.received;
    expect(status?.json).toMatchObject({
      event: "channel_restricted",
      data: { id: channel, status: "restricted" },
    });
    expect(quality?.json).toMatchObject({
      event: "phone_number_quality_changed",
      data: { id: channel, value: "TIER_10K" },
    });
    for (const req of receiver.received) expectSigned(req);
  });

  it.each([
    [
      "flat",
      (json: Record<string, unknown>, channel: string) =>
        expect(json).toMatchObject({ event: "channel_running", data: { channel_id: channel } }),
    ],
    [
      "seed",
      (json: Record<string, unknown>, channel: string) => {
        expect(json).toMatchObject({ type: "channel_running", payload: { channel: { id: channel } } });
        expect(json).not.toHaveProperty("id");
      },
    ],
  ] as const)("sends the %s shape on request", async (shape, check) => {
    await control(sandbox, "PATCH", "/config", { lifecycleUntil: "created", webhookShape: shape });
    const { channels } = await onboard(sandbox, { email: `${shape}@example.com` });
    await waitFor(() => receiver.received.length >= 2);
    receiver.received.length = 0;
    const channel = channels[0] ?? "";
    await control(sandbox, "POST", `/channels/${channel}/status`, { status: "running" });
    await waitFor(() => receiver.received.length >= 1);
    check(receiver.received[0]!.json, channel);
    expectSigned(receiver.received[0]!);
    await control(sandbox, "PATCH", "/config", { webhookShape: "channel" });
  });
});
