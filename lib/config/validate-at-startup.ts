import { ConfigError, parseEnv } from "./parse-env";

/**
 * Fails fast at server start: a deployment with a missing or malformed variable exits with
 * every problem listed instead of failing on its first request.
 */
export function validateConfigAtStartup(): void {
  try {
    parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
