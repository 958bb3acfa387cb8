import { randomBytes } from "node:crypto";

/**
 * Secrets for one run of a production build on this machine (the e2e suite, the benchmark): the
 * production build refuses the published development ones (lib/config/parse-env.ts).
 */
export function freshSecrets() {
  const random = () => randomBytes(32).toString("base64url");
  return {
    AUTH_SECRET: random(),
    HUB_PLATFORM_SECRET: random(),
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    CRON_SECRET: random(),
  };
}
