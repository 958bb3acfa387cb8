import { beforeEach, describe, expect, it } from "vitest";
import type { ChannelStatus, MessageStatus } from "@/lib/generated/prisma/enums";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { conversionPercent, loadFunnel, type FunnelReport } from "./load-funnel";
import { defaultRange } from "./range";
import type { FunnelStage } from "./stages";

beforeEach(resetDatabase);

const at = (iso: string) => new Date(iso);
let sequence = 0;
const next = (prefix: string) => `${prefix}-${++sequence}`;

async function attempt(
  userId: string,
  data: { clickedAt?: string; usedAt?: string; clientId?: string; outcome?: "COMPLETED" | "FAILED" | "EXPIRED" },
) {
  await testDb().onboardingAttempt.create({
    data: {
      userId,
      state: next("state"),
      expiresAt: at("2030-01-01T00:00:00Z"),
      clickedAt: data.clickedAt ? at(data.clickedAt) : null,
      usedAt: data.usedAt ? at(data.usedAt) : null,
      outcome: data.outcome ?? (data.usedAt ? "COMPLETED" : "PENDING"),
      clientId: data.clientId ?? null,
    },
  });
}

async function client(
  userId: string,
  data: { createdAt: string; bindingState?: "BOUND" | "AWAITING_APPROVAL"; decidedAt?: string },
) {
  return testDb().client.create({
    data: {
      hubId: next("client"),
      userId,
      bindingState: data.bindingState ?? "BOUND",
      createdAt: at(data.createdAt),
      decidedAt: data.decidedAt ? at(data.decidedAt) : null,
    },
  });
}

async function channel(clientId: string, data: { messagingWebhookSetAt?: string } = {}) {
  return testDb().channel.create({
    data: {
      hubId: next("channel"),
      clientId,
      messagingWebhookSetAt: data.messagingWebhookSetAt ? at(data.messagingWebhookSetAt) : null,
    },
  });
}

async function statusEvent(channelId: string, toStatus: ChannelStatus, occurredAt: string) {
  await testDb().channelEvent.create({
    data: { channelId, toStatus, source: "webhook", dedupeKey: next("event"), occurredAt: at(occurredAt) },
  });
}

async function webhookEvent(channelId: string, detail: string, occurredAt: string) {
  await testDb().channelEvent.create({
    data: {
      channelId,
      kind: "messaging_webhook",
      detail,
      source: "job",
      dedupeKey: next("event"),
      occurredAt: at(occurredAt),
    },
  });
}

async function key(channelId: string, createdAt: string, destroyedAt?: string) {
  await testDb().apiKey.create({
    data: {
      channelId,
      liveChannelId: destroyedAt ? null : channelId,
      ciphertext: new Uint8Array(Buffer.from("sealed")),
      keyVersion: 1,
      createdAt: at(createdAt),
      destroyedAt: destroyedAt ? at(destroyedAt) : null,
    },
  });
}

async function message(channelId: string, status: MessageStatus, moments: { createdAt: string; sentAt?: string }) {
  await testDb().message.create({
    data: {
      channelId,
      recipientLast4: "1234",
      kind: "text",
      status,
      createdAt: at(moments.createdAt),
      sentAt: moments.sentAt ? at(moments.sentAt) : null,
    },
  });
}

function totals(report: FunnelReport): Record<FunnelStage, number> {
  return Object.fromEntries(report.stages.map((stage) => [stage.stage, stage.total])) as Record<FunnelStage, number>;
}

/**
 * Seeds a funnel around the range 2026-03-10..2026-03-12 (UTC), with rows just outside both ends.
 * The expected numbers in the tests below are counted by hand from this story.
 */
async function seedStory() {
  const user = await createUser("owner@example.com");

  // A: bound by email the moment the first redirect stored it; two numbers.
  const a = await client(user.id, { createdAt: "2026-03-10T00:00:00.000Z" });
  // B: stored before the range, bound by an admin inside it.
  const b = await client(user.id, {
    createdAt: "2026-03-08T10:01:00Z",
    bindingState: "AWAITING_APPROVAL",
    decidedAt: "2026-03-10T15:00:00Z",
  });
  await testDb().client.update({ where: { id: b.id }, data: { bindingState: "BOUND" } });
  const c = await client(user.id, { createdAt: "2026-03-10T05:00:00Z", bindingState: "AWAITING_APPROVAL" });
  // D: bound on the last day; no click is recorded for it.
  const d = await client(user.id, { createdAt: "2026-03-12T20:00:00Z" });
  // E: bound on the first moment after the range.
  const e = await client(user.id, { createdAt: "2026-03-13T00:00:00.000Z" });
  // F: onboarded long before, its key rotated and its first message sent again inside the range.
  const f = await client(user.id, { createdAt: "2026-03-01T09:01:00Z" });

  // Clicked one second before the range, redirected at its first millisecond.
  await attempt(user.id, { clickedAt: "2026-03-09T23:59:59.000Z", usedAt: "2026-03-10T00:00:00.000Z", clientId: a.id });
  await attempt(user.id, { clickedAt: "2026-03-10T12:00:00Z", usedAt: "2026-03-10T12:03:00Z", clientId: a.id });
  await attempt(user.id, { clickedAt: "2026-03-11T08:00:00Z", usedAt: "2026-03-11T08:02:00Z", outcome: "FAILED" });
  await attempt(user.id, { clickedAt: "2026-03-11T10:00:00Z", outcome: "EXPIRED" });
  await attempt(user.id, { clickedAt: "2026-03-12T10:00:00Z" });
  await attempt(user.id, {});
  await attempt(user.id, { clickedAt: "2026-03-08T10:00:00Z", usedAt: "2026-03-08T10:01:00Z", clientId: b.id });
  await attempt(user.id, { clickedAt: "2026-03-01T09:00:00Z", usedAt: "2026-03-01T09:01:00Z", clientId: f.id });
  await attempt(user.id, { clickedAt: "2026-03-13T00:00:00.000Z" });

  const a1 = await channel(a.id, { messagingWebhookSetAt: "2026-03-12T08:01:00Z" });
  await statusEvent(a1.id, "READY", "2026-03-10T09:10:00Z");
  await statusEvent(a1.id, "RUNNING", "2026-03-10T10:00:00Z");
  await statusEvent(a1.id, "LIVE", "2026-03-11T10:00:00Z");
  await key(a1.id, "2026-03-10T10:30:00Z", "2026-03-12T08:00:00Z");
  await key(a1.id, "2026-03-12T08:00:00Z");
  await webhookEvent(a1.id, "set https://example.com/a", "2026-03-10T10:31:00Z");
  await webhookEvent(a1.id, "set https://example.com/a", "2026-03-12T08:01:00Z");
  await message(a1.id, "FAILED", { createdAt: "2026-03-10T11:00:00Z" });
  await message(a1.id, "SENT", { createdAt: "2026-03-11T10:59:59Z", sentAt: "2026-03-11T11:00:00Z" });
  await message(a1.id, "DELIVERED", { createdAt: "2026-03-11T11:59:59Z", sentAt: "2026-03-11T12:00:00Z" });

  // No webhook events: the column is the only record of the hand-off.
  const a2 = await channel(a.id, { messagingWebhookSetAt: "2026-03-11T12:01:00Z" });
  await statusEvent(a2.id, "RUNNING", "2026-03-11T00:00:00.000Z");
  await key(a2.id, "2026-03-11T12:00:00Z");
  await message(a2.id, "SENDING", { createdAt: "2026-03-11T13:00:00Z" });
  await message(a2.id, "READ", { createdAt: "2026-03-12T23:59:59.999Z" });

  const b1 = await channel(b.id);
  await statusEvent(b1.id, "RUNNING", "2026-03-08T10:05:00Z");
  await key(b1.id, "2026-03-10T15:05:00Z");
  await webhookEvent(b1.id, "failed: 400 from the Hub", "2026-03-10T15:06:00Z");
  await message(b1.id, "SENT", { createdAt: "2026-03-13T00:00:00.000Z", sentAt: "2026-03-13T00:00:00.000Z" });

  const c1 = await channel(c.id);
  await statusEvent(c1.id, "RUNNING", "2026-03-12T05:00:00Z");

  const d1 = await channel(d.id);
  await key(d1.id, "2026-03-12T21:00:00Z");

  const e1 = await channel(e.id);
  await statusEvent(e1.id, "RUNNING", "2026-03-13T00:30:00Z");
  await key(e1.id, "2026-03-13T01:00:00Z");

  const f1 = await channel(f.id, { messagingWebhookSetAt: "2026-03-11T06:01:00Z" });
  await statusEvent(f1.id, "RUNNING", "2026-03-01T09:30:00Z");
  await key(f1.id, "2026-03-02T09:00:00Z", "2026-03-11T06:00:00Z");
  await key(f1.id, "2026-03-11T06:00:00Z");
  await webhookEvent(f1.id, "set https://example.com/f", "2026-03-02T09:01:00Z");
  await webhookEvent(f1.id, "set https://example.com/f", "2026-03-11T06:01:00Z");
  await message(f1.id, "SENT", { createdAt: "2026-03-02T10:00:00Z", sentAt: "2026-03-02T10:00:00Z" });
  await message(f1.id, "SENT", { createdAt: "2026-03-11T07:00:00Z", sentAt: "2026-03-11T07:00:00Z" });
}

describe("loadFunnel", () => {
  it("counts each stage on the UTC day of its own moment, once per attempt, client or number", async () => {
    await seedStory();
    const report = await loadFunnel(testDb(), { from: "2026-03-10", to: "2026-03-12" });

    expect(report.days).toEqual([
      {
        day: "2026-03-10",
        clicked: 1,
        redirected: 2,
        bound: 2,
        running: 1,
        key_stored: 2,
        webhook_set: 1,
        first_message: 0,
      },
      {
        day: "2026-03-11",
        clicked: 2,
        redirected: 1,
        bound: 0,
        running: 1,
        key_stored: 1,
        webhook_set: 1,
        first_message: 1,
      },
      {
        day: "2026-03-12",
        clicked: 1,
        redirected: 0,
        bound: 1,
        running: 1,
        key_stored: 1,
        webhook_set: 0,
        first_message: 1,
      },
    ]);
    expect(report.stages.map((stage) => [stage.stage, stage.total, stage.conversionPercent])).toEqual([
      ["clicked", 4, null],
      ["redirected", 3, 75],
      ["bound", 3, 100],
      ["running", 3, 100],
      ["key_stored", 4, (4 / 3) * 100],
      ["webhook_set", 2, 50],
      ["first_message", 2, 100],
    ]);
    // a1's SENT and DELIVERED, a2's READ and f1's second SENT; not FAILED, SENDING or the one after the range.
    expect(report.messagesSent).toBe(4);
  });

  it("measures median and p90 from the client's first click to each number's first key in the range", async () => {
    await seedStory();
    const report = await loadFunnel(testDb(), { from: "2026-03-10", to: "2026-03-12" });
    // a1: 03-09 23:59:59 → 03-10 10:30:00 = 37 801 s; a2: → 03-11 12:00:00 = 129 601 s;
    // b1: 03-08 10:00 → 03-10 15:05 = 191 100 s. d1 has no click; e1's and f1's first keys lie outside.
    // percentile_cont: the median is the middle value, p90 sits 0.8 of the way from the 2nd to the 3rd.
    const p90Seconds = 129_601 + 0.8 * (191_100 - 129_601);
    expect(report.clickToKey).toEqual({
      channels: 3,
      medianMs: 129_601_000,
      p90Ms: Math.round(p90Seconds * 1000),
    });
    expect(report.clickToKey.p90Ms).toBe(178_800_200);
  });

  it("treats the range's days as whole UTC days and leaves out everything outside them", async () => {
    await seedStory();
    const lastDay = await loadFunnel(testDb(), { from: "2026-03-12", to: "2026-03-12" });
    expect(totals(lastDay)).toEqual({
      clicked: 1,
      redirected: 0,
      bound: 1,
      running: 1,
      key_stored: 1,
      webhook_set: 0,
      first_message: 1,
    });
    // The only click→key in the day belongs to d1, whose client has no recorded click.
    expect(lastDay.clickToKey).toEqual({ channels: 0, medianMs: null, p90Ms: null });
    expect(lastDay.messagesSent).toBe(1);

    const after = await loadFunnel(testDb(), { from: "2026-03-13", to: "2026-03-13" });
    expect(totals(after)).toEqual({
      clicked: 1,
      redirected: 0,
      bound: 1,
      running: 1,
      key_stored: 1,
      webhook_set: 0,
      first_message: 1,
    });
    expect(after.messagesSent).toBe(1);
  });

  it("shows no conversion after an empty stage and no times without keys", async () => {
    const report = await loadFunnel(testDb(), { from: "2026-03-10", to: "2026-03-11" });
    expect(report.days.map((day) => day.day)).toEqual(["2026-03-10", "2026-03-11"]);
    expect(report.stages.every((stage) => stage.total === 0 && stage.conversionPercent === null)).toBe(true);
    expect(report.clickToKey).toEqual({ channels: 0, medianMs: null, p90Ms: null });
    expect(report.messagesSent).toBe(0);
  });

  it("reads one client with two numbers, two keys and one test message as such", async () => {
    const now = new Date();
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
    const user = await createUser("owner@example.com");
    const owner = await client(user.id, { createdAt: minutesAgo(50) });
    await attempt(user.id, { clickedAt: minutesAgo(52), usedAt: minutesAgo(50), clientId: owner.id });
    for (const keyedAgo of [40, 30]) {
      const number = await channel(owner.id, { messagingWebhookSetAt: minutesAgo(keyedAgo - 1) });
      await statusEvent(number.id, "RUNNING", minutesAgo(50));
      await key(number.id, minutesAgo(keyedAgo));
      if (keyedAgo === 30) await message(number.id, "SENT", { createdAt: minutesAgo(5), sentAt: minutesAgo(5) });
    }

    const report = await loadFunnel(testDb(), defaultRange(now));
    expect(totals(report)).toEqual({
      clicked: 1,
      redirected: 1,
      bound: 1,
      running: 2,
      key_stored: 2,
      webhook_set: 2,
      first_message: 1,
    });
    expect(report.clickToKey).toEqual({ channels: 2, medianMs: 17 * 60_000, p90Ms: 21 * 60_000 });
  });
});

describe("conversionPercent", () => {
  it("divides by the previous stage, and refuses to divide by zero", () => {
    expect(conversionPercent(1, 4)).toBe(25);
    expect(conversionPercent(2, 1)).toBe(200);
    expect(conversionPercent(3, 0)).toBeNull();
    expect(conversionPercent(3, undefined)).toBeNull();
  });
});
