/**
 * Runs the Playwright suite against the production build, deployed as on Vercel: a fresh database
 * behind a transaction-mode PgBouncer (DATABASE_URL pooled, DIRECT_URL direct) and migrated by the
 * deploy step itself, the local Hub sandbox on :8082 (the Connect Button's `env="local"` address),
 * `next start`, then `playwright test`. Everything started here is stopped on the way out.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localDefaults } from "../lib/config/local-defaults";
import { loadSandboxConfig } from "../sandbox/config";
import { startSandbox } from "../sandbox/server";
import { provisionTestDatabase } from "../test/database";
import { findChromium } from "./support/chromium";
import { findPgBouncer, startPgBouncer } from "./support/pgbouncer";
import { freshSecrets } from "./support/fresh-secrets";
import { run, startService, waitForUrl } from "./support/processes";
import { filesUnder, readAll, secretsIn, type Secret } from "./support/secret-scan";

const APP_PORT = 3100;
// The browser must open exactly this origin: the Connect Button only trusts its own origin.
const APP_URL = `http://localhost:${APP_PORT}`;
// The same build again with IO Signature off, the seed guide's other mode (e2e/io-signature-off.spec.ts).
const IO_OFF_PORT = 3101;
const IO_OFF_URL = `http://localhost:${IO_OFF_PORT}`;

async function main(): Promise<number> {
  findChromium();
  findPgBouncer();
  // Stopped in reverse order on the way out, whether the run passed, failed or never got going.
  const cleanups: Array<() => Promise<void>> = [];
  try {
    return await runSuite(cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        console.error(`e2e: cleanup failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
}

async function runSuite(cleanups: Array<() => Promise<void>>): Promise<number> {
  const database = await provisionTestDatabase();
  cleanups.push(() => database.dispose());
  console.log(`e2e: database ready (${database.kind})`);
  const pooler = await startPgBouncer(database.url);
  cleanups.push(() => pooler.stop());
  console.log("e2e: PgBouncer in transaction mode in front of it");
  const databaseEnv = { DATABASE_URL: pooler.url, DIRECT_URL: database.url };
  await deployMigrations(databaseEnv);
  const secrets = freshSecrets();
  const sandbox = await startSandbox({
    // The app signs IO URLs with this secret and the sandbox checks them with it.
    ...loadSandboxConfig({ ...localDefaults, APP_URL, HUB_PLATFORM_SECRET: secrets.HUB_PLATFORM_SECRET }),
    smtpPort: 0,
    webhookDelayMs: 100,
    stateFile: null,
  });
  cleanups.push(() => sandbox.close());
  const env = {
    ...process.env,
    ...localDefaults,
    ...secrets,
    NODE_ENV: "production" as const,
    APP_URL,
    // e2e/app-killed-mid-journey.spec.ts waits this out for the lock a killed app leaves behind.
    JOB_LOCK_TIMEOUT_SECONDS: "20",
    ...databaseEnv,
    SMTP_URL: `smtp://127.0.0.1:${sandbox.smtpPort}`,
    SANDBOX_URL: sandbox.url,
  };
  // Everything the servers print and every body they send a browser, scanned for secrets at the end.
  const serverOutput: Buffer[] = [];
  const tee = (chunk: Buffer) => serverOutput.push(chunk);
  const captureDir = mkdtempSync(join(tmpdir(), "portal-e2e-"));
  cleanups.push(async () => rmSync(captureDir, { recursive: true, force: true }));
  const startApp = () =>
    startService("node_modules/.bin/next", ["start", "-p", String(APP_PORT), "-H", "127.0.0.1"], { env, tee });
  let app = startApp();
  cleanups.push(() => app.stop());
  const ioOffApp = startService("node_modules/.bin/next", ["start", "-p", String(IO_OFF_PORT), "-H", "127.0.0.1"], {
    env: { ...env, APP_URL: IO_OFF_URL, HUB_IO_SIGNATURE: "off" },
    tee,
  });
  cleanups.push(() => ioOffApp.stop());
  const channelKeys = watchIssuedKeys(sandbox.url);
  const control = await startAppControl({
    kill: () => app.kill(),
    start: async () => {
      // A second server would fail to bind while the health check still answers from the first.
      if (app.child.exitCode === null && app.child.signalCode === null) throw new Error("the app is running");
      app = startApp();
      await waitForUrl(`${APP_URL}/api/health`, 60_000);
    },
  });
  cleanups.push(() => control.close());
  await waitForUrl(`${APP_URL}/api/health`, 60_000);
  await waitForUrl(`${IO_OFF_URL}/api/health`, 60_000);
  const code = await run("node_modules/.bin/playwright", ["test", ...process.argv.slice(2)], {
    env: {
      ...env,
      NODE_ENV: "test" as const,
      // Specs check rows as an operator would, on the direct connection rather than the app's pooler.
      DATABASE_URL: database.url,
      E2E_BASE_URL: APP_URL,
      E2E_IO_OFF_URL: IO_OFF_URL,
      E2E_CAPTURE_DIR: captureDir,
      E2E_CONTROL_URL: control.url,
    },
  });
  const keys = await channelKeys.stop();
  const leaks = scanForSecrets({ secrets, channelKeys: keys, serverOutput: Buffer.concat(serverOutput), captureDir });
  return code === 0 && leaks === 0 ? 0 : 1;
}

/**
 * The deploy step itself, as `npm run vercel-build` runs it, with the deployment's two URLs. The
 * provisioned database is migrated already: like every redeploy, it must find it so and succeed.
 */
async function deployMigrations(databaseEnv: { DATABASE_URL: string; DIRECT_URL: string }): Promise<void> {
  const code = await run("node_modules/.bin/tsx", ["scripts/migrate-deploy.ts"], {
    env: { ...process.env, ...databaseEnv },
  });
  if (code !== 0) throw new Error(`e2e: scripts/migrate-deploy.ts failed (exit ${code})`);
}

/**
 * A loopback endpoint through which a spec kills the app (SIGKILL, mid-whatever it is doing) and
 * starts it again (e2e/support/app.ts). 204 when done; a start answers once the app is healthy.
 */
async function startAppControl(actions: Record<"kill" | "start", () => Promise<void>>): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const server: Server = createServer((request, response) => {
    const action = /^\/app\/(kill|start)$/.exec(request.url ?? "")?.[1] as "kill" | "start" | undefined;
    if (request.method !== "POST" || !action) {
      response.writeHead(404).end();
      return;
    }
    actions[action]().then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The channel API keys the sandbox issues during the run. Specs reset the sandbox, which forgets
 * them, so its state is read every quarter second; a key lives far longer than that (each spec
 * waits for it to show on a page).
 */
function watchIssuedKeys(sandboxUrl: string): { stop(): Promise<Set<string>> } {
  const keys = new Set<string>();
  const read = async () => {
    const response = await fetch(`${sandboxUrl}/__sandbox/state`).catch(() => null);
    const state = (await response?.json().catch(() => null)) as { apiKeys?: Array<{ apiKey: string }> } | null;
    for (const key of state?.apiKeys ?? []) keys.add(key.apiKey);
  };
  const timer = setInterval(() => void read(), 250);
  return {
    async stop() {
      clearInterval(timer);
      await read();
      return keys;
    },
  };
}

/** Fails the run if a secret appears in the servers' output, a response body or the client bundles. */
function scanForSecrets(input: {
  secrets: ReturnType<typeof freshSecrets>;
  channelKeys: Set<string>;
  serverOutput: Buffer;
  captureDir: string;
}): number {
  const encryptionKey = input.secrets.ENCRYPTION_KEYS.split(":")[1]!;
  const secrets: Secret[] = [
    { name: "AUTH_SECRET", value: input.secrets.AUTH_SECRET },
    { name: "HUB_PLATFORM_SECRET", value: input.secrets.HUB_PLATFORM_SECRET },
    { name: "CRON_SECRET", value: input.secrets.CRON_SECRET },
    { name: "ENCRYPTION_KEYS", value: encryptionKey },
    { name: "ENCRYPTION_KEYS (hex)", value: Buffer.from(encryptionKey, "base64").toString("hex") },
    { name: "HUB_API_KEY", value: localDefaults.HUB_API_KEY },
    ...[...input.channelKeys].map((value, index) => ({ name: `channel API key #${index + 1}`, value })),
  ];
  const responses = readAll(filesUnder(input.captureDir));
  const bundles = filesUnder(".next/static");
  const places = {
    "server output": secretsIn(input.serverOutput, secrets),
    "response bodies": secretsIn(responses, secrets),
    "client bundles (.next/static)": secretsIn(readAll(bundles), secrets),
  };
  const found = Object.values(places).reduce((sum, names) => sum + names.length, 0);
  console.log(
    `PROOF secrets: secrets_checked=${secrets.length}, channel_keys=${input.channelKeys.size}, ` +
      `server_output_bytes=${input.serverOutput.length}, response_bytes=${responses.length}, ` +
      `bundle_files=${bundles.length}, found=${found}`,
  );
  for (const [place, names] of Object.entries(places)) {
    if (names.length > 0) console.error(`e2e: secrets found in ${place}: ${names.join(", ")}`);
  }
  if (input.channelKeys.size === 0) console.error("e2e: no channel key was issued, so none could be checked");
  return input.channelKeys.size === 0 ? found + 1 : found;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
