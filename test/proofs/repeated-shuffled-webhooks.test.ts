import { mkdtempSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPartnerApi } from "@/lib/hub/partner-api";
import type { RunningSandbox } from "@/sandbox/server";
import {
  API_KEY,
  control,
  onboard,
  PARTNER_ID,
  SECRET,
  startReceiver,
  startTestSandbox,
  waitFor,
  type Received,
} from "@/sandbox/test/helpers";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { drainJobs } from "@/test/jobs";
import { importRouteWith, scheduledAfterResponse } from "@/test/route-harness";
import { printProof } from "./support/print-proof";
import { drainQueueToEmpty } from "./support/replay-drain-queue";
import { seededRandom, shuffled } from "./support/replay-seeded-random";
import { snapshotTables } from "./support/replay-table-snapshot";

const CLIENTS = 10;
const SEED = 15_002;
const DELIVERIES_PER_WEBHOOK = 3;
// The queue runs between deliveries as the route's after() would, every this many deliveries.
const DRAIN_EVERY = 15;

interface HubState {
  clients: { id: string; email: string }[];
  channels: { id: string; clientId: string; status: string; revokedAt: string | null }[];
  apiKeyCreations: Record<string, number>;
}

const workDir = mkdtempSync(join(tmpdir(), "replay-proof-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Now, or `laterMs` after it, as the Hub writes times. */
const isoNow = (laterMs = 0) => new Date(Date.now() + laterMs).toISOString();

/**
 * A full run at a Hub sandbox whose every partner webhook lands on a recording receiver: ten
 * clients (three with two numbers) through created → ready → running → live, quality changes
 * (two on one number, in a known order), a restriction, a violation, and a number revoked.
 * Returns the webhooks as signed and sent, and the Hub's state file for the replays' sandboxes.
 */
async function recordFullRun(): Promise<{ webhooks: Received[]; stateFile: string }> {
  const receiver = await startReceiver();
  const stateFile = join(workDir, "recorded-hub.json");
  const hub = await startTestSandbox({
    webhookUrl: receiver.url,
    lifecycleUntil: "live",
    webhookDelayMs: 20,
    stateFile,
  });
  try {
    const channels: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const onboarded = await onboard(hub, { email: `replay-${i}@example.com`, numbers: i < 3 ? 2 : 1 });
      channels.push(...onboarded.channels);
    }
    const lived = () => receiver.received.filter((r) => r.json.event === "channel_live").length;
    await waitFor(() => lived() === channels.length, 60_000);
    const [first, second, third, fourth] = channels as [string, string, string, string];
    await control(hub, "POST", `/channels/${first}/quality`, { value: "10K", quality: "GREEN" });
    await control(hub, "POST", `/channels/${first}/quality`, { value: "100K", quality: "YELLOW" });
    await control(hub, "POST", `/channels/${second}/quality`, { value: "1K", quality: "RED" });
    await control(hub, "POST", "/events", {
      event: "account_restriction",
      // Restrictions carry the Hub's time like every channel event; it orders them.
      data: { channel_id: third, restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", timestamp: isoNow() },
    });
    await control(hub, "POST", "/events", {
      event: "account_violation",
      data: { channel_id: third, violation_type: "SCAM", timestamp: isoNow(1) },
    });
    await control(hub, "POST", `/channels/${fourth}/status`, { status: "revoked" });
    const expected = channels.length * 4 + CLIENTS + 6;
    await waitFor(() => receiver.received.length === expected, 60_000);
    // Nothing late: the count stays where it is.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(expected);
    return { webhooks: [...receiver.received], stateFile };
  } finally {
    await hub.close();
    await receiver.close();
  }
}

/** What the redirects stored before any webhook: each client bound to its owner, its channels pending. */
async function storeOnboardedClients(hubState: HubState): Promise<void> {
  for (const client of hubState.clients) {
    const user = await createUser(client.email);
    const stored = await testDb().client.create({ data: { hubId: client.id, userId: user.id, bindingState: "BOUND" } });
    for (const channel of hubState.channels.filter((c) => c.clientId === client.id)) {
      await testDb().channel.create({ data: { hubId: channel.id, clientId: stored.id } });
    }
  }
}

/**
 * One replay into an emptied database, through the real route handler and the real job queue,
 * with a Hub sandbox of its own started from the recorded Hub's state (it knows every client and
 * channel, and has created no key yet). Returns the tables and the Hub's key creations.
 */
async function replay(
  deliveries: Received[],
  stateFile: string,
  name: string,
): Promise<{ tables: Awaited<ReturnType<typeof snapshotTables>>; hub: HubState }> {
  await resetDatabase();
  const ownStateFile = join(workDir, `${name}-hub.json`);
  copyFileSync(stateFile, ownStateFile);
  const hub: RunningSandbox = await startTestSandbox({
    lifecycleUntil: "created",
    stateFile: ownStateFile,
  });
  try {
    const before = (await control<HubState>(hub, "GET", "/state")).json;
    expect(before.apiKeyCreations).toEqual({});
    await storeOnboardedClients(before);
    const partnerApi = createPartnerApi({ baseUrl: `${hub.url}/api/v2`, partnerId: PARTNER_ID, apiKey: API_KEY });
    const { POST } = await importRouteWith(() => import("@/app/api/webhooks/360dialog/route"), {
      // The secret the recording Hub signed with.
      HUB_PLATFORM_SECRET: SECRET,
    });
    for (const [index, delivery] of deliveries.entries()) {
      const response = await POST(
        new Request("http://localhost/api/webhooks/360dialog", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-360dialog-signature": String(delivery.headers["x-360dialog-signature"]),
          },
          body: delivery.raw,
        }),
      );
      expect(response.status, `delivery ${index} (${delivery.json.event})`).toBe(200);
      // The drains below stand in for the route's after(): same queue, this run's Hub.
      scheduledAfterResponse.length = 0;
      if ((index + 1) % DRAIN_EVERY === 0) await drainJobs(partnerApi);
    }
    await drainQueueToEmpty(partnerApi);
    return { tables: await snapshotTables(), hub: (await control<HubState>(hub, "GET", "/state")).json };
  } finally {
    await hub.close();
  }
}

/** One creation for each channel the Hub lets the partner key (running or live, not revoked), none for the rest. */
function expectedCreations(hub: HubState): Record<string, number> {
  return Object.fromEntries(
    hub.channels
      .filter((channel) => (channel.status === "running" || channel.status === "live") && channel.revokedAt === null)
      .map((channel) => [channel.id, 1]),
  );
}

/** Rows of either side with no equal row left on the other: a changed row counts once on each side. */
function unmatchedRows(left: unknown[], right: unknown[]): number {
  const remaining = new Map<string, number>();
  for (const row of right) remaining.set(JSON.stringify(row), (remaining.get(JSON.stringify(row)) ?? 0) + 1);
  let unmatched = 0;
  for (const row of left) {
    const key = JSON.stringify(row);
    const count = remaining.get(key) ?? 0;
    if (count > 0) remaining.set(key, count - 1);
    else unmatched += 1;
  }
  return unmatched + [...remaining.values()].reduce((sum, n) => sum + n, 0);
}

describe("partner webhooks repeated and shuffled", () => {
  it("three shuffled deliveries of every webhook end in the same tables as one ordered delivery", async () => {
    const started = Date.now();
    const { webhooks, stateFile } = await recordFullRun();

    const ordered = await replay(webhooks, stateFile, "ordered");
    const random = seededRandom(SEED);
    const repeated = shuffled(
      webhooks.flatMap((webhook) => Array.from({ length: DELIVERIES_PER_WEBHOOK }, () => webhook)),
      random,
    );
    const chaotic = await replay(repeated, stateFile, "shuffled");

    // Both Hubs started from the recorded state with no key: each run created one key per keyable channel.
    expect(ordered.hub.apiKeyCreations).toEqual(expectedCreations(ordered.hub));
    expect(chaotic.hub.apiKeyCreations).toEqual(expectedCreations(chaotic.hub));
    expect(Object.keys(ordered.hub.apiKeyCreations).length).toBeGreaterThanOrEqual(CLIENTS);

    const tableNames = Object.keys(ordered.tables);
    let rows = 0;
    const differing: Record<string, number> = {};
    for (const table of tableNames) {
      const clean = ordered.tables[table] ?? [];
      rows += clean.length;
      differing[table] = unmatchedRows(clean, chaotic.tables[table] ?? []);
    }
    const differences = Object.values(differing).reduce((sum, n) => sum + n, 0);
    console.log(`differing rows per table: ${tableNames.map((t) => `${t}=${differing[t]}`).join(", ")}`);
    const webhooksStored = ordered.tables.WebhookEvent?.length ?? 0;
    console.log(
      `rows per table: ${tableNames.map((t) => `${t}=${ordered.tables[t]?.length ?? 0}`).join(", ")}; shuffle seed ${SEED}; ${Date.now() - started} ms`,
    );
    printProof("repetition and order", {
      webhooks: webhooks.length,
      deliveries: repeated.length,
      tables_compared: tableNames.length,
      rows_compared: rows,
      differences,
    });
    expect(webhooksStored).toBe(webhooks.length);
    for (const table of tableNames) expect(chaotic.tables[table], `table ${table}`).toEqual(ordered.tables[table]);
    expect(differences).toBe(0);
  });
});
