import { describe, expect, it } from "vitest";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { API_KEY, control, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { createUser, testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { TEST_KEY_RING, TEST_MESSAGING } from "@/test/jobs";
import { runReconciliation } from "./run-reconciliation";

const currentSandbox = startHubSandboxPerFile();
const queue = () => ({
  db: testDb(),
  partnerApi: createPartnerApi({ baseUrl: `${currentSandbox().url}/api/v2`, partnerId: PARTNER_ID, apiKey: API_KEY }),
  keyRing: TEST_KEY_RING,
  messaging: TEST_MESSAGING,
  connectionString: process.env.DATABASE_URL!,
  quiet: true,
});

async function boundChannel() {
  const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
  const user = await createUser("owner@example.com");
  const client = await testDb().client.create({
    data: { hubId: redirect.client, userId: user.id, bindingState: "BOUND" },
  });
  return testDb().channel.create({ data: { hubId: redirect.channels[0]!, clientId: client.id } });
}

describe("runReconciliation", () => {
  it("brings a channel whose webhooks were all lost to its state and key, once", async () => {
    const channel = await boundChannel();
    await control(currentSandbox(), "POST", `/channels/${channel.hubId}/status`, { status: "live" });
    const first = await runReconciliation(queue());
    expect(first).toMatchObject({ checked: 1, changed: 1 });
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      status: "LIVE",
      keyState: "STORED",
    });
    const second = await runReconciliation(queue());
    expect(second).toMatchObject({ checked: 0, changed: 0, keysQueued: 0 });
    const state = (await control<{ apiKeyCreations: Record<string, number> }>(currentSandbox(), "GET", "/state")).json;
    expect(state.apiKeyCreations[channel.hubId]).toBe(1);
  });

  it("sets the messaging webhook of a number keyed before the hand-off existed", async () => {
    const channel = await boundChannel();
    await control(currentSandbox(), "POST", `/channels/${channel.hubId}/status`, { status: "live" });
    await runReconciliation(queue());
    // As a key stored by an earlier release left it: no webhook, no job.
    await testDb().channel.update({ where: { id: channel.id }, data: { messagingWebhookState: "UNSET" } });
    const report = await runReconciliation(queue());
    expect(report.webhooksQueued).toBe(1);
    expect((await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).messagingWebhookState).toBe("SET");
    expect((await runReconciliation(queue())).webhooksQueued).toBe(0);
  });

  it("frees a job locked by a worker that died, and runs it", async () => {
    const channel = await boundChannel();
    // As the dead job left it: provisioning, so nothing but the freed job itself creates the key.
    await testDb().channel.update({
      where: { id: channel.id },
      data: { status: "LIVE", keyState: "PROVISIONING", verifiedAt: new Date() },
    });
    await control(currentSandbox(), "POST", `/channels/${channel.hubId}/status`, { status: "live" });
    await testDb()
      .$queryRaw`SELECT graphile_worker.add_job('provision_api_key', json_build_object('channelId', ${channel.id}::text),
      queue_name => ${`key:${channel.id}`}, job_key => ${`key:${channel.id}`})`;
    await testDb().$executeRaw`UPDATE graphile_worker._private_jobs
      SET locked_by = 'killed-function', locked_at = now() - interval '20 minutes'`;
    await testDb().$executeRaw`UPDATE graphile_worker._private_job_queues
      SET locked_by = 'killed-function', locked_at = now() - interval '20 minutes'`;
    const report = await runReconciliation(queue());
    expect(report.releasedWorkers).toBe(1);
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
    });
  });

  it("frees a dead worker's lock only after the configured lock timeout, and drops the job it superseded", async () => {
    const channel = await boundChannel();
    await testDb().channel.update({
      where: { id: channel.id },
      data: { status: "LIVE", keyState: "PROVISIONING", verifiedAt: new Date() },
    });
    await control(currentSandbox(), "POST", `/channels/${channel.hubId}/status`, { status: "live" });
    const addKeyJob = () =>
      testDb()
        .$queryRaw`SELECT graphile_worker.add_job('provision_api_key', json_build_object('channelId', ${channel.id}::text),
        queue_name => ${`key:${channel.id}`}, job_key => ${`key:${channel.id}`})`;
    await addKeyJob();
    await testDb().$executeRaw`UPDATE graphile_worker._private_jobs
      SET locked_by = 'killed-process', locked_at = now() - interval '40 seconds'`;
    await testDb().$executeRaw`UPDATE graphile_worker._private_job_queues
      SET locked_by = 'killed-process', locked_at = now() - interval '40 seconds'`;
    // Queued again while locked: graphile-worker retires the locked row (no key, no attempts left).
    await addKeyJob();
    const jobs = () =>
      testDb().$queryRaw<Array<{ key: string | null; locked: boolean; spent: boolean }>>`
        SELECT key, locked_at IS NOT NULL AS locked, attempts >= max_attempts AS spent
        FROM graphile_worker._private_jobs ORDER BY id`;
    expect(await jobs()).toEqual([
      { key: null, locked: true, spent: true },
      { key: `key:${channel.id}`, locked: false, spent: false },
    ]);

    const early = await runReconciliation(queue(), { lockTimeoutSeconds: 60 });
    expect(early).toMatchObject({ releasedWorkers: 0, supersededJobsRemoved: 0 });
    expect((await jobs()).filter((job) => job.locked)).toHaveLength(1);

    const late = await runReconciliation(queue(), { lockTimeoutSeconds: 30 });
    expect(late).toMatchObject({ releasedWorkers: 1, supersededJobsRemoved: 1 });
    expect(await jobs()).toEqual([]);
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
    });
    const state = (await control<{ apiKeyCreations: Record<string, number> }>(currentSandbox(), "GET", "/state")).json;
    expect(state.apiKeyCreations[channel.hubId]).toBe(1);
  });

  it("releases an event left waiting for a channel that has since been stored", async () => {
    const channel = await boundChannel();
    await testDb().webhookEvent.create({
      data: {
        dedupeKey: "hub:late-1",
        type: "phone_number_quality_changed",
        channelHubId: channel.hubId,
        state: "WAITING_FOR_CHANNEL",
        payload: {
          id: "late-1",
          event: "phone_number_quality_changed",
          data: { id: channel.hubId, client_id: "anyCL", value: "TIER_10K" },
        },
      },
    });
    expect((await runReconciliation(queue())).eventsReleased).toBe(1);
    expect(await testDb().webhookEvent.findFirstOrThrow()).toMatchObject({ state: "PROCESSED" });
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      messagingLimit: "TIER_10K",
    });
  });

  it("asks again for a direct-paid client's permission only once its hour has passed", async () => {
    const channel = await boundChannel();
    await control(currentSandbox(), "POST", `/channels/${channel.hubId}/status`, { status: "live" });
    const inAnHour = new Date(Date.now() + 60 * 60 * 1000);
    await testDb().channel.update({
      where: { id: channel.id },
      data: { status: "LIVE", verifiedAt: new Date(), keyState: "AWAITING_PERMISSION", keyRetryAt: inAnHour },
    });
    expect((await runReconciliation(queue())).retriesQueued).toBe(0);
    await testDb().channel.update({ where: { id: channel.id }, data: { keyRetryAt: new Date(Date.now() - 1000) } });
    expect((await runReconciliation(queue())).retriesQueued).toBe(1);
    expect(await testDb().channel.findUniqueOrThrow({ where: { id: channel.id } })).toMatchObject({
      keyState: "STORED",
    });
  });

  it("leaves a heartbeat for the setup doctor on every finished run", async () => {
    const heartbeat = () => testDb().heartbeat.findUnique({ where: { key: "cron.reconcile" } });
    expect(await heartbeat()).toBeNull();
    await runReconciliation(queue());
    const first = await heartbeat();
    expect(first).toMatchObject({ count: 1 });
    await runReconciliation(queue());
    const second = await heartbeat();
    expect(second).toMatchObject({ count: 2 });
    expect(second!.at.getTime()).toBeGreaterThanOrEqual(first!.at.getTime());
  });
});
