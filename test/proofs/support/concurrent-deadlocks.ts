import type { PrismaClient } from "@/lib/generated/prisma/client";
import { waitFor } from "@/sandbox/test/helpers";

/** The database URL with every connection made through it named, so its sessions can be told apart. */
export function namedConnections(url: string, applicationName: string): string {
  const named = new URL(url);
  named.searchParams.set("application_name", applicationName);
  return named.toString();
}

/** Deadlocks PostgreSQL has detected (and broken by aborting a transaction) in this database so far. */
export async function deadlocksDetected(db: PrismaClient): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ deadlocks: number }>>`
    SELECT deadlocks::int AS deadlocks FROM pg_stat_database WHERE datname = current_database()`;
  return row?.deadlocks ?? 0;
}

/**
 * A session reports its statistics (deadlocks among them) at most once a second while it runs, and
 * always when it ends: once every session named `applicationName` is gone, the count includes theirs.
 */
export async function whenSessionsEnded(db: PrismaClient, applicationName: string, timeoutMs: number): Promise<void> {
  await waitFor(async () => {
    const [row] = await db.$queryRaw<Array<{ sessions: number }>>`
      SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE application_name = ${applicationName}`;
    return row?.sessions === 0;
  }, timeoutMs);
}
