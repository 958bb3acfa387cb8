import { Logger, runMigrations } from "graphile-worker";

// A failed migration throws and its caller reports it, so nothing is logged here. Not the app's
// job logger: that one is server-only, and this runs under plain tsx (`npm run vercel-build`).
const silent = new Logger(() => () => undefined);

/**
 * Installs or upgrades graphile-worker's own schema (`graphile_worker`), right after Prisma's
 * migrations wherever those run: dev, tests, CI and deploy. Prisma's schema is `public` only, so
 * its drift checks never see this one.
 */
export async function migrateJobQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: silent });
}
