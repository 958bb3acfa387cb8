/**
 * `npm run bench`: measures the production build on this machine and writes bench/results.md.
 * Builds once, starts a durable PostgreSQL (fsync on), the Hub sandbox and `next start`, then
 * drives each endpoint with autocannon in interleaved, repeated rounds against a bare route
 * handler (the ceiling), times the key pipeline and the Connect journey, and weighs each page's
 * first-load JavaScript. Nothing here is a test: it prints figures and never fails on them.
 *
 * BENCH_SKIP_BUILD=1 reuses .next; BENCH_ROUNDS and BENCH_SECONDS shorten or lengthen the load.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { localDefaults } from "../lib/config/local-defaults";
import { API_KEY, PARTNER_ID, SECRET, startTestSandbox } from "../sandbox/test/hub-driver";
import { measureConnectJourney } from "./bench/browser-journey";
import { firstLoadJs, type FirstLoad } from "./bench/first-load-js";
import { measureKeyLatency } from "./bench/key-latency";
import { medianOf, runLoad, type LoadResult, type LoadTarget } from "./bench/load";
import { renderReport, type BenchReport, type Target } from "./bench/report";
import { seedChannels, seedUser, type SeededUser } from "./bench/seed";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";
import { migrateDeploy } from "./lib/migrate";
import { findChromium } from "./support/chromium";
import { freshSecrets } from "./support/fresh-secrets";
import { run, startService, waitForUrl } from "./support/processes";

// The Connect Button's `env="local"` opens the Hub at localhost:8082; the app must be this origin.
const APP_PORT = 3100;
const APP_URL = `http://localhost:${APP_PORT}`;
const SANDBOX_PORT = 8082;
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIGNERS = 200;
const LATENCY_CHANNELS = 201;
const LATENCY_PACE_RPS = 10;
const JOURNEY_RUNS = 5;
// Opens the bare route for this run only (app/api/bench/bare/route.ts).
const BARE_TOKEN = randomBytes(24).toString("base64url");

const TARGETS: Target[] = [
  { name: "POST /api/webhooks/360dialog", ratio: 0.75, of: "bare POST", p99Ms: 100 },
  { name: "POST /api/webhooks/360dialog (stored only)", ratio: 0.75, of: "bare POST", p99Ms: 100 },
  { name: "GET /api/channels (6 events a channel)", ratio: 0.6, of: "bare GET" },
  { name: "GET /api/channels (1,000 events a channel)", ratio: 0.6, of: "bare GET" },
  { name: "GET /onboarding (signed in)", ratio: 0.35, of: "bare GET" },
  { name: "GET /channels (signed in)", ratio: 0.35, of: "bare GET" },
];

/**
 * Distinct, correctly signed partner webhooks: a number of another client going running (stored
 * with a job the app runs after the response), or a `client_created`, which is stored only.
 */
function signedWebhooks(
  prefix: string,
  secret: string,
  event: "channel_running" | "client_created" = "channel_running",
): () => { headers: Record<string, string>; body: string } {
  let sequence = 0;
  return () => {
    sequence += 1;
    const body = JSON.stringify({
      id: `${prefix}-${sequence}`,
      event,
      data: { id: `${prefix}CH${sequence}`, client_id: `${prefix}CL`, status: "running" },
    });
    const signature = createHmac("sha256", secret).update(body).digest("hex");
    return { headers: { "content-type": "application/json", "x-360dialog-signature": signature }, body };
  };
}

/** `next`'s requests, each with one more header. */
function withHeader(
  next: () => { headers: Record<string, string>; body: string },
  name: string,
  value: string,
): () => { headers: Record<string, string>; body: string } {
  return () => {
    const built = next();
    return { ...built, headers: { ...built.headers, [name]: value } };
  };
}

/** Each request as the next of many signed-in users, asking for their IO signature. */
function rotatingSigners(signers: SeededUser[]): () => { headers: Record<string, string>; body: string } {
  let next = 0;
  return () => {
    const user = signers[next++ % signers.length]!;
    return { headers: { cookie: user.cookie, origin: APP_URL, "content-type": "application/json" }, body: "{}" };
  };
}

function loadTargets(people: { small: SeededUser; big: SeededUser; signers: SeededUser[] }): LoadTarget[] {
  return [
    { name: "bare GET", method: "GET", path: "/api/bench/bare", headers: { "x-bench-token": BARE_TOKEN } },
    {
      name: "bare POST",
      method: "POST",
      path: "/api/bench/bare",
      next: withHeader(signedWebhooks("bare", SECRET), "x-bench-token", BARE_TOKEN),
    },
    { name: "GET /api/health", method: "GET", path: "/api/health" },
    {
      name: "GET /api/channels (6 events a channel)",
      method: "GET",
      path: "/api/channels",
      headers: { cookie: people.small.cookie },
    },
    {
      name: "GET /api/channels (1,000 events a channel)",
      method: "GET",
      path: "/api/channels",
      headers: { cookie: people.big.cookie },
    },
    {
      name: "GET /onboarding (signed in)",
      method: "GET",
      path: "/onboarding",
      headers: { cookie: people.small.cookie },
    },
    { name: "GET /channels (signed in)", method: "GET", path: "/channels", headers: { cookie: people.small.cookie } },
    {
      name: "POST /api/webhooks/360dialog",
      method: "POST",
      path: "/api/webhooks/360dialog",
      next: signedWebhooks("bench", SECRET),
    },
    {
      // The receiver alone: verified and stored, no job behind it competing for the same thread.
      name: "POST /api/webhooks/360dialog (stored only)",
      method: "POST",
      path: "/api/webhooks/360dialog",
      next: signedWebhooks("benchstore", SECRET, "client_created"),
    },
    {
      name: `POST /api/sign_io (${SIGNERS} users)`,
      method: "POST",
      path: "/api/sign_io",
      next: rotatingSigners(people.signers),
    },
  ];
}

/** Waits (at most a minute) until the job queue has nothing due: the app's own drains emptied it. */
async function queueIdle(pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ due: string }>(
      `SELECT count(*) AS due FROM graphile_worker._private_jobs WHERE run_at <= now() AND attempts < max_attempts`,
    );
    if (rows[0]!.due === "0") return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  findChromium();
  if (!process.env.BENCH_SKIP_BUILD) {
    const built = await run("npm", ["run", "build"]);
    if (built !== 0) throw new Error(`npm run build exited with ${built}`);
  }
  const pgRoot = mkdtempSync(join(tmpdir(), "portal-bench-pg-"));
  // A data directory of its own makes the embedded server durable: fsync on, as in production.
  const database = await startEmbeddedPostgres({ dataDir: join(pgRoot, "data") });
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const sandbox = await startTestSandbox({
    port: SANDBOX_PORT,
    partnerRedirectUrl: `${APP_URL}/onboarding`,
    webhookUrl: `${APP_URL}/api/webhooks/360dialog`,
    // Numbers stay `created` until the benchmark moves them, so it decides when each goes running.
    lifecycleUntil: "created",
    webhookDelayMs: 5,
  });
  let app: ReturnType<typeof startService> | undefined;
  try {
    await migrateDeploy(database.url);
    const version = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    app = startService("node_modules/.bin/next", ["start", "-p", String(APP_PORT), "-H", "127.0.0.1"], {
      env: {
        ...process.env,
        ...localDefaults,
        ...freshSecrets(),
        NODE_ENV: "production",
        APP_URL,
        DATABASE_URL: database.url,
        SMTP_URL: `smtp://127.0.0.1:${sandbox.smtpPort}`,
        HUB_API_URL: `${sandbox.url}/api/v2`,
        HUB_PARTNER_ID: PARTNER_ID,
        HUB_API_KEY: API_KEY,
        HUB_PLATFORM_SECRET: SECRET,
        BENCH_BARE_ROUTE: BARE_TOKEN,
      },
    });
    await waitForUrl(`${APP_URL}/api/health`, 60_000);

    const small = await seedUser(pool, "bench-small@example.com");
    await seedChannels(pool, small, { channels: 3, eventsPerChannel: 6, label: "benchsmall" });
    const big = await seedUser(pool, "bench-big@example.com");
    await seedChannels(pool, big, { channels: 3, eventsPerChannel: 1_000, label: "benchbig" });
    const admin = await seedUser(pool, "admin@example.com", "ADMIN");
    const signers: SeededUser[] = [];
    for (let index = 0; index < SIGNERS; index++) signers.push(await seedUser(pool, `signer-${index}@example.com`));

    const targets = loadTargets({ small, big, signers });
    // A pass first: the first requests compile, optimise and cache what later ones reuse.
    for (const target of targets) await runLoad(APP_URL, target, { connections: CONNECTIONS, seconds: 2 });
    const storedWebhooks = async () =>
      Number(
        (
          await pool.query<{ count: string }>(
            `SELECT count(*) FROM "WebhookEvent" WHERE "dedupeKey" LIKE 'hub:bench-%'`,
          )
        ).rows[0]!.count,
      );
    const storedBefore = await storedWebhooks();
    const runs = new Map<string, LoadResult[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        // The jobs an earlier run queued are done first, so no run pays for another's work.
        await queueIdle(pool);
        const result = await runLoad(APP_URL, target, { connections: CONNECTIONS, seconds: SECONDS });
        runs.set(target.name, [...(runs.get(target.name) ?? []), result]);
        console.log(
          `bench: round ${round}/${ROUNDS} ${target.name}: ${result.rps.toFixed(0)} rps, p99 ${result.p99} ms, errors ${result.errors}`,
        );
      }
    }
    const load = targets.map((target) => medianOf(runs.get(target.name)!));
    const accepted = runs.get("POST /api/webhooks/360dialog")!.reduce((sum, result) => sum + result.ok, 0);
    const stored = (await storedWebhooks()) - storedBefore;

    console.log("bench: timing channel_running → key");
    const keyLatency = await measureKeyLatency(sandbox, pool, database.url, {
      channels: LATENCY_CHANNELS,
      paceRps: LATENCY_PACE_RPS,
    });
    console.log("bench: timing the Connect journey in Chromium");
    const journey = await measureConnectJourney(APP_URL, pool, JOURNEY_RUNS);
    const firstLoad: FirstLoad[] = [];
    for (const [page, cookie] of [
      ["/login", ""],
      ["/onboarding", small.cookie],
      ["/channels", small.cookie],
      ["/admin/clients", admin.cookie],
      ["/admin/funnel", admin.cookie],
    ] as const) {
      firstLoad.push(await firstLoadJs(APP_URL, page, cookie));
    }

    const report: BenchReport = {
      startedAt,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      settings: { connections: CONNECTIONS, secondsPerRun: SECONDS, rounds: ROUNDS },
      postgres: `PostgreSQL ${version}`,
      load,
      // autocannon stops counting with requests in flight: those are stored too, so stored ≥ accepted.
      webhooks: { accepted, stored, lost: Math.max(0, accepted - stored) },
      keyLatency,
      journey,
      firstLoad,
      targets: TARGETS,
    };
    const markdown = renderReport(report);
    mkdirSync("bench", { recursive: true });
    writeFileSync("bench/results.md", markdown);
    console.log(`\n${markdown}`);
    console.log("bench: written to bench/results.md");
  } finally {
    await app?.stop();
    await sandbox.close();
    await pool.end();
    await database.stop();
    rmSync(pgRoot, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
