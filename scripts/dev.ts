/**
 * `npm run dev`: the whole app with zero configuration. Starts the embedded PostgreSQL
 * (data under .data/postgres) unless DATABASE_URL is set, applies migrations, starts the local
 * Hub sandbox (Hub double and mail catcher), the job worker, then `next dev` on 127.0.0.1 (HOST to
 * change it).
 * Ctrl-C stops every child.
 */
import path from "node:path";
import { LOCAL_APP_PORT, LOCAL_DATABASE_PORT, LOCAL_SANDBOX_PORT, localDefaults } from "../lib/config/local-defaults";
import { appUsesLocalSandbox, sandboxEnvBesideApp } from "../sandbox/dev-env";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";
import { migrateDeploy } from "./lib/migrate";
import { startService, waitForUrl } from "./support/processes";

type Stoppable = { stop(): Promise<void> };

async function main() {
  const running: Stoppable[] = [];
  const stopAll = async () => {
    for (const service of running.reverse()) await service.stop().catch(() => undefined);
  };
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      // Another port when the usual one is taken: the URL handed to every child names the real one.
      const database = await startEmbeddedPostgres({
        dataDir: path.resolve(".data/postgres"),
        port: LOCAL_DATABASE_PORT,
      });
      running.push(database);
      databaseUrl = database.url;
      console.log(
        `dev: embedded PostgreSQL at ${database.url}, data in ${path.relative(process.cwd(), database.dataDir)}/`,
      );
    }
    await migrateDeploy(databaseUrl);
    console.log("dev: migrations applied");

    // Started even with real Hub credentials: its mail catcher still serves sign-in.
    const sandboxEnv = sandboxEnvBesideApp(process.env);
    if (sandboxEnv.hubVariablesRemoved) {
      console.log(`dev: ${sandboxEnv.reason}, so the sandbox runs on its local defaults (no HUB_* variables)`);
      if (appUsesLocalSandbox(process.env)) {
        console.log(
          "dev: the app still talks to the sandbox (HUB_API_URL unset or local), which will refuse those values",
        );
      }
    }
    const sandbox = startService("node_modules/.bin/tsx", ["sandbox/main.ts"], { env: sandboxEnv.env });
    running.push(sandbox);
    await waitForUrl(`http://127.0.0.1:${process.env.SANDBOX_PORT ?? LOCAL_SANDBOX_PORT}/__sandbox/health`, 30_000);

    // The job queue's worker and the minute-by-minute reconciliation (see scripts/worker.ts).
    const worker = startService("node_modules/.bin/tsx", ["--conditions=react-server", "scripts/worker.ts"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    running.push(worker);

    const port = String(LOCAL_APP_PORT);
    // Loopback only unless asked: a dev server trusts its local defaults and has no business on the LAN.
    const host = process.env.HOST?.trim() || "127.0.0.1";
    const next = startService("node_modules/.bin/next", ["dev", "-p", port, "-H", host], {
      env: { ...process.env, DATABASE_URL: databaseUrl, APP_URL: process.env.APP_URL ?? localDefaults.APP_URL },
    });
    running.push(next);
    next.child.on("exit", (code) => {
      if (stopping) return;
      stopping = true;
      void stopAll().then(() => process.exit(code ?? 1));
    });
  } catch (error) {
    console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  }
}

void main();
