/**
 * Values used when a variable is unset in development and test. They point at the
 * local Hub sandbox and the embedded database, so `npm run dev` needs no configuration.
 * Shared by the app (`lib/env.ts`) and the sandbox so both sides agree on the contract.
 * None of these is ever accepted in production: lib/env.ts requires real values there.
 */
export const LOCAL_APP_PORT = 3000;
export const LOCAL_SANDBOX_PORT = 8082;
export const LOCAL_SMTP_PORT = 1025;
// 5433, not 5432, so the embedded database never meets a system PostgreSQL.
export const LOCAL_DATABASE_PORT = 5433;

export const localDefaults = {
  APP_URL: `http://localhost:${LOCAL_APP_PORT}`,
  // The credentials scripts/lib/embedded-postgres.ts starts its server with.
  DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${LOCAL_DATABASE_PORT}/postgres?sslmode=disable`,
  AUTH_SECRET: "local-dev-auth-secret-do-not-use-in-production-0000",
  HUB_ENV: "local",
  HUB_PARTNER_ID: "sandboxPA",
  HUB_PLATFORM_SECRET: "local-sandbox-platform-secret",
  HUB_API_URL: `http://localhost:${LOCAL_SANDBOX_PORT}/api/v2`,
  HUB_API_KEY: "local-sandbox-partner-api-key",
  HUB_USERNAME: "sandbox-partner",
  HUB_PASSWORD: "sandbox-password",
  HUB_IO_SIGNATURE: "on",
  // 32 zero-ish bytes are fine for local data only; format is "<version>:<base64 32-byte key>".
  ENCRYPTION_KEYS: "1:bG9jYWwtZGV2LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=",
  CRON_SECRET: "local-dev-cron-secret",
  SMTP_URL: `smtp://127.0.0.1:${LOCAL_SMTP_PORT}`,
  EMAIL_FROM: "Onboarding Portal <portal@localhost>",
  ADMIN_EMAILS: "admin@example.com",
} as const;
