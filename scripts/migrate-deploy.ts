/**
 * `npm run db:migrate`, and the migration step of `npm run vercel-build`: applies prisma/migrations
 * and the job queue's schema to the database of this environment, through DIRECT_URL when set
 * (DATABASE_URL is then a transaction-mode pooler), else through DATABASE_URL. Safe to run again:
 * applied migrations are skipped.
 */
import { migrateDeploy } from "./lib/migrate";

/** The database to migrate and the variable it came from; never falls back to a default. */
function target(env: NodeJS.ProcessEnv): { url: string; variable: "DIRECT_URL" | "DATABASE_URL" } {
  const pooled = env.DATABASE_URL?.trim();
  const direct = env.DIRECT_URL?.trim();
  // prisma.config.ts falls back to the embedded development database; a build has none to migrate.
  if (env.VERCEL === "1" && !pooled) {
    throw new Error(
      "DATABASE_URL is not set for this Vercel build. Set DATABASE_URL (pooled) and DIRECT_URL (direct) in the " +
        "project's Environment Variables for this environment, then redeploy.",
    );
  }
  if (direct) return { url: direct, variable: "DIRECT_URL" };
  if (pooled) return { url: pooled, variable: "DATABASE_URL" };
  throw new Error("neither DIRECT_URL nor DATABASE_URL is set: nothing to migrate.");
}

/** Host, port and database: enough to recognise the target, never the credentials. */
function describe(url: string, variable: string): string {
  if (!URL.canParse(url)) throw new Error(`${variable} is not a URL.`);
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || "5432"}${pathname || "/"}`;
}

async function main() {
  const { url, variable } = target(process.env);
  console.log(`db:migrate: migrating ${describe(url, variable)} (${variable})`);
  await migrateDeploy(url);
  console.log("db:migrate: prisma migrations and the job queue's schema are up to date");
}

main().catch((error: unknown) => {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
