import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

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
    DELETE FROM graphile_worker._private_jobs
    WHERE key IS NULL AND locked_at IS NULL AND attempts >= max_attempts`;
}
