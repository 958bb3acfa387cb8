import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { failed, passed, type CheckResult } from "../check-result";

type AppliedRow = { name: string; finished: boolean; rolledBack: boolean };

/** Every migration this build ships (prisma/migrations) is applied to the database, none failed, none unknown. */
export async function checkMigrations(
  db: Pick<PrismaClient, "$queryRaw">,
  migrationsDir: string,
): Promise<CheckResult> {
  const shipped = await shippedMigrations(migrationsDir);
  if (!shipped) {
    return failed(
      "migrations",
      `The migrations directory ${migrationsDir} could not be read.`,
      "Ship prisma/migrations with the deployment (on Vercel: outputFileTracingIncludes in next.config.ts).",
    );
  }
  const rows = await db.$queryRaw<AppliedRow[]>`
    SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
    FROM _prisma_migrations`;
  const failedNames = rows.filter((row) => !row.finished && !row.rolledBack).map((row) => row.name);
  if (failedNames.length > 0) {
    return failed(
      "migrations",
      `Migration ${failedNames.join(", ")} started but did not finish.`,
      "Repair the database, mark the migration with npx prisma migrate resolve, then run npm run db:migrate.",
    );
  }
  const applied = new Set(rows.filter((row) => row.finished && !row.rolledBack).map((row) => row.name));
  const pending = shipped.filter((name) => !applied.has(name));
  if (pending.length > 0) {
    return failed(
      "migrations",
      `${pending.length} migration(s) not applied: ${pending.join(", ")}.`,
      "Run npm run db:migrate (prisma migrate deploy) against this DATABASE_URL.",
    );
  }
  const unknown = [...applied].filter((name) => !shipped.includes(name));
  if (unknown.length > 0) {
    return failed(
      "migrations",
      `The database has migration(s) this build does not ship: ${unknown.join(", ")}.`,
      "Deploy the code that matches this database (a newer build applied these migrations).",
    );
  }
  return passed(
    "migrations",
    `All ${shipped.length} migrations are applied; the newest is ${shipped.at(-1) ?? "none"}.`,
  );
}

async function shippedMigrations(migrationsDir: string): Promise<string[] | null> {
  try {
    const entries = await readdir(migrationsDir, { withFileTypes: true });
    const names = await Promise.all(
      entries
        .filter((entry) => entry.isDirectory())
        .map(async (entry) => {
          const files = await readdir(path.join(migrationsDir, entry.name));
          return files.includes("migration.sql") ? entry.name : null;
        }),
    );
    return names.filter((name) => name !== null).sort();
  } catch {
    return null;
  }
}
