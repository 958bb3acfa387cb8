import { afterEach, describe, expect, it } from "vitest";
import { reconcileChannels } from "@/lib/channels/reconcile-channels";
import { runReconciliation } from "@/lib/cron/run-reconciliation";
import { API_KEY, control, PARTNER_ID, SECRET, waitFor } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { agreeingFleet, compareFleetWithHub, onboardTestFleet, queueLeftovers } from "./support/burst-fleet";
import { startWorkerProcess, type WorkerProcess } from "./support/burst-worker-process";
import { printProof } from "./support/print-proof";

const CLIENTS = 5;
const CHANNELS_PER_CLIENT = 2;
// lib/jobs/unlock-stale-jobs.ts frees a job locked longer than this (15 minutes), plus a margin.
const PAST_STALE_THRESHOLD = "16 minutes";
const MAX_RUNS = 3;

// Webhooks go nowhere: the key jobs come from the cron's reconciliation, as after lost webhooks.
const currentSandbox = startHubSandboxPerFile({
  lifecycleUntil: "live",
  webhookDelayMs: 20,
  webhookUrl: "http://127.0.0.1:9/api/webhooks/360dialog",
  retryMaxAttempts: 1,
});

let worker: WorkerProcess | undefined;
afterEach(() => worker?.kill());

type HubState = { channels: Array<{ id: string; status: string }>; apiKeyCreations: Record<string, number> };
const hubState = async () => (await control<HubState>(currentSandbox(), "GET", "/state")).json;
const createdAtHub = (state: HubState) => Object.values(state.apiKeyCreations).reduce((sum, n) => sum + n, 0);

describe("a job worker killed while it creates keys", () => {
  it("leaves nothing locked for good: the next reconciliation finishes every key, each created once", async () => {
    const started = Date.now();
    const sandbox = currentSandbox();
    const { queue, channelHubIds } = await onboardTestFleet(sandbox, {
      clients: CLIENTS,
      channelsPerClient: CHANNELS_PER_CLIENT,
      label: "killed",
    });
    await waitFor(async () => (await hubState()).channels.every((channel) => channel.status === "live"), 30_000);
    // The Hub creates each key but holds its answer: the worker dies with the creation's outcome unknown.
    await control(sandbox, "POST", "/faults/api", {
      kind: "timeout",
      phase: "after",
      count: channelHubIds.length,
      delayMs: 30_000,
      pathContains: "api_keys",
    });
    worker = startWorkerProcess({
      DATABASE_URL: process.env.DATABASE_URL!,
      HUB_API_URL: `${sandbox.url}/api/v2`,
      HUB_PARTNER_ID: PARTNER_ID,
      HUB_API_KEY: API_KEY,
      HUB_PLATFORM_SECRET: SECRET,
    });
    await waitFor(() => worker!.output().includes("worker: running jobs"), 60_000);
    // The cron's check finds the channels running and queues their keys; the worker picks them up.
    await reconcileChannels(queue);
    await waitFor(async () => createdAtHub(await hubState()) > 0, 30_000);
    await worker.kill();
    const createdBeforeKill = createdAtHub(await hubState());
    const lockedByDeadWorker = (await queueLeftovers(testDb())).locked;

    await control(sandbox, "DELETE", "/faults");
    // The dead worker's locks would be freed by the 15-minute threshold; we killed it and saw it
    // exit, so only the wait is skipped: its locks are dated back instead of the test sleeping.
    await testDb().$executeRawUnsafe(
      `UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '${PAST_STALE_THRESHOLD}'
       WHERE locked_at IS NOT NULL`,
    );
    let runs = 0;
    let releasedWorkers = 0;
    let supersededJobsRemoved = 0;
    let fleetState = await compareFleetWithHub(sandbox, testDb(), channelHubIds);
    while (runs < MAX_RUNS && (fleetState.withoutKey.length > 0 || fleetState.keyMismatch.length > 0)) {
      const report = await runReconciliation(queue);
      releasedWorkers += report.releasedWorkers;
      supersededJobsRemoved += report.supersededJobsRemoved;
      runs += 1;
      fleetState = await compareFleetWithHub(sandbox, testDb(), channelHubIds);
    }
    const readBack = await testDb().apiKey.count({ where: { liveChannelId: { not: null } } });
    const leftovers = await queueLeftovers(testDb());

    printProof("killed worker", {
      channels: channelHubIds.length,
      keys_created_before_kill: createdBeforeKill,
      jobs_locked_by_dead_worker: lockedByDeadWorker,
      released_workers: releasedWorkers,
      superseded_jobs_removed: supersededJobsRemoved,
      reconciliation_runs: runs,
      keys: readBack,
      duplicate_keys: fleetState.duplicateKeys + fleetState.extraHubCreations,
      jobs_locked_after: leftovers.locked,
      dead_job_rows: leftovers.dead,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(createdBeforeKill).toBeGreaterThan(0);
    expect(lockedByDeadWorker).toBeGreaterThan(0);
    expect(releasedWorkers).toBe(1);
    expect(fleetState).toEqual(agreeingFleet(CLIENTS * CHANNELS_PER_CLIENT));
    // Nothing locked, nothing left to run, and no retired row left to pass for a failed job.
    expect(leftovers).toEqual({ runnable: 0, locked: 0, dead: 0 });
  });
});
