import "server-only";
import { randomBytes } from "node:crypto";
import { ConfigError, parseEnv, type Env } from "@/lib/config/parse-env";

export type Environment = {
  /** The parser's problems, one "VARIABLE: what is wrong" line each, never a value. */
  problems: string[];
  /** The variables a problem names: checks that need one of them cannot run. */
  broken: ReadonlySet<string>;
  /**
   * The configuration with each broken variable replaced by a harmless stand-in, so the checks
   * that do not need it still run on the real values; null if even that does not parse.
   */
  env: Env | null;
};

const secret = () => randomBytes(24).toString("hex");

/**
 * Well-formed values that reach nothing: loopback port 9 (discard), fresh random secrets (never a
 * published default, so production accepts them), and development for a NODE_ENV that is neither
 * (what the parser already took it for).
 */
const STAND_INS: Record<string, () => string> = {
  NODE_ENV: () => "development",
  DATABASE_URL: () => "postgresql://stand-in@127.0.0.1:9/stand-in",
  AUTH_SECRET: secret,
  APP_URL: () => "http://127.0.0.1:9",
  HUB_ENV: () => "staging",
  HUB_PARTNER_ID: () => "stand-in",
  HUB_PLATFORM_SECRET: secret,
  HUB_API_URL: () => "http://127.0.0.1:9/api/v2",
  HUB_API_KEY: secret,
  HUB_IO_SIGNATURE: () => "on",
  ENCRYPTION_KEYS: () => `1:${randomBytes(32).toString("base64")}`,
  CRON_SECRET: secret,
  SMTP_URL: () => "smtp://127.0.0.1:9",
  EMAIL_FROM: () => "stand-in@localhost",
};

// Named by the parser for either of the two; they only make sense together.
const PAIRED: Record<string, string[]> = {
  AUTH_GITHUB_ID: ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
  AUTH_GITHUB_SECRET: ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
};

/**
 * The configuration as the app would read it (lib/config/parse-env.ts, with its local defaults
 * outside production), without throwing: a broken environment is what the doctor is for.
 */
export function readEnvironment(source: Record<string, string | undefined>): Environment {
  try {
    return { problems: [], broken: new Set(), env: parseEnv(source) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const broken = new Set(error.problems.map(variableOf));
    return { problems: error.problems, broken, env: parseWithStandIns(source, broken) };
  }
}

/** "ADMIN_EMAILS.1: must be …" names ADMIN_EMAILS. */
function variableOf(problem: string): string {
  return problem.split(":")[0]!.split(".")[0]!.trim();
}

function parseWithStandIns(source: Record<string, string | undefined>, broken: ReadonlySet<string>): Env | null {
  const repaired = { ...source };
  for (const name of broken) {
    const standIn = STAND_INS[name];
    // Any other variable is optional: without it the parser has nothing to refuse.
    if (standIn) repaired[name] = standIn();
    else for (const variable of PAIRED[name] ?? [name]) delete repaired[variable];
  }
  try {
    return parseEnv(repaired);
  } catch (error) {
    if (error instanceof ConfigError) return null;
    throw error;
  }
}
