import { LOCAL_SANDBOX_PORT, LOCAL_SMTP_PORT, localDefaults } from "../lib/config/local-defaults";
import { silentLogger, type Logger } from "./logger";
import { isHttpUrl } from "./urls";

/**
 * 360dialog's channel statuses (from public clients of the real API), in the order a channel's
 * life passes them; the automatic lifecycle walks created → ready → running → live. `modified`
 * and `error` are reachable through the control endpoint, and so are `restricted` and `revoked`,
 * which are not 360dialog statuses (restrictions are events, revocations remove the partner's
 * access) but let tests send odd reports.
 */
export const CHANNEL_STATUSES = [
  "created",
  "unverified",
  "verified",
  "ready",
  "running",
  "live",
  "modified",
  "error",
  "restricted",
  "revoked",
] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export type ApiKeysShape = "flat" | "wrapped";
/**
 * Partner webhooks: `channel` is 360dialog's (`{id, event, data}`, data the channel object);
 * `flat` puts channel_id and phone_number in data; `seed` is the integration guide's
 * `{type, payload: {channel}}` without an event id.
 */
export type WebhookShape = "channel" | "flat" | "seed";

export interface SandboxConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** 0 picks a free port (tests). */
  smtpPort: number;
  partnerId: string;
  platformSecret: string;
  apiKey: string;
  username: string;
  password: string;
  ioSignatureRequired: boolean;
  /** Initial partner settings; the Partner API and /__sandbox/config can change them at run time. */
  partnerRedirectUrl: string;
  webhookUrl: string;
  /** Gap between two lifecycle webhooks of one onboarding. */
  webhookDelayMs: number;
  /** The Hub counts a delivery as failed when no answer arrives in this time (5 s for messaging). */
  webhookTimeoutMs: number;
  /** Redelivery n waits `retryBaseMs * 2^(n-1)`, never more than `retryMaxDelayMs`. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** Attempts in total, the first one included. */
  retryMaxAttempts: number;
  signatureMaxAgeSeconds: number;
  tokenTtlSeconds: number;
  /** The automatic lifecycle after onboarding stops at this status (e.g. `ready` to drive it by hand). */
  lifecycleUntil: ChannelStatus;
  apiKeysShape: ApiKeysShape;
  webhookShape: WebhookShape;
  /** 360dialog allows one key creation per channel per 30 s and answers 429 beyond it; 0 turns it off. */
  apiKeyMinIntervalSeconds: number;
  /** From an accepted message to its `sent` (or `failed`) status webhook. */
  messageSentDelayMs: number;
  /** From `sent` to `delivered`. */
  messageDeliveredDelayMs: number;
  /** null keeps state in memory only. */
  stateFile: string | null;
  logger: Logger;
}

type Env = Record<string, string | undefined>;

export interface IntRange {
  min: number;
  max: number;
}

/** Shared by the environment and PATCH /__sandbox/config, so both accept the same values. */
export const LIMITS = {
  port: { min: 0, max: 65_535 },
  delayMs: { min: 0, max: 3_600_000 },
  retryMaxAttempts: { min: 1, max: 100 },
} as const satisfies Record<string, IntRange>;

const ANY_COUNT: IntRange = { min: 0, max: Number.MAX_SAFE_INTEGER };

function int(name: string, value: string | undefined, fallback: number, range: IntRange = ANY_COUNT): number {
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new Error(`sandbox: ${name} must be an integer from ${range.min} to ${range.max}, got "${value}"`);
  }
  return parsed;
}

function str(value: string | undefined, fallback: string): string {
  return value === undefined || value.trim() === "" ? fallback : value.trim();
}

function lifecycle(value: string | undefined): ChannelStatus {
  const wanted = str(value, "live");
  const found = CHANNEL_STATUSES.find((s) => s === wanted);
  if (!found) throw new Error(`sandbox: SANDBOX_LIFECYCLE_UNTIL must be one of ${CHANNEL_STATUSES.join(", ")}`);
  return found;
}

/** Reads the same variables as the app (lib/env.ts) so both sides agree without extra setup. */
export function loadSandboxConfig(env: Env = process.env): SandboxConfig {
  const appUrl = str(env.APP_URL, localDefaults.APP_URL).replace(/\/+$/, "");
  const platformSecret = env.HUB_PLATFORM_SECRET ?? localDefaults.HUB_PLATFORM_SECRET;
  const ioSwitch = str(env.HUB_IO_SIGNATURE, localDefaults.HUB_IO_SIGNATURE).toLowerCase();
  const stateFile = env.SANDBOX_STATE_FILE;
  return {
    host: str(env.SANDBOX_HOST, "127.0.0.1"),
    port: int("SANDBOX_PORT", env.SANDBOX_PORT, LOCAL_SANDBOX_PORT, LIMITS.port),
    smtpPort: int("SANDBOX_SMTP_PORT", env.SANDBOX_SMTP_PORT, LOCAL_SMTP_PORT, LIMITS.port),
    partnerId: str(env.HUB_PARTNER_ID, localDefaults.HUB_PARTNER_ID),
    platformSecret,
    apiKey: str(env.HUB_API_KEY, localDefaults.HUB_API_KEY),
    username: str(env.HUB_USERNAME, localDefaults.HUB_USERNAME),
    password: str(env.HUB_PASSWORD, localDefaults.HUB_PASSWORD),
    // Without a secret nobody could compute a signature, so "on" alone cannot require one.
    ioSignatureRequired: ioSwitch !== "off" && platformSecret !== "",
    partnerRedirectUrl: `${appUrl}/onboarding`,
    webhookUrl: `${appUrl}/api/webhooks/360dialog`,
    webhookDelayMs: int("SANDBOX_WEBHOOK_DELAY_MS", env.SANDBOX_WEBHOOK_DELAY_MS, 200, LIMITS.delayMs),
    webhookTimeoutMs: int("SANDBOX_WEBHOOK_TIMEOUT_MS", env.SANDBOX_WEBHOOK_TIMEOUT_MS, 5000, LIMITS.delayMs),
    retryBaseMs: int("SANDBOX_RETRY_BASE_MS", env.SANDBOX_RETRY_BASE_MS, 1000, LIMITS.delayMs),
    retryMaxDelayMs: int("SANDBOX_RETRY_MAX_DELAY_MS", env.SANDBOX_RETRY_MAX_DELAY_MS, 60_000, LIMITS.delayMs),
    retryMaxAttempts: int("SANDBOX_RETRY_MAX_ATTEMPTS", env.SANDBOX_RETRY_MAX_ATTEMPTS, 6, LIMITS.retryMaxAttempts),
    signatureMaxAgeSeconds: int(
      "SANDBOX_SIGNATURE_MAX_AGE_SECONDS",
      env.SANDBOX_SIGNATURE_MAX_AGE_SECONDS,
      24 * 60 * 60,
    ),
    tokenTtlSeconds: int("SANDBOX_TOKEN_TTL_SECONDS", env.SANDBOX_TOKEN_TTL_SECONDS, 24 * 60 * 60),
    lifecycleUntil: lifecycle(env.SANDBOX_LIFECYCLE_UNTIL),
    apiKeysShape: "flat",
    webhookShape: "channel",
    apiKeyMinIntervalSeconds: 30,
    messageSentDelayMs: int("SANDBOX_MESSAGE_SENT_DELAY_MS", env.SANDBOX_MESSAGE_SENT_DELAY_MS, 300, LIMITS.delayMs),
    messageDeliveredDelayMs: int(
      "SANDBOX_MESSAGE_DELIVERED_DELAY_MS",
      env.SANDBOX_MESSAGE_DELIVERED_DELAY_MS,
      700,
      LIMITS.delayMs,
    ),
    stateFile: stateFile === undefined || stateFile.trim() === "" ? null : stateFile.trim(),
    logger: silentLogger,
  };
}

/** Checked on start, whether the values came from the environment (APP_URL) or from options. */
export function assertHttpPartnerUrls(config: Pick<SandboxConfig, "partnerRedirectUrl" | "webhookUrl">): void {
  if (!isHttpUrl(config.partnerRedirectUrl)) {
    throw new Error(
      `sandbox: the partner redirect URL must be an http(s) URL (check APP_URL), got "${config.partnerRedirectUrl}"`,
    );
  }
  if (config.webhookUrl !== "" && !isHttpUrl(config.webhookUrl)) {
    throw new Error(
      `sandbox: the webhook URL must be an http(s) URL or empty (check APP_URL), got "${config.webhookUrl}"`,
    );
  }
}
