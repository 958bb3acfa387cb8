import { describe, expect, it } from "vitest";
import { enqueueDueKeys } from "@/lib/channels/enqueue-key-provisioning";
import { openSecret } from "@/lib/crypto/secret-box";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { API_KEY, control, PARTNER_ID } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { TEST_KEY_RING } from "@/test/jobs";
import { runningChannel } from "@/test/running-channel";
import { printProof } from "./support/print-proof";
import { drainQueueToEmpty } from "./support/replay-drain-queue";
import { seededRandom } from "./support/replay-seeded-random";

const CHANNELS = 50;
const SEED = 15_001;
// The client gives up well before the sandbox answers a held call, so every timeout fault is one.
const CLIENT_TIMEOUT_MS = 500;
const HELD_MS = 2_000;

const FAULTS = {
  "500": { kind: "500", phase: "before" },
  "429": { kind: "429", phase: "before" },
  timeout_before: { kind: "timeout", phase: "before" },
  timeout_after: { kind: "timeout", phase: "after" },
  reset_before: { kind: "reset", phase: "before" },
  reset_after: { kind: "reset", phase: "after" },
} as const;
type FaultName = keyof typeof FAULTS;
// Spelled out: Object.keys would put the numeric names first, in numeric order.
const FAULT_NAMES: FaultName[] = ["500", "429", "timeout_before", "timeout_after", "reset_before", "reset_after"];
// An "after" fault leaves a key at the Hub that the next try reads back without calling POST again,
// so it can only be a channel's last fault: anything armed behind it would never be reached.
const LEAVES_A_KEY = new Set<FaultName>(["timeout_after", "reset_after"]);

interface HubState {
  apiKeys: { channelId: string; apiKey: string; revokedAt: string | null }[];
  apiKeyCreations: Record<string, number>;
  faults: { api: unknown[] };
}

const sandbox = startHubSandboxPerFile();

/** Up to three faults for one channel's key creation, in the order its tries meet them. */
function faultPlan(random: () => number): FaultName[] {
  const plan: FaultName[] = [];
  const wanted = Math.floor(random() * 4);
  while (plan.length < wanted) {
    const name = FAULT_NAMES[Math.floor(random() * FAULT_NAMES.length)]!;
    plan.push(name);
    if (LEAVES_A_KEY.has(name)) break;
  }
  return plan;
}

describe("API-key creation under Partner API faults", () => {
  it(`ends ${CHANNELS} running channels with exactly one live key each, the one the Hub holds`, async () => {
    const started = Date.now();
    const partnerApi = createPartnerApi({
      baseUrl: `${sandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      apiKey: API_KEY,
      timeoutMs: CLIENT_TIMEOUT_MS,
    });
    const channels = [];
    for (let i = 0; i < CHANNELS; i++) {
      channels.push((await runningChannel(sandbox(), { email: `faults-${i}@example.com` })).channel);
    }

    const random = seededRandom(SEED);
    const injected = Object.fromEntries(FAULT_NAMES.map((name) => [name, 0])) as Record<FaultName, number>;
    const mix: string[] = [];
    for (const channel of channels) {
      const plan = faultPlan(random);
      for (const name of plan) {
        injected[name] += 1;
        const armed = await control(sandbox(), "POST", "/faults/api", {
          ...FAULTS[name],
          method: "POST",
          pathContains: `/channels/${channel.hubId}/api_keys`,
          retryAfterSeconds: 30,
          delayMs: HELD_MS,
        });
        expect(armed.status).toBe(200);
      }
      mix.push(`${channel.hubId}:${plan.join("+") || "none"}`);
    }
    console.log(`fault mix (seed ${SEED}): ${mix.join(" ")}`);

    expect(
      await enqueueDueKeys(
        testDb(),
        channels.map((channel) => channel.id),
      ),
    ).toBe(CHANNELS);
    const queue = await drainQueueToEmpty(partnerApi);

    const hub = (await control<HubState>(sandbox(), "GET", "/state")).json;
    // Every armed fault met a creation: the mix printed is the mix that happened.
    expect(hub.faults.api).toEqual([]);
    const liveKeys = await testDb().apiKey.findMany({ where: { liveChannelId: { not: null } } });
    const portalKeys = await testDb().apiKey.count();
    let duplicateKeys = 0;
    let orphanHubKeys = 0;
    for (const channel of channels) {
      const mine = liveKeys.filter((key) => key.channelId === channel.id);
      expect(mine, `live keys of ${channel.hubId}`).toHaveLength(1);
      const plaintext = openSecret(
        TEST_KEY_RING,
        { ciphertext: Buffer.from(mine[0]!.ciphertext), keyVersion: mine[0]!.keyVersion },
        channel.id,
      );
      const atHub = hub.apiKeys.filter((key) => key.channelId === channel.hubId);
      const active = atHub.filter((key) => key.revokedAt === null);
      expect(
        active.map((key) => key.apiKey),
        `active Hub key of ${channel.hubId}`,
      ).toEqual([plaintext]);
      expect(hub.apiKeyCreations[channel.hubId], `creations for ${channel.hubId}`).toBe(1);
      duplicateKeys += Math.max(0, (hub.apiKeyCreations[channel.hubId] ?? 0) - 1);
      orphanHubKeys += atHub.filter((key) => key.apiKey !== plaintext).length;
    }
    const stateOf = await testDb().channel.groupBy({ by: ["keyState"], _count: true });
    expect(stateOf).toEqual([{ keyState: "STORED", _count: CHANNELS }]);
    expect(portalKeys).toBe(CHANNELS);
    expect(await testDb().keyCreationGuard.count()).toBe(0);

    const total = FAULT_NAMES.reduce((sum, name) => sum + injected[name], 0);
    for (const name of FAULT_NAMES) expect(injected[name], `faults of kind ${name}`).toBeGreaterThan(0);
    console.log(
      `queue drained in ${queue.rounds} rounds; ${queue.broughtForward} future job(s) moved to now instead of waited for; ${Date.now() - started} ms`,
    );
    printProof("key creation under faults", {
      channels: CHANNELS,
      faults_injected: `${total} (${FAULT_NAMES.map((name) => `${name}=${injected[name]}`).join(", ")})`,
      live_keys: liveKeys.length,
      duplicate_keys: duplicateKeys,
      orphan_hub_keys: orphanHubKeys,
    });
    expect({ duplicateKeys, orphanHubKeys, liveKeys: liveKeys.length }).toEqual({
      duplicateKeys: 0,
      orphanHubKeys: 0,
      liveKeys: CHANNELS,
    });
  });
});
