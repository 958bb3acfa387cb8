import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { runDueJobs } from "@/lib/jobs/run-jobs";
import { control, startSandboxPerFile, waitFor } from "@/sandbox/test/helpers";
import { agreeingFleet, compareFleetWithHub, onboardFleet, queueLeftovers } from "./support/burst-fleet";
import { sandboxJobQueue } from "./support/burst-job-queue";
import { startStoppablePostgres, type StoppablePostgres } from "./support/burst-postgres";
import { serveTalliedWebhookRoute, type TalliedWebhookEndpoint } from "./support/burst-webhook-endpoint";
import { printProof } from "./support/print-proof";
import { log } from "@/lib/observability/log";

const CLIENTS = 17;
const CHANNELS_PER_CLIENT = 3;
// Lifecycle events per channel: channel_created, _ready, _running, _live; plus one client_created per client.
const LIFECYCLE_EVENTS_PER_CHANNEL = 4;
const QUALITY_EVENTS_PER_CHANNEL = 35;
const TIERS = ["TIER_250", "TIER_1K", "TIER_10K", "TIER_100K"];
// The outage starts once this many burst events were emitted and lasts this long after the stop.
const OUTAGE_AFTER_EVENTS = 400;
const OUTAGE_MS = 4000;
const PARALLEL_DRAINS = 4;

// The Hub's real redelivery, compressed: exponential from 100 ms, capped at 1 s, up to 60 attempts.
const currentSandbox = startSandboxPerFile({
  lifecycleUntil: "live",
  webhookDelayMs: 20,
  webhookTimeoutMs: 5000,
  retryBaseMs: 100,
  retryMaxDelayMs: 1000,
  retryMaxAttempts: 60,
});

let database: StoppablePostgres;
let db: PrismaClient;
let endpoint: TalliedWebhookEndpoint;

beforeAll(async () => {
  database = await startStoppablePostgres();
  db = createPrismaClient(database.url);
  endpoint = await serveTalliedWebhookRoute(database.url);
}, 120_000);

afterAll(async () => {
  await endpoint?.close();
  await db?.$disconnect();
  await database?.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a webhook burst while PostgreSQL is stopped", () => {
  it("answers 503 while it is down, stores every redelivered event exactly once and finishes every channel", async () => {
    const started = Date.now();
    const sandbox = currentSandbox();
    const queue = sandboxJobQueue(db, database.url, sandbox);
    await control(sandbox, "PATCH", "/config", { webhookUrl: endpoint.url });
    // The route logs each event it could not store; the proof counts those lines instead of failing on them.
    const notStoredLogs: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      notStoredLogs.push(args.map(String).join(" "));
    });
    vi.spyOn(log, "error").mockImplementation((...args: unknown[]) => {
      notStoredLogs.push(args.filter((arg) => typeof arg === "string").join(" "));
    });

    const fleet = await onboardFleet(sandbox, queue, {
      clients: CLIENTS,
      channelsPerClient: CHANNELS_PER_CLIENT,
      label: "burst",
    });
    const channelHubIds = fleet.flatMap((client) => client.channelHubIds);
    const onboarded = Date.now();

    let emitted = 0;
    let outage: Promise<void> | undefined;
    for (let round = 0; round < QUALITY_EVENTS_PER_CHANNEL; round++) {
      await Promise.all(
        channelHubIds.map((hubId) =>
          control(sandbox, "POST", `/channels/${hubId}/quality`, { value: TIERS[round % TIERS.length] }),
        ),
      );
      emitted += channelHubIds.length;
      outage ??=
        emitted >= OUTAGE_AFTER_EVENTS
          ? database
              .stop()
              .then(() => sleep(OUTAGE_MS))
              .then(() => database.start())
          : undefined;
      // Spread the burst over the outage instead of queueing it all at once.
      await sleep(60);
    }
    await outage;

    const expectedEvents = CLIENTS + channelHubIds.length * (LIFECYCLE_EVENTS_PER_CHANNEL + QUALITY_EVENTS_PER_CHANNEL);
    const acknowledged = () => [...endpoint.tally.byEvent.values()].filter((statuses) => statuses.includes(200)).length;
    await waitFor(() => acknowledged() >= expectedEvents, 120_000);
    const burstDone = Date.now();

    // Each acknowledged webhook starts a drain after its response; a few at once is what a burst looks like.
    for (let round = 0; round < 3 && (await queueLeftovers(db)).runnable > 0; round++) {
      await Promise.all(Array.from({ length: PARALLEL_DRAINS }, () => runDueJobs(queue)));
    }

    const attempts = [...endpoint.tally.byEvent.values()];
    const statuses = attempts.flat();
    const answered503 = statuses.filter((status) => status === 503).length;
    const otherFailures = statuses.filter((status) => status !== 200 && status !== 503);
    const redelivered = attempts.reduce((sum, list) => sum + list.length - 1, 0);
    const lost = attempts.filter((list) => list.at(-1) !== 200).length;
    const hubKeys = [...endpoint.tally.byEvent.keys()].map((id) => `hub:${id}`);
    const storedOnce = await db.webhookEvent.count({ where: { dedupeKey: { in: hubKeys } } });
    const storedInAll = await db.webhookEvent.count({ where: { source: "PARTNER" } });
    const unfinishedEvents = await db.webhookEvent.count({ where: { state: { notIn: ["PROCESSED", "IGNORED"] } } });
    const fleetState = await compareFleetWithHub(sandbox, db, channelHubIds);
    const leftovers = await queueLeftovers(db);

    printProof("webhook burst with database down", {
      events: endpoint.tally.byEvent.size,
      channels: channelHubIds.length,
      answered_503: answered503,
      redelivered,
      stored_once: storedOnce,
      lost,
      duplicate_keys: fleetState.duplicateKeys + fleetState.extraHubCreations,
      other_5xx: otherFailures.length,
      onboarding_s: ((onboarded - started) / 1000).toFixed(1),
      burst_s: ((burstDone - onboarded) / 1000).toFixed(1),
      total_s: ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(endpoint.tally.byEvent.size).toBe(expectedEvents);
    expect(endpoint.tally.unidentified).toBe(0);
    // The outage really hit the burst, and the Hub's redeliveries carried it through.
    expect(answered503).toBeGreaterThan(0);
    expect(redelivered).toBeGreaterThanOrEqual(answered503);
    expect(otherFailures).toEqual([]);
    expect(lost).toBe(0);
    expect(notStoredLogs).toHaveLength(answered503);
    expect(notStoredLogs.every((line) => line.startsWith("Webhook not stored"))).toBe(true);
    expect(storedOnce).toBe(expectedEvents);
    expect(storedInAll).toBe(expectedEvents);
    expect(unfinishedEvents).toBe(0);
    expect(fleetState).toEqual(agreeingFleet(CLIENTS * CHANNELS_PER_CLIENT));
    expect(leftovers).toEqual({ runnable: 0, locked: 0, dead: 0 });
  });
});
