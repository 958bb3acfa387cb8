import { describe, expect, it } from "vitest";
import { openSecret } from "@/lib/crypto/secret-box";
import { HubApiError } from "@/lib/hub/http";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { enqueueDueKeys } from "@/lib/channels/enqueue-key-provisioning";
import { API_KEY, control, PARTNER_ID } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { drainJobs, TEST_KEY_RING } from "@/test/jobs";
import { runningChannel as createRunningChannel } from "@/test/running-channel";
import { provisionApiKey } from "./provision-api-key";

// Real PostgreSQL, the real job queue and the sandbox over HTTP, which counts key creations.
const currentSandbox = startHubSandboxPerFile();
const partnerApi = () =>
  createPartnerApi({
    baseUrl: `${currentSandbox().url}/api/v2`,
    partnerId: PARTNER_ID,
    apiKey: API_KEY,
    timeoutMs: 2000,
  });
const deps = () => ({ db: testDb(), partnerApi: partnerApi(), keyRing: TEST_KEY_RING });

const runningChannel = (options: Parameters<typeof createRunningChannel>[1] = {}) =>
  createRunningChannel(currentSandbox(), options);

async function creations(hubId: string): Promise<number> {
  const state = (await control<{ apiKeyCreations: Record<string, number> }>(currentSandbox(), "GET", "/state")).json;
  return state.apiKeyCreations[hubId] ?? 0;
}

async function storedKey(channelId: string) {
  const key = await testDb().apiKey.findUniqueOrThrow({ where: { liveChannelId: channelId } });
  return {
    row: key,
    plaintext: openSecret(
      TEST_KEY_RING,
      { ciphertext: Buffer.from(key.ciphertext), keyVersion: key.keyVersion },
      channelId,
    ),
  };
}

describe("API-key provisioning", () => {
  it("creates the key of a running, bound channel once and stores it encrypted", async () => {
    const { channel } = await runningChannel();
    expect(await provisionApiKey(deps(), channel.id)).toEqual({ kind: "stored", readBack: false });
    const [atHub] = await partnerApi().listApiKeys(channel.hubId);
    const { row, plaintext } = await storedKey(channel.id);
    expect(plaintext).toBe(atHub?.apiKey);
    expect(Buffer.from(row.ciphertext).includes(Buffer.from(plaintext))).toBe(false);
    expect(row).toMatchObject({ keyVersion: 2, lastFour: plaintext.slice(-4), address: currentSandbox().url });
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
    });
    expect(await provisionApiKey(deps(), channel.id)).toEqual({ kind: "already_stored" });
    expect(await creations(channel.hubId)).toBe(1);
  });

  it("leaves the key in no column of any table, in text or in bytes", async () => {
    const { channel } = await runningChannel();
    await provisionApiKey(deps(), channel.id);
    const { plaintext } = await storedKey(channel.id);
    const columns = await testDb().$queryRaw<Array<{ table: string; column: string }>>`
      SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'bytea', 'jsonb', 'character varying')`;
    expect(columns.length).toBeGreaterThan(20);
    const hex = Buffer.from(plaintext).toString("hex");
    for (const { table, column } of columns) {
      const [found] = await testDb().$queryRawUnsafe<Array<{ count: bigint }>>(
        `SELECT count(*) AS count FROM "${table}" WHERE "${column}"::text LIKE '%' || $1 || '%' OR "${column}"::text LIKE '%' || $2 || '%'`,
        plaintext,
        hex,
      );
      expect({ table, column, count: Number(found?.count) }).toEqual({ table, column, count: 0 });
    }
  });

  it("creates one key when two deliveries and the reconciler queue it at once and two workers drain", async () => {
    const { channel } = await runningChannel();
    await Promise.all([
      enqueueDueKeys(testDb(), [channel.id]),
      enqueueDueKeys(testDb(), [channel.id]),
      enqueueDueKeys(testDb(), [channel.id]),
    ]);
    await Promise.all([drainJobs(partnerApi()), drainJobs(partnerApi())]);
    expect(await creations(channel.hubId)).toBe(1);
    expect(await testDb().apiKey.count()).toBe(1);
  });

  it("retries after a 500 and creates one key", async () => {
    const { channel } = await runningChannel();
    await control(currentSandbox(), "POST", "/faults/api", { kind: "500", count: 1, pathContains: "/api_keys" });
    expect((await provisionApiKey(deps(), channel.id)).kind).toBe("retry_at");
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "FAILED",
    });
    expect(await provisionApiKey(deps(), channel.id)).toEqual({ kind: "stored", readBack: false });
    expect(await creations(channel.hubId)).toBe(1);
  });

  it("reads back a key the Hub created when the answer was lost, instead of creating a second", async () => {
    const { channel } = await runningChannel();
    await control(currentSandbox(), "POST", "/faults/api", {
      kind: "timeout",
      phase: "after",
      count: 1,
      delayMs: 3000,
      pathContains: "/api_keys",
    });
    expect((await provisionApiKey(deps(), channel.id)).kind).toBe("retry_at");
    expect(await creations(channel.hubId)).toBe(1);
    expect(await provisionApiKey(deps(), channel.id)).toEqual({ kind: "stored", readBack: true });
    expect(await creations(channel.hubId)).toBe(1);
    const [atHub] = await partnerApi().listApiKeys(channel.hubId);
    expect((await storedKey(channel.id)).plaintext).toBe(atHub?.apiKey);
  });

  it("waits for a direct-paid client's permission, then creates the key", async () => {
    const { channel, client } = await runningChannel({ billing: "direct_paid" });
    expect(await provisionApiKey(deps(), channel.id)).toEqual({ kind: "awaiting_permission" });
    const waiting = await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(waiting.keyState).toBe("AWAITING_PERMISSION");
    // Asked again in an hour by the reconciliation, not on every run.
    expect(waiting.keyRetryAt!.getTime() - Date.now()).toBeGreaterThan(55 * 60 * 1000);
    await control(currentSandbox(), "PATCH", `/clients/${client}`, { apiKeyPermission: true });
    expect((await provisionApiKey(deps(), channel.id)).kind).toBe("stored");
    expect(await creations(channel.hubId)).toBe(1);
  });

  it("honours the Hub's Retry-After on a 429", async () => {
    const { channel } = await runningChannel();
    await control(currentSandbox(), "POST", "/faults/api", {
      kind: "429",
      count: 1,
      retryAfterSeconds: 42,
      pathContains: "/api_keys",
    });
    const before = Date.now();
    const outcome = await provisionApiKey(deps(), channel.id);
    expect(outcome.kind).toBe("retry_at");
    const at = outcome.kind === "retry_at" ? outcome.at.getTime() : 0;
    expect(at - before).toBeGreaterThanOrEqual(41_000);
    expect(await testDb().keyCreationGuard.count()).toBe(0);
  });

  it("keeps no key when the number's access is revoked while the creation is out", async () => {
    const { channel } = await runningChannel();
    const real = partnerApi();
    const racing = {
      ...real,
      async createApiKey(hubId: string) {
        const key = await real.createApiKey(hubId);
        // The client's revocation commits while the Hub's answer is on its way back.
        await testDb().channel.update({ where: { id: channel.id }, data: { access: "REMOVED", keyState: "NONE" } });
        await testDb().keyCreationGuard.deleteMany({ where: { channelId: channel.id } });
        return key;
      },
    };
    expect(await provisionApiKey({ ...deps(), partnerApi: racing }, channel.id)).toEqual({ kind: "not_eligible" });
    expect(await testDb().apiKey.count()).toBe(0);
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({ keyState: "NONE" });
  });

  it("treats a 2xx it cannot read as an unknown outcome, keeping the guard for a read-back", async () => {
    const { channel } = await runningChannel();
    const garbled = {
      ...partnerApi(),
      async createApiKey(): Promise<never> {
        throw new HubApiError("Unexpected response shape from POST api_keys", 201, false);
      },
    };
    expect((await provisionApiKey({ ...deps(), partnerApi: garbled }, channel.id)).kind).toBe("retry_at");
    expect(await testDb().keyCreationGuard.count()).toBe(1);
  });

  it("never creates a key for a binding awaiting approval", async () => {
    const { channel } = await runningChannel({ bound: false });
    expect(await provisionApiKey(deps(), channel.id)).toEqual({ kind: "not_eligible" });
    expect(await enqueueDueKeys(testDb(), [channel.id])).toBe(0);
    expect(await creations(channel.hubId)).toBe(0);
  });
});
