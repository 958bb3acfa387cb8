import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { failed, passed, type CheckResult } from "../check-result";

/** The database answers a query; every check that reads it waits for this one. */
export async function checkDatabase(db: Pick<PrismaClient, "$queryRaw">, databaseUrl: string): Promise<CheckResult> {
  // Only the host is shown: the URL carries the password.
  const host = new URL(databaseUrl).host;
  try {
    await db.$queryRaw`SELECT 1`;
    return passed("database", `PostgreSQL at ${host} answers.`);
  } catch {
    return failed(
      "database",
      `PostgreSQL at ${host} could not be queried.`,
      "Check DATABASE_URL (host, port, credentials, sslmode) and that the database accepts connections from this server.",
    );
  }
}
