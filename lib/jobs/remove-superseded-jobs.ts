import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { CONFIGURE_MESSAGING_WEBHOOK, PROCESS_WEBHOOK_EVENT, PROVISION_API_KEY } from "./task-names";

// The tasks this portal always queues with a key; a task added later without one stays untouched.
const KEYED_TASKS = [PROCESS_WEBHOOK_EVENT, PROVISION_API_KEY, CONFIGURE_MESSAGING_WEBHOOK];

/**
 * Deletes the jobs graphile-worker retired in favour of a newer one. When a job is queued again
 * under a `job_key` whose job is locked (being run, or held by a dead process), graphile-worker
 * keeps the locked row but strips its key and spends its attempts, so it never runs again, and
 * queues a fresh job. Every job of this portal is queued with a key, so an unlocked row without
 * one and out of attempts is such a leftover: left alone it would show as a failed job in the
 * console although its work was done by its successor. Returns how many were removed.
 */
export async function removeSupersededJobs(db: PrismaClient): Promise<number> {
  return db.$executeRaw`
    DELETE FROM graphile_worker._private_jobs AS jobs
    USING graphile_worker._private_tasks AS tasks
    WHERE tasks.id = jobs.task_id AND tasks.identifier = ANY(${KEYED_TASKS})
      AND jobs.key IS NULL AND jobs.locked_at IS NULL AND jobs.attempts >= jobs.max_attempts`;
}
