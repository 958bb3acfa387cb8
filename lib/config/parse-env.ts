import { z } from "zod";
import { messagingWebhookUrlProblem } from "@/lib/hub/messaging-webhook-url";
import { localDefaults } from "./local-defaults";

const PROD_HUB_API_URL = "https://hub.360dialog.io/api/v2";

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);
const required = () => z.preprocess(emptyAsMissing, z.string({ error: "is required" }).trim().min(1, "is required"));
const optional = () => z.preprocess(emptyAsMissing, z.string().trim().min(1).optional());

// abort: zod runs later checks after a failed one, and `new URL` throws on what is not a URL.
const urlOf = (protocols: string[]) =>
  z.url({ error: "must be a URL", abort: true }).refine((value) => protocols.includes(new URL(value).protocol), {
    error: `must use ${protocols.join(" or ")}`,
  });
const url = (protocols: string[]) => required().pipe(urlOf(protocols));
const optionalUrl = (protocols: string[]) => optional().pipe(urlOf(protocols).optional());

const POSTGRES = ["postgres:", "postgresql:"];

const encryptionKeys = required().transform((value, ctx) => {
  const keys = new Map<number, Buffer>();
  for (const entry of value.split(",")) {
    const match = /^(\d+):([A-Za-z0-9+/=]+)$/.exec(entry.trim());
    const key = match?.[2] ? Buffer.from(match[2], "base64") : undefined;
    if (!match || !key || key.length !== 32) {
      ctx.addIssue({ code: "custom", message: 'must be "<version>:<base64 of 32 bytes>" entries, comma-separated' });
      return z.NEVER;
    }
    keys.set(Number(match[1]), key);
  }
  return keys;
});

const emailList = z.preprocess(
  (value) =>
    typeof value === "string"
      ? value
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean)
      : [],
  z.array(z.email({ error: "must be comma-separated email addresses" })),
);

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: url(POSTGRES),
  // Set when DATABASE_URL is a transaction-mode pooler: the direct connection, for migrations and
  // the long-lived worker (LISTEN needs a session of its own, which such a pooler does not keep).
  DIRECT_URL: optionalUrl(POSTGRES),
  AUTH_SECRET: required().pipe(z.string().min(32, "must be at least 32 characters")),
  APP_URL: url(["http:", "https:"]).transform((value) => new URL(value).origin),
  HUB_ENV: z.enum(["local", "staging", "prod"], { error: "must be local, staging or prod" }),
  HUB_PARTNER_ID: required(),
  HUB_PLATFORM_SECRET: required().pipe(z.string().min(16, "must be at least 16 characters")),
  HUB_API_URL: url(["http:", "https:"]).transform((value) => value.replace(/\/+$/, "")),
  HUB_API_KEY: optional(),
  HUB_USERNAME: optional(),
  HUB_PASSWORD: optional(),
  HUB_IO_SIGNATURE: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  ENCRYPTION_KEYS: encryptionKeys,
  MESSAGING_WEBHOOK_URL: optional(),
  CRON_SECRET: required().pipe(z.string().min(16, "must be at least 16 characters")),
  // A job locked longer than this belonged to a process that died (see lib/jobs/unlock-stale-jobs.ts).
  JOB_LOCK_TIMEOUT_SECONDS: z.preprocess(
    emptyAsMissing,
    z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int("must be a whole number of seconds")
      .min(10, "must be at least 10 seconds")
      .optional(),
  ),
  SMTP_URL: url(["smtp:", "smtps:"]),
  EMAIL_FROM: required(),
  ADMIN_EMAILS: emailList,
  AUTH_GITHUB_ID: optional(),
  AUTH_GITHUB_SECRET: optional(),
});

// Checked on the raw input so these problems are listed together with per-field ones.
function crossFieldProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!input.HUB_API_KEY && !(input.HUB_USERNAME && input.HUB_PASSWORD)) {
    problems.push("HUB_API_KEY: is required (or HUB_USERNAME and HUB_PASSWORD)");
  }
  problems.push(...messagingWebhookProblems(input));
  problems.push(...jobLockTimeoutProblems(input));
  if (Boolean(input.AUTH_GITHUB_ID) !== Boolean(input.AUTH_GITHUB_SECRET)) {
    problems.push("AUTH_GITHUB_SECRET: AUTH_GITHUB_ID and AUTH_GITHUB_SECRET go together");
  }
  if (input.NODE_ENV === "production") problems.push(...productionProblems(input));
  return problems;
}

// Longer than any job can run against the real Hub: a function's 60 s plus a Partner API read's
// retries (3 × 10 s and backoff). A shorter lock timeout would free a live job to run twice.
const MIN_REAL_HUB_LOCK_TIMEOUT_SECONDS = 120;

/** Below the floor only against the local sandbox, where the e2e suite waits out a killed app's lock. */
function jobLockTimeoutProblems(input: Record<string, string | undefined>): string[] {
  const seconds = Number(input.JOB_LOCK_TIMEOUT_SECONDS);
  // Below 10 or not a number is the schema's to say.
  if (!Number.isInteger(seconds) || seconds < 10 || input.HUB_ENV === "local") return [];
  return seconds < MIN_REAL_HUB_LOCK_TIMEOUT_SECONDS
    ? [
        `JOB_LOCK_TIMEOUT_SECONDS: must be at least ${MIN_REAL_HUB_LOCK_TIMEOUT_SECONDS} seconds against the real Hub, or a job still running could be run twice`,
      ]
    : [];
}

/**
 * The URL every keyed number's messaging webhook is set to must be one 360dialog takes: the
 * partner's backend, or else the portal's own receiver under APP_URL (a port there would fail
 * every number's hand-off, so it is said at startup instead).
 */
function messagingWebhookProblems(input: Record<string, string | undefined>): string[] {
  const hubIsLocal = input.HUB_ENV === "local";
  if (input.MESSAGING_WEBHOOK_URL) {
    const problem = messagingWebhookUrlProblem(input.MESSAGING_WEBHOOK_URL, { hubIsLocal });
    return problem ? [`MESSAGING_WEBHOOK_URL: ${problem}`] : [];
  }
  // A plain-http APP_URL is refused on its own; a local run's loopback receiver is the sandbox's to reach.
  if (input.NODE_ENV !== "production" || !input.APP_URL?.startsWith("https:") || !URL.canParse(input.APP_URL)) {
    return [];
  }
  const ownReceiver = new URL("/api/webhooks/messages", input.APP_URL).href;
  const problem = messagingWebhookUrlProblem(ownReceiver, { hubIsLocal });
  return problem ? [`MESSAGING_WEBHOOK_URL: unset, so ${ownReceiver} receives messages, but ${problem}`] : [];
}

/** Published in this repository: with them anyone could forge sessions, IO signatures or cron calls. */
const PUBLISHED_SECRETS = ["AUTH_SECRET", "HUB_PLATFORM_SECRET", "CRON_SECRET"] as const;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The key new data is encrypted with: the highest version (see .env.example). Malformed input: null. */
function encryptingKey(encryptionKeys: string | undefined): Buffer | null {
  let newest: { version: number; key: Buffer } | null = null;
  for (const entry of (encryptionKeys ?? "").split(",")) {
    const match = /^(\d+):(.+)$/.exec(entry.trim());
    if (!match?.[1] || !match[2]) continue;
    const version = Number(match[1]);
    if (!newest || version > newest.version) newest = { version, key: Buffer.from(match[2], "base64") };
  }
  return newest?.key ?? null;
}

const PUBLISHED_KEY = encryptingKey(localDefaults.ENCRYPTION_KEYS);

function describeAppUrl(value: string | undefined): { loopback: boolean; http: boolean } {
  try {
    const url = new URL(value ?? "");
    return { loopback: LOOPBACK_HOSTS.has(url.hostname), http: url.protocol === "http:" };
  } catch {
    return { loopback: false, http: false };
  }
}

/**
 * A production build served on a loopback APP_URL is a local run (the e2e suite runs `next start`
 * against the sandbox that way): only there may HUB_ENV be local and APP_URL plain http. The
 * published development secrets are refused even there, so a build never runs with them by mistake.
 */
function productionProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const published = "is the published development default; generate a value of your own (see .env.example)";
  for (const name of PUBLISHED_SECRETS) {
    if (input[name]?.trim() === localDefaults[name]) problems.push(`${name}: ${published}`);
  }
  // Kept for decryption only (rotating away from it), the published key is tolerated.
  const key = encryptingKey(input.ENCRYPTION_KEYS);
  if (key && PUBLISHED_KEY?.equals(key)) problems.push(`ENCRYPTION_KEYS: ${published}`);
  const appUrl = describeAppUrl(input.APP_URL);
  if (input.HUB_ENV === "local" && !appUrl.loopback) {
    problems.push("HUB_ENV: local (the Hub sandbox) is only allowed with APP_URL on localhost, 127.0.0.1 or [::1]");
  }
  if (appUrl.http && !appUrl.loopback) {
    problems.push("APP_URL: must use https: (plain http only on localhost, 127.0.0.1 or [::1])");
  }
  return problems;
}

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Validates configuration. Outside production every missing value falls back to the local
 * sandbox and embedded database; in production nothing is defaulted but HUB_API_URL.
 * Throws one ConfigError naming every problem, never the offending values.
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const production = source.NODE_ENV === "production";
  const defaults: Record<string, string> = production ? { HUB_API_URL: PROD_HUB_API_URL } : { ...localDefaults };
  const input: Record<string, string | undefined> = { ...defaults };
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && value !== "") input[name] = value;
  }
  const result = schema.safeParse(input);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join(".") || "config"}: ${issue.message}`)),
    ...crossFieldProblems(input),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
