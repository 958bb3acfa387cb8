import { runMigrations } from "graphile-worker";
import { jobLogger } from "../../lib/jobs/job-logger";

/**
 * Installs or upgrades graphile-worker's own schema (`graphile_worker`), right after Prisma's
 * migrations wherever those run: dev, tests, CI and deploy. Prisma's schema is `public` only, so
 * its drift checks never see this one.
 */
export async function migrateJobQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: jobLogger({ quiet: true }) });
}
