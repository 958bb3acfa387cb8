import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";

let client: PrismaClient | undefined;

/** A Prisma client on the run's fresh database (DATABASE_URL set by test/global-setup.ts). */
export function testDb(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run tests through vitest's global setup");
  client ??= createPrismaClient(url);
  return client;
}

/** Empties every application table and the job queue, so each test starts from nothing. */
export async function resetDatabase(): Promise<void> {
  const tables = await testDb().$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length > 0) {
    // The audit log refuses TRUNCATE by trigger; a test reset is the one place allowed past it.
    await testDb().$transaction([
      testDb().$executeRaw`SET LOCAL session_replication_role = replica`,
      testDb().$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} CASCADE`),
    ]);
  }
  // The job queue's jobs too (its schema, tasks and migrations stay).
  await testDb().$executeRaw`TRUNCATE graphile_worker._private_jobs, graphile_worker._private_job_queues CASCADE`;
}

/** A user as a followed magic link leaves them: the sign-in email is verified unless said otherwise. */
export function createUser(email: string, role: "CLIENT" | "ADMIN" = "CLIENT", options: { verified?: boolean } = {}) {
  return testDb().user.create({ data: { email, role, emailVerified: options.verified === false ? null : new Date() } });
}
