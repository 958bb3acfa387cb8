import { beforeEach, describe, expect, it } from "vitest";
import { PROCESS_WEBHOOK_EVENT, PROVISION_API_KEY } from "@/lib/jobs/task-names";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { drainJobs } from "@/test/jobs";
import { listFailedJobs, listJobTasks, retryFailedJob } from "./failed-jobs";

beforeEach(resetDatabase);

// A payload the task refuses: the job really runs and really fails.
async function queueBrokenJob(key: string, maxAttempts = 1): Promise<string> {
  const [job] = await testDb().$queryRaw<Array<{ id: string }>>`
    SELECT (graphile_worker.add_job(${PROCESS_WEBHOOK_EVENT}, '{"eventId": ""}'::json, job_key => ${key},
      max_attempts => ${maxAttempts}::int)).id::text AS id`;
  return job!.id;
}

async function jobState(id: string) {
  const [job] = await testDb().$queryRaw<Array<{ attempts: number; run_at: Date }>>`
    SELECT attempts::int AS attempts, run_at FROM graphile_worker._private_jobs WHERE id = ${id}::bigint`;
  return job;
}

describe("listFailedJobs", () => {
  it("lists jobs that failed, with their task, payload, attempts and error, and not the healthy ones", async () => {
    const failed = await queueBrokenJob("broken");
    await drainJobs();
    await testDb().$executeRaw`
      SELECT graphile_worker.add_job(${PROVISION_API_KEY}, '{"channelId": "c1"}'::json, run_at => now() + interval '1 hour')`;

    const page = await listFailedJobs(testDb(), { page: 1 });

    expect(page.total).toBe(1);
    expect(page.rows).toEqual([
      {
        id: failed,
        task: PROCESS_WEBHOOK_EVENT,
        payload: { eventId: "" },
        attempts: 1,
        maxAttempts: 1,
        lastError: expect.stringContaining("eventId"),
        runAt: expect.any(String),
        lockedAt: null,
        exhausted: true,
      },
    ]);
  });

  it("filters by task and offers the known tasks", async () => {
    await queueBrokenJob("broken");
    await drainJobs();
    expect((await listFailedJobs(testDb(), { task: PROVISION_API_KEY, page: 1 })).rows).toEqual([]);
    expect((await listFailedJobs(testDb(), { task: PROCESS_WEBHOOK_EVENT, page: 1 })).total).toBe(1);
    expect(await listJobTasks(testDb())).toContain(PROCESS_WEBHOOK_EVENT);
  });

  it("pages by 25, the most recently failed first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 26; i++) ids.push(await queueBrokenJob(`broken-${i}`));
    await testDb().$executeRaw`
      UPDATE graphile_worker._private_jobs SET last_error = 'boom', updated_at = now() - (id * interval '1 second')`;
    const first = await listFailedJobs(testDb(), { page: 1 });
    const second = await listFailedJobs(testDb(), { page: 2 });
    expect(first).toMatchObject({ total: 26, pageCount: 2 });
    expect(first.rows[0]?.id).toBe(ids[0]);
    expect(second.rows.map((row) => row.id)).toEqual([ids[25]]);
  });
});

describe("retryFailedJob", () => {
  it("runs an exhausted job again now with its attempts reset, and records who asked", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    const id = await queueBrokenJob("broken");
    await drainJobs();
    await testDb().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() + interval '1 day'`;

    await retryFailedJob(testDb(), { jobId: id, admin });

    const job = await jobState(id);
    expect(job?.attempts).toBe(0);
    expect(job!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(await testDb().auditLog.findMany()).toEqual([
      expect.objectContaining({
        actorEmail: "admin@example.com",
        action: "job.retry",
        targetType: "job",
        targetId: id,
        detail: { task: PROCESS_WEBHOOK_EVENT },
      }),
    ]);
    // It really runs again: and fails again, one attempt spent.
    await drainJobs();
    expect((await jobState(id))?.attempts).toBe(1);
  });

  it("puts the event of an exhausted event job back to PENDING, so the job runs it instead of skipping it", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    const event = await testDb().webhookEvent.create({
      data: { dedupeKey: "gave-up", type: "channel_running", payload: {}, state: "FAILED", attempts: 25 },
    });
    const [job] = await testDb().$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM graphile_worker.permanently_fail_jobs(ARRAY[(graphile_worker.add_job(
        ${PROCESS_WEBHOOK_EVENT}, json_build_object('eventId', ${event.id}::text), job_key => 'gave-up', max_attempts => 1
      )).id], 'boom')`;

    await retryFailedJob(testDb(), { jobId: job!.id, admin });
    expect((await testDb().webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).state).toBe("PENDING");
    await drainJobs();
    expect((await testDb().webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).state).toBe("IGNORED");
  });

  it("refuses a job a worker holds and a job that is gone, recording nothing", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    const id = await queueBrokenJob("held");
    await testDb().$executeRaw`
      UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'worker-1', last_error = 'boom'`;
    await expect(retryFailedJob(testDb(), { jobId: id, admin })).rejects.toMatchObject({ code: "job_running" });
    await expect(retryFailedJob(testDb(), { jobId: "999999", admin })).rejects.toMatchObject({ code: "job_not_found" });
    await expect(retryFailedJob(testDb(), { jobId: "1; DROP", admin })).rejects.toThrow();
    expect(await testDb().auditLog.count()).toBe(0);
  });
});
