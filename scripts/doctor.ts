/**
 * `npm run doctor`: the setup doctor of /admin/setup in a terminal, against the environment it
 * runs in. Prints one line per check and exits 1 when any check fails, so CI or a deploy step can
 * gate on it. Runs with the react-server condition (see package.json) so lib/'s modules load.
 */
import { createPrismaClient } from "../lib/db";
import { formatReport } from "../lib/doctor/format-report";
import { hasFailures, runDoctor } from "../lib/doctor/run-doctor";
import type { PrismaClient } from "../lib/generated/prisma/client";

async function main() {
  let db: PrismaClient | undefined;
  try {
    const results = await runDoctor({
      source: process.env,
      connect: (databaseUrl) => (db ??= createPrismaClient(databaseUrl)),
    });
    console.log(formatReport(results));
    process.exitCode = hasFailures(results) ? 1 : 0;
  } finally {
    await db?.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`doctor: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
