import type { PrismaClient } from "@/lib/generated/prisma/client";

export type TableCounts = Record<string, number>;

/**
 * Exact row counts of every application table and of the job queue, read in one UNION ALL query,
 * so a fuzz run can compare before and after every single request it sends.
 */
export async function tableCounter(db: PrismaClient): Promise<() => Promise<TableCounts>> {
  const tables = await db.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
    ORDER BY tablename`;
  const selects = [
    ...tables.map(({ tablename }) => `SELECT '${tablename}' AS name, count(*)::int AS rows FROM "${tablename}"`),
    `SELECT 'graphile_worker.jobs' AS name, count(*)::int AS rows FROM graphile_worker._private_jobs`,
  ];
  const query = selects.join(" UNION ALL ");
  return async () => {
    const rows = await db.$queryRawUnsafe<Array<{ name: string; rows: number }>>(query);
    return Object.fromEntries(rows.map(({ name, rows: count }) => [name, count]));
  };
}

/**
 * The id the next writing transaction will get. Reads assign none, so while it stays put nothing
 * was written anywhere, and the exact counts need not be read again.
 */
export async function nextTransactionId(db: PrismaClient): Promise<string> {
  const rows = await db.$queryRaw<Array<{ xmax: string }>>`
    SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`;
  return rows[0]?.xmax ?? "";
}

/** The tables whose count differs, as `table: before→after`; empty when nothing was written. */
export function changedTables(before: TableCounts, after: TableCounts): string[] {
  return Object.keys(after)
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name]}→${after[name]}`);
}
