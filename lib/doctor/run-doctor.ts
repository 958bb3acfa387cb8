import "server-only";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { CHECK_TITLES, failed, skipped, type CheckId, type CheckResult } from "./check-result";
import { checkCron } from "./checks/cron";
import { checkDatabase } from "./checks/database";
import { checkHubUrls } from "./checks/hub-urls";
import { checkJobQueue } from "./checks/job-queue";
import { checkKeyRing, missingKeyRing } from "./checks/key-ring";
import { checkMigrations } from "./checks/migrations";
import { probePartnerApi, type PartnerApiProbe } from "./checks/partner-api";
import { checkVariables } from "./checks/variables";
import { checkWebhookSecret } from "./checks/webhook-secret";
import { readEnvironment } from "./read-environment";
import { log } from "@/lib/observability/log";

export type DoctorDeps = {
  /** The raw environment, as the app reads it (process.env). */
  source: Record<string, string | undefined>;
  /** The database client for DATABASE_URL; the caller owns its lifetime. */
  connect: (databaseUrl: string) => PrismaClient;
  /** Where this build's Prisma migrations are; by default prisma/migrations under the working directory. */
  migrationsDir?: string;
  /** Per check; a check that takes longer fails with "no answer". */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;
// Below the check's own timeout, so a slow Hub is reported as the Hub's failure.
const PARTNER_API_TIMEOUT_MS = 6_000;

const HUB_VARIABLES = ["HUB_API_URL", "HUB_PARTNER_ID", "HUB_API_KEY", "HUB_USERNAME", "HUB_PASSWORD"];

/**
 * Runs every check live and returns them in CHECK_TITLES order. Independent checks run together,
 * each under a timeout; one that depends on a failed check is skipped, so a misconfiguration
 * turns exactly its own check red. Never throws for a broken environment: that is a finding.
 */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const guard = (id: CheckId, run: () => Promise<CheckResult>) => settle(id, run(), timeoutMs);
  const environment = readEnvironment(deps.source);
  const env = environment.env;
  const usable = (...names: string[]) => env !== null && names.every((name) => !environment.broken.has(name));
  const needsVariables = (id: CheckId, names: string[]) =>
    skipped(id, `Not run: it needs ${names.join(", ")}.`, "Fix the Environment variables check first.");

  const db = env && usable("DATABASE_URL") ? deps.connect(env.DATABASE_URL) : null;
  const database: Promise<CheckResult> =
    env && db
      ? guard("database", () => checkDatabase(db, env.DATABASE_URL))
      : Promise.resolve(needsVariables("database", ["DATABASE_URL"]));
  const withDatabase = (id: CheckId, run: (db: PrismaClient) => Promise<CheckResult>) =>
    database.then((result) =>
      db && result.status === "pass"
        ? guard(id, () => run(db))
        : skipped(id, "Not run: it needs the database.", "Fix the Database connection check first."),
    );

  const partner: Promise<PartnerApiProbe> =
    env && usable(...HUB_VARIABLES)
      ? settleProbe(
          probePartnerApi(
            createPartnerApi({
              baseUrl: env.HUB_API_URL,
              partnerId: env.HUB_PARTNER_ID,
              apiKey: env.HUB_API_KEY,
              username: env.HUB_USERNAME,
              password: env.HUB_PASSWORD,
              timeoutMs: PARTNER_API_TIMEOUT_MS,
              maxAttempts: 1,
            }),
            env.HUB_PARTNER_ID,
          ),
          timeoutMs,
        )
      : Promise.resolve({ result: needsVariables("partner_api", HUB_VARIABLES), settings: null });
  const hubUrls = partner.then(({ settings }): [CheckResult, CheckResult] => {
    if (env && settings && usable("APP_URL")) return checkHubUrls(settings, env.APP_URL);
    const reason = settings ? "Not run: it needs APP_URL." : "Not run: it needs a working Partner API.";
    const fix = settings
      ? "Fix the Environment variables check first."
      : "Fix the Partner API credentials check first.";
    return [skipped("hub_redirect_url", reason, fix), skipped("hub_webhook_url", reason, fix)];
  });

  const webhookSecret =
    env && usable("APP_URL", "HUB_PLATFORM_SECRET")
      ? withDatabase("webhook_secret", (client) =>
          checkWebhookSecret(client, { appUrl: env.APP_URL, platformSecret: env.HUB_PLATFORM_SECRET }),
        )
      : Promise.resolve(needsVariables("webhook_secret", ["APP_URL", "HUB_PLATFORM_SECRET"]));
  // A missing ring is this check's own finding, not a reason to skip it.
  const keyRing = environment.broken.has("ENCRYPTION_KEYS")
    ? Promise.resolve(missingKeyRing())
    : env
      ? withDatabase("key_ring", (client) => checkKeyRing(client, env.ENCRYPTION_KEYS))
      : Promise.resolve(needsVariables("key_ring", ["DATABASE_URL"]));
  const migrationsDir = deps.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations");

  const [databaseResult, migrations, partnerProbe, [redirectUrl, webhookUrl], ...rest] = await Promise.all([
    database,
    withDatabase("migrations", (client) => checkMigrations(client, migrationsDir)),
    partner,
    hubUrls,
    webhookSecret,
    keyRing,
    withDatabase("job_queue", (client) => checkJobQueue(client)),
    withDatabase("cron", (client) => checkCron(client, new Date())),
  ]);
  return [
    checkVariables(environment),
    databaseResult,
    migrations,
    partnerProbe.result,
    redirectUrl,
    webhookUrl,
    ...rest,
  ];
}

/** Whether any check failed: the script's exit code, the page's summary. */
export function hasFailures(results: CheckResult[]): boolean {
  return results.some((result) => result.status === "fail");
}

function settle(id: CheckId, check: Promise<CheckResult>, timeoutMs: number): Promise<CheckResult> {
  return withTimeout(check, timeoutMs).catch((error: unknown) => unexpected(id, error, timeoutMs));
}

function settleProbe(probe: Promise<PartnerApiProbe>, timeoutMs: number): Promise<PartnerApiProbe> {
  return withTimeout(probe, timeoutMs).catch((error: unknown) => ({
    result: unexpected("partner_api", error, timeoutMs),
    settings: null,
  }));
}

class CheckTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Only the error's class is shown: an unexpected message may carry a connection string or a body.
function unexpected(id: CheckId, error: unknown, timeoutMs: number): CheckResult {
  if (error instanceof CheckTimeout) {
    return failed(
      id,
      `${CHECK_TITLES[id]} gave no answer within ${timeoutMs / 1000} s.`,
      "Check that the service it talks to is reachable from this server, then run the doctor again.",
    );
  }
  const kind = error instanceof Error ? error.name : "unknown error";
  log.error({ check: id }, `[doctor] ${id}: ${kind}: ${error instanceof Error ? error.message : String(error)}`);
  return failed(
    id,
    `The check stopped with an unexpected ${kind}.`,
    "Run the doctor again; if it persists, the server log has the details.",
  );
}
