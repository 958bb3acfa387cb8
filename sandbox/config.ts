import { LOCAL_SANDBOX_PORT, LOCAL_SMTP_PORT, localDefaults } from "../lib/config/local-defaults";
import { silentLogger, type Logger } from "./logger";

/** Statuses a channel goes through; `revoked` and `restricted` are side exits. */
export const CHANNEL_STATUSES = [
  "pending",
  "created",
  "submitted",
  "ready",
  "running",
  "live",
  "revoked",
  "restricted",
] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export type ApiKeysShape = "flat" | "wrapped";

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
  retryBaseMs: number;
  retryMaxAttempts: number;
  signatureMaxAgeSeconds: number;
  tokenTtlSeconds: number;
  /** The automatic lifecycle after onboarding stops at this status (e.g. `ready` to drive it by hand). */
  lifecycleUntil: ChannelStatus;
  apiKeysShape: ApiKeysShape;
  /** null keeps state in memory only. */
  stateFile: string | null;
  logger: Logger;
}

type Env = Record<string, string | undefined>;

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`sandbox: expected a non-negative integer, got "${value}"`);
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
    port: int(env.SANDBOX_PORT, LOCAL_SANDBOX_PORT),
    smtpPort: int(env.SANDBOX_SMTP_PORT, LOCAL_SMTP_PORT),
    partnerId: str(env.HUB_PARTNER_ID, localDefaults.HUB_PARTNER_ID),
    platformSecret,
    apiKey: str(env.HUB_API_KEY, localDefaults.HUB_API_KEY),
    username: str(env.HUB_USERNAME, localDefaults.HUB_USERNAME),
    password: str(env.HUB_PASSWORD, localDefaults.HUB_PASSWORD),
    // Without a secret nobody could compute a signature, so "on" alone cannot require one.
    ioSignatureRequired: ioSwitch !== "off" && platformSecret !== "",
    partnerRedirectUrl: `${appUrl}/onboarding`,
    webhookUrl: `${appUrl}/api/webhooks/360dialog`,
    webhookDelayMs: int(env.SANDBOX_WEBHOOK_DELAY_MS, 200),
    webhookTimeoutMs: int(env.SANDBOX_WEBHOOK_TIMEOUT_MS, 5000),
    retryBaseMs: int(env.SANDBOX_RETRY_BASE_MS, 1000),
    retryMaxAttempts: int(env.SANDBOX_RETRY_MAX_ATTEMPTS, 6),
    signatureMaxAgeSeconds: int(env.SANDBOX_SIGNATURE_MAX_AGE_SECONDS, 24 * 60 * 60),
    tokenTtlSeconds: int(env.SANDBOX_TOKEN_TTL_SECONDS, 24 * 60 * 60),
    lifecycleUntil: lifecycle(env.SANDBOX_LIFECYCLE_UNTIL),
    apiKeysShape: "flat",
    stateFile: stateFile === undefined || stateFile.trim() === "" ? null : stateFile.trim(),
    logger: silentLogger,
  };
}
