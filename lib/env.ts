import "server-only";
import { parseEnv, type Env } from "./config/parse-env";

let cached: Env | undefined;

/** The one validated source of configuration. Parsed on first use and at server start. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export type { Env };
