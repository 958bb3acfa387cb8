import { describe, expect, it } from "vitest";
import { runReconciliation } from "@/lib/cron/run-reconciliation";
import { control, waitFor } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { agreeingFleet, compareFleetWithHub, onboardTestFleet, queueLeftovers } from "./support/burst-fleet";
import { printProof } from "./support/print-proof";

const CLIENTS = 20;
const CHANNELS_PER_CLIENT = 3;
// client_created per client; channel_created, _ready, _running, _live per channel.
const EXPECTED_WEBHOOKS = CLIENTS + CLIENTS * CHANNELS_PER_CLIENT * 4;
// More runs than needed: a run checks at most 50 channels, so 60 need two.
const MAX_RUNS = 5;

// Nothing listens on port 9, and a single attempt: every webhook the Hub sends is lost for good.
const currentSandbox = startHubSandboxPerFile({
  lifecycleUntil: "live",
  webhookDelayMs: 20,
  webhookUrl: "http://127.0.0.1:9/api/webhooks/360dialog",
  retryMaxAttempts: 1,
});

type Deliveries = { deliveries: Array<{ state: string }>; channels: Array<{ id: string; status: string }> };

describe("webhooks lost entirely", () => {
  it("lets the cron's reconciliation alone bring every channel live with exactly one key", async () => {
    const started = Date.now();
    const sandbox = currentSandbox();
    const { queue, channelHubIds } = await onboardTestFleet(sandbox, {
      clients: CLIENTS,
      channelsPerClient: CHANNELS_PER_CLIENT,
      label: "lost",
    });
    // The Hub has finished every lifecycle (and given up on every webhook) before the cron runs.
    const hub = await waitFor(async () => {
      const state = (await control<Deliveries>(sandbox, "GET", "/state")).json;
      const settled =
        state.deliveries.length === EXPECTED_WEBHOOKS && state.deliveries.every((d) => d.state !== "pending");
      const live = channelHubIds.every((id) => state.channels.find((c) => c.id === id)?.status === "live");
      return settled && live && state;
    }, 30_000);
    const dropped = hub.deliveries.filter((delivery) => delivery.state === "failed").length;
    const keysBefore = await testDb().apiKey.count();

    let runs = 0;
    let fleetState = await compareFleetWithHub(sandbox, testDb(), channelHubIds);
    while (runs < MAX_RUNS && (fleetState.wrongStatus.length > 0 || fleetState.withoutKey.length > 0)) {
      await runReconciliation(queue);
      runs += 1;
      fleetState = await compareFleetWithHub(sandbox, testDb(), channelHubIds);
    }
    const checkedInAll = await testDb().channel.count({ where: { verifiedAt: { not: null } } });

    printProof("webhooks lost entirely", {
      channels: channelHubIds.length,
      webhooks_dropped: dropped,
      webhooks_received: await testDb().webhookEvent.count(),
      reconciliation_runs: runs,
      keys: await testDb().apiKey.count({ where: { liveChannelId: { not: null } } }),
      wrong_state: fleetState.wrongStatus.length,
      duplicate_keys: fleetState.duplicateKeys + fleetState.extraHubCreations,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(dropped).toBe(EXPECTED_WEBHOOKS);
    expect(await testDb().webhookEvent.count()).toBe(0);
    expect(keysBefore).toBe(0);
    // One run checks at most 50 channels: the rest are finished by the next one.
    expect(runs).toBe(Math.ceil(channelHubIds.length / 50));
    expect(checkedInAll).toBe(channelHubIds.length);
    expect(fleetState).toEqual(agreeingFleet(CLIENTS * CHANNELS_PER_CLIENT));
    expect(await queueLeftovers(testDb())).toEqual({ runnable: 0, locked: 0, dead: 0 });
  });
});
