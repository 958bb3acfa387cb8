/**
 * Runs the Playwright suite against the production build: a fresh database, the local Hub
 * sandbox on :8082 (the Connect Button's `env="local"` address), `next start`, then
 * `playwright test`. Everything started here is stopped on the way out.
 */
import { randomBytes } from "node:crypto";
import { localDefaults } from "../lib/config/local-defaults";
import { loadSandboxConfig } from "../sandbox/config";
import { startSandbox } from "../sandbox/server";
import { provisionTestDatabase } from "../test/database";
import { findChromium } from "./support/chromium";
import { run, startService, waitForUrl } from "./support/processes";

const APP_PORT = 3100;
// The browser must open exactly this origin: the Connect Button only trusts its own origin.
const APP_URL = `http://localhost:${APP_PORT}`;
// The same build again with IO Signature off, the seed guide's other mode (e2e/io-signature-off.spec.ts).
const IO_OFF_PORT = 3101;
const IO_OFF_URL = `http://localhost:${IO_OFF_PORT}`;

/**
 * Fresh per run: the production build refuses the published development secrets
 * (lib/config/parse-env.ts). Specs that need one read it from their environment.
 */
function freshSecrets() {
  const random = () => randomBytes(32).toString("base64url");
  return {
    AUTH_SECRET: random(),
    HUB_PLATFORM_SECRET: random(),
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    CRON_SECRET: random(),
  };
}

async function main(): Promise<number> {
  findChromium();
  const database = await provisionTestDatabase();
  console.log(`e2e: database ready (${database.kind})`);
  const secrets = freshSecrets();
  const sandbox = await startSandbox({
    // The app signs IO URLs with this secret and the sandbox checks them with it.
    ...loadSandboxConfig({ ...localDefaults, APP_URL, HUB_PLATFORM_SECRET: secrets.HUB_PLATFORM_SECRET }),
    smtpPort: 0,
    webhookDelayMs: 100,
    stateFile: null,
  }).catch(async (error: unknown) => {
    await database.dispose();
    throw error;
  });
  const env = {
    ...process.env,
    ...localDefaults,
    ...secrets,
    NODE_ENV: "production" as const,
    APP_URL,
    DATABASE_URL: database.url,
    SMTP_URL: `smtp://127.0.0.1:${sandbox.smtpPort}`,
    SANDBOX_URL: sandbox.url,
  };
  const app = startService("node_modules/.bin/next", ["start", "-p", String(APP_PORT), "-H", "127.0.0.1"], { env });
  const ioOffApp = startService("node_modules/.bin/next", ["start", "-p", String(IO_OFF_PORT), "-H", "127.0.0.1"], {
    env: { ...env, APP_URL: IO_OFF_URL, HUB_IO_SIGNATURE: "off" },
  });
  try {
    await waitForUrl(`${APP_URL}/api/health`, 60_000);
    await waitForUrl(`${IO_OFF_URL}/api/health`, 60_000);
    return await run("node_modules/.bin/playwright", ["test", ...process.argv.slice(2)], {
      env: { ...env, NODE_ENV: "test" as const, E2E_BASE_URL: APP_URL, E2E_IO_OFF_URL: IO_OFF_URL },
    });
  } finally {
    await ioOffApp.stop();
    await app.stop();
    await sandbox.close();
    await database.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
