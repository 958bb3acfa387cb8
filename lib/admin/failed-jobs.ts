import "server-only";
import { PROCESS_WEBHOOK_EVENT } from "@/lib/jobs/task-names";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { maskSecrets } from "./mask-secrets";
import { recordAdminAction, type AdminActor } from "./record-admin-action";
import { PAGE_SIZE, pageWindow, toPage, type Page } from "./search-params";

export type FailedJobFilters = { task?: string; page: number };

export type FailedJobRow = {
  id: string;
  task: string;
  // Payloads carry ids only (lib/jobs/task-list.ts); masked all the same, in case one ever does not.
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lastError: string;
  runAt: string;
  lockedAt: string | null;
  // Out of attempts: graphile-worker will not run it again unless someone retries it.
  exhausted: boolean;
};

type JobRecord = {
  id: string;
  task: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string;
  run_at: Date;
  locked_at: Date | null;
};

/**
 * graphile-worker's jobs that have failed at least once and are still in its table (a job that
 * succeeds is deleted), the most recently failed first. Read from its private tables: its public
 * `jobs` view leaves out the payload.
 */
export async function listFailedJobs(db: PrismaClient, filters: FailedJobFilters): Promise<Page<FailedJobRow>> {
  const task = filters.task ?? null;
  const { skip } = pageWindow(filters.page);
  const [jobs, counts] = await Promise.all([
    db.$queryRaw<JobRecord[]>`
      SELECT jobs.id::text AS id, tasks.identifier AS task, jobs.payload, jobs.attempts::int AS attempts,
             jobs.max_attempts::int AS max_attempts, jobs.last_error, jobs.run_at, jobs.locked_at
      FROM graphile_worker._private_jobs AS jobs
      JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
      WHERE jobs.last_error IS NOT NULL AND (${task}::text IS NULL OR tasks.identifier = ${task}::text)
      ORDER BY jobs.updated_at DESC, jobs.id DESC
      LIMIT ${PAGE_SIZE} OFFSET ${skip}`,
    db.$queryRaw<Array<{ total: number }>>`
      SELECT count(*)::int AS total
      FROM graphile_worker._private_jobs AS jobs
      JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
      WHERE jobs.last_error IS NOT NULL AND (${task}::text IS NULL OR tasks.identifier = ${task}::text)`,
  ]);
  const rows = jobs.map((job) => ({
    id: job.id,
    task: job.task,
    payload: maskSecrets(job.payload),
    attempts: job.attempts,
    maxAttempts: job.max_attempts,
    lastError: job.last_error,
    runAt: job.run_at.toISOString(),
    lockedAt: job.locked_at?.toISOString() ?? null,
    exhausted: job.attempts >= job.max_attempts,
  }));
  return toPage(rows, counts[0]?.total ?? 0, filters.page);
}

/** The task identifiers graphile-worker knows, for the task filter. */
export async function listJobTasks(db: PrismaClient): Promise<string[]> {
  const tasks = await db.$queryRaw<Array<{ identifier: string }>>`
    SELECT identifier FROM graphile_worker._private_tasks ORDER BY identifier`;
  return tasks.map((task) => task.identifier);
}

export const jobIdSchema = z.string().regex(/^\d{1,18}$/, "a job id");

/**
 * Runs a failed job again now with a fresh budget of attempts, and records who asked. A job a
 * worker holds right now cannot be rescheduled (graphile-worker refuses), nor one that is gone.
 */
export async function retryFailedJob(db: PrismaClient, input: { jobId: string; admin: AdminActor }): Promise<void> {
  const jobId = jobIdSchema.parse(input.jobId);
  await db.$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<Array<{ task: string; locked: boolean; payload: unknown }>>`
      SELECT tasks.identifier AS task, (jobs.locked_at IS NOT NULL) AS locked, jobs.payload
      FROM graphile_worker._private_jobs AS jobs
      JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
      WHERE jobs.id = ${jobId}::bigint
      FOR UPDATE OF jobs`;
    if (!job) throw new AppError("job_not_found", 404, "This job is gone: it has succeeded or was removed.");
    const rescheduled = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM graphile_worker.reschedule_jobs(ARRAY[${jobId}::bigint], run_at => now(), attempts => 0)`;
    if (rescheduled.length === 0) {
      throw new AppError("job_running", 409, "A worker is running this job right now; try again when it is done.");
    }
    // An event whose jobs ran out is FAILED, and a job finding it so would do nothing: it goes back to PENDING.
    const eventId = job.task === PROCESS_WEBHOOK_EVENT ? eventIdOf(job.payload) : null;
    if (eventId) {
      await tx.webhookEvent.updateMany({
        where: { id: eventId, state: "FAILED" },
        data: { state: "PENDING", processedAt: null },
      });
    }
    await recordAdminAction(tx, input.admin, {
      action: "job.retry",
      targetType: "job",
      targetId: jobId,
      detail: { task: job.task },
    });
  });
}

function eventIdOf(payload: unknown): string | null {
  const eventId = (payload as { eventId?: unknown } | null)?.eventId;
  return typeof eventId === "string" ? eventId : null;
}
