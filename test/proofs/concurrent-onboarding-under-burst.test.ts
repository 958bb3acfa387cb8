import { afterAll, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { localDefaults } from "@/lib/config/local-defaults";
import { runDueJobs } from "@/lib/jobs/run-jobs";
import type { RunningSandbox } from "@/sandbox/server";
import { API_KEY, control, PARTNER_ID, SECRET, waitFor } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { importRouteWith } from "@/test/route-harness";
import { compareFleetWithHub, onboardFleet, queueLeftovers } from "./support/burst-fleet";
import { sandboxJobQueue } from "./support/burst-job-queue";
import { serveTalliedWebhookRoute, type TalliedWebhookEndpoint } from "./support/burst-webhook-endpoint";
import { deadlocksDetected, namedConnections, whenSessionsEnded } from "./support/concurrent-deadlocks";
import { prepareUser, signedInPerRequest, type PreparedUser, type TypedEmail } from "./support/concurrent-users";
import { printProof } from "./support/print-proof";
import { log } from "@/lib/observability/log";

const USERS = 50;
const PREPARED_AT_ONCE = 5;
// Clients onboarded before the rush, whose numbers the burst hits too: webhooks for channels no one is onboarding.
const OTHER_CLIENTS = 5;
const CHANNELS_PER_OTHER_CLIENT = 3;
const LIFECYCLE_EVENTS_PER_CHANNEL = 4;
const QUALITY_ROUNDS = 4;
const TIERS = ["TIER_250", "TIER_1K", "TIER_10K", "TIER_100K"];
const DRAINS_AT_ONCE = 4;
// Far above the ~20 s this takes on a busy 2-core machine: only a hang reaches it.
const DEADLINE_MS = 150_000;
const GRACE_MS = 30_000;
const SESSIONS = "concurrent-onboarding-proof";
const APP_ORIGIN = new URL(localDefaults.APP_URL).origin;

// A lifecycle step every 250 ms keeps each new channel's webhooks arriving while the redirects are reported.
const currentSandbox = startHubSandboxPerFile({
  lifecycleUntil: "live",
  webhookDelayMs: 250,
  webhookTimeoutMs: 5000,
  retryBaseMs: 100,
  retryMaxDelayMs: 1000,
  retryMaxAttempts: 60,
});

let endpoint: TalliedWebhookEndpoint | undefined;
let queueDb: PrismaClient | undefined;

afterAll(async () => {
  await endpoint?.close();
  await queueDb?.$disconnect();
});

/** Half type their own email at the Hub, most others the same one in capitals, one in ten another one. */
function typedEmailOf(index: number): TypedEmail {
  if (index % 10 < 5) return "own";
  return index % 10 < 9 ? "own-in-capitals" : "other";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The work's value, or undefined when it has not settled within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

type Delivery = {
  eventId: string;
  event: string;
  state: string;
  attempts: Array<{ status: number | null; error: string | null }>;
};

/** The sandbox's recent deliveries (it keeps the last 500) that the portal never answered 200, with their attempts. */
async function unacknowledged(sandbox: RunningSandbox, endpoint: TalliedWebhookEndpoint): Promise<string[]> {
  const { deliveries } = (await control<{ deliveries: Delivery[] }>(sandbox, "GET", "/state")).json;
  return deliveries
    .filter((delivery) => !endpoint.tally.byEvent.get(delivery.eventId)?.includes(200))
    .map((delivery) => `${delivery.event} ${delivery.eventId} ${delivery.state}: ${JSON.stringify(delivery.attempts)}`);
}

type Handler = (request: Request) => Promise<Response>;
type Answer = { status: number; json: { client?: { id: string; binding: string } } };

async function reportRedirect(POST: Handler, body: PreparedUser["body"]): Promise<Answer> {
  const request = new Request(`${APP_ORIGIN}/api/onboarding`, {
    method: "POST",
    headers: { origin: APP_ORIGIN, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // A handler that throws is what Next answers 500 for.
  const response = await POST(request).catch(() => new Response(null, { status: 500 }));
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Answer["json"] };
}

describe("50 clients onboarding at once while a webhook burst runs", () => {
  it("finishes without a deadlock or a 5xx, binds every client to its own user and gives each running channel one key", async () => {
    const sandbox = currentSandbox();
    const databaseUrl = namedConnections(process.env.DATABASE_URL!, SESSIONS);
    // Logged failures are counted and shown, instead of failing the request that logged them.
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
    vi.spyOn(log, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args.filter((arg) => typeof arg === "string").join(" "));
    });

    endpoint = await serveTalliedWebhookRoute(databaseUrl);
    const { POST } = await importRouteWith(() => import("@/app/api/onboarding/route"), {
      DATABASE_URL: databaseUrl,
      HUB_API_URL: `${sandbox.url}/api/v2`,
      HUB_PARTNER_ID: PARTNER_ID,
      HUB_API_KEY: API_KEY,
      HUB_PLATFORM_SECRET: SECRET,
    });
    queueDb = createPrismaClient(databaseUrl);
    const queue = sandboxJobQueue(queueDb, databaseUrl, sandbox);
    await control(sandbox, "PATCH", "/config", { webhookUrl: endpoint.url });

    const others = await onboardFleet(sandbox, queue, {
      clients: OTHER_CLIENTS,
      channelsPerClient: CHANNELS_PER_OTHER_CLIENT,
      label: "elsewhere",
    });
    // The set-up is not what is measured: users are prepared a few at a time, so it never queues
    // behind the test database's small connection pool.
    const users: PreparedUser[] = [];
    for (let first = 0; first < USERS; first += PREPARED_AT_ONCE) {
      const batch = Array.from({ length: Math.min(PREPARED_AT_ONCE, USERS - first) }, (_, offset) => first + offset);
      users.push(
        ...(await Promise.all(
          batch.map((index) =>
            prepareUser(sandbox, {
              email: `rush-${index}@example.com`,
              typed: typedEmailOf(index),
              numbers: 1 + (index % 3),
              clientIp: `198.51.100.${index + 1}`,
            }),
          ),
        )),
      );
    }
    const otherChannels = others.flatMap((client) => client.channelHubIds);
    const userChannels = users.flatMap((prepared) => prepared.body.channels);
    const deadlocksBefore = await deadlocksDetected(testDb());

    const asUser = signedInPerRequest();
    const pending = new Set<string>();
    const tracked = <T>(label: string, work: Promise<T>): Promise<T> => {
      pending.add(label);
      return work.finally(() => pending.delete(label));
    };
    let settled = false;
    const started = Date.now();

    const onboardings = Promise.all(
      users.map((prepared, index) =>
        tracked(
          `onboarding ${index}`,
          asUser(prepared.user, () => reportRedirect(POST, prepared.body)),
        ),
      ),
    );
    const burst = tracked(
      "quality burst",
      (async () => {
        for (let round = 0; round < QUALITY_ROUNDS; round++) {
          await Promise.all(
            [...otherChannels, ...userChannels].map((hubId) =>
              control(sandbox, "POST", `/channels/${hubId}/quality`, { value: TIERS[round % TIERS.length] }),
            ),
          );
          await sleep(100);
        }
      })(),
    );
    // Every accepted webhook and every report schedules a drain after its response: several run at once.
    const drains = Array.from({ length: DRAINS_AT_ONCE }, (_, index) =>
      tracked(
        `drain ${index}`,
        (async () => {
          while (!settled) {
            await runDueJobs(queue);
            await sleep(20);
          }
        })(),
      ),
    );

    const allChannels = otherChannels.length + userChannels.length;
    const expectedWebhooks = OTHER_CLIENTS + USERS + allChannels * (LIFECYCLE_EVENTS_PER_CHANNEL + QUALITY_ROUNDS);
    const acknowledged = () =>
      [...endpoint!.tally.byEvent.values()].filter((statuses) => statuses.includes(200)).length;
    const webhooksAnswered = waitFor(() => acknowledged() >= expectedWebhooks, DEADLINE_MS).catch(() => false);
    const answers = await within(DEADLINE_MS, Promise.all([onboardings, burst, webhooksAnswered]));
    settled = true;
    // A drain stopped mid-run finishes that run: only what is still running after this grace hangs.
    await within(GRACE_MS, Promise.allSettled(drains));
    const hung = [...pending];
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    // What the after() drains of the last requests would still find, run the same way.
    for (let round = 0; round < 5 && (await queueLeftovers(queueDb)).runnable > 0; round++) {
      await Promise.all(Array.from({ length: DRAINS_AT_ONCE }, () => runDueJobs(queue)));
    }
    const leftovers = await queueLeftovers(queueDb);

    await endpoint.close();
    await queueDb.$disconnect();
    await whenSessionsEnded(testDb(), SESSIONS, 30_000);
    const deadlocksInPostgres = (await deadlocksDetected(testDb())) - deadlocksBefore;

    const onboardingStatuses = (answers?.[0] ?? []).map((answer) => answer.status);
    const webhookStatuses = [...endpoint.tally.byEvent.values()].flat();
    const status5xx = [...onboardingStatuses, ...webhookStatuses].filter((status) => status >= 500).length;

    const db = testDb();
    const clients = await db.client.findMany({
      where: { hubId: { in: users.map((prepared) => prepared.body.client) } },
      select: { hubId: true, userId: true, bindingState: true, _count: { select: { channels: true } } },
    });
    const clientOf = new Map(clients.map((client) => [client.hubId, client]));
    const wrongBindings = users.flatMap((prepared, index) => {
      const stored = clientOf.get(prepared.body.client);
      const answered = answers?.[0][index]?.json.client;
      const right =
        stored?.userId === prepared.user.id &&
        stored.bindingState === prepared.expectedBinding &&
        stored._count.channels === prepared.body.channels.length &&
        answered?.id === prepared.body.client &&
        answered.binding === (prepared.expectedBinding === "BOUND" ? "bound" : "awaiting_approval");
      return right ? [] : [`${prepared.user.email} (${prepared.typed}): ${JSON.stringify({ stored, answered })}`];
    });
    const clientsPerUser = await db.client.groupBy({ by: ["userId"], _count: { _all: true } });

    const bound = users.filter((prepared) => prepared.expectedBinding === "BOUND");
    const awaiting = users.filter((prepared) => prepared.expectedBinding === "AWAITING_APPROVAL");
    const boundChannels = [...otherChannels, ...bound.flatMap((prepared) => prepared.body.channels)];
    const awaitingChannels = awaiting.flatMap((prepared) => prepared.body.channels);
    const fleet = await compareFleetWithHub(sandbox, db, boundChannels);
    const hub = (await control<{ apiKeyCreations: Record<string, number> }>(sandbox, "GET", "/state")).json;
    const keysOfAwaiting = await db.apiKey.count({ where: { channel: { hubId: { in: awaitingChannels } } } });
    const hubKeysOfAwaiting = awaitingChannels.filter((hubId) => (hub.apiKeyCreations[hubId] ?? 0) > 0);
    const unfinishedEvents = await db.webhookEvent.count({ where: { state: { notIn: ["PROCESSED", "IGNORED"] } } });

    printProof("concurrent onboarding under burst", {
      users: USERS,
      onboardings_at_once: users.length,
      webhooks: endpoint.tally.byEvent.size,
      drains_at_once: DRAINS_AT_ONCE,
      status_5xx: status5xx,
      deadlocks: hung.length + deadlocksInPostgres,
      wrong_bindings: wrongBindings.length,
      duplicate_keys: fleet.duplicateKeys + fleet.extraHubCreations,
      seconds,
    });

    expect(hung, `still running after ${DEADLINE_MS} ms`).toEqual([]);
    expect(deadlocksInPostgres, "deadlocks PostgreSQL detected and broke").toBe(0);
    expect(logged).toEqual([]);
    expect(onboardingStatuses).toEqual(users.map(() => 200));
    expect(webhookStatuses.filter((status) => status !== 200)).toEqual([]);
    expect(await unacknowledged(sandbox, endpoint), "webhooks the portal never acknowledged").toEqual([]);
    expect(endpoint.tally.byEvent.size).toBe(expectedWebhooks);
    expect(endpoint.tally.unidentified).toBe(0);
    expect(wrongBindings).toEqual([]);
    expect(clientsPerUser.every((group) => group._count._all === 1)).toBe(true);
    expect([bound.length, awaiting.length]).toEqual([45, 5]);
    expect(fleet).toEqual({
      channels: boundChannels.length,
      wrongStatus: [],
      withoutKey: [],
      duplicateKeys: 0,
      extraHubCreations: 0,
      keyMismatch: [],
    });
    expect(keysOfAwaiting).toBe(0);
    expect(hubKeysOfAwaiting).toEqual([]);
    expect(unfinishedEvents).toBe(0);
    expect(leftovers).toEqual({ runnable: 0, locked: 0, dead: 0 });
  });
});
