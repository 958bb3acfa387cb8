import { LOCAL_SANDBOX_PORT, localDefaults } from "../lib/config/local-defaults";

type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True when HUB_API_URL is unset (the app then defaults to this sandbox) or names the local sandbox. */
export function appUsesLocalSandbox(env: Env): boolean {
  const hubApiUrl = env.HUB_API_URL?.trim();
  if (!hubApiUrl) return true;
  const sandboxPort = env.SANDBOX_PORT?.trim() || String(LOCAL_SANDBOX_PORT);
  try {
    const url = new URL(hubApiUrl);
    return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname) && url.port === sandboxPort;
  } catch {
    return false;
  }
}

/** The HUB_* variables that hold secrets or identify a real partner account. */
const HUB_CREDENTIALS = [
  "HUB_PLATFORM_SECRET",
  "HUB_API_KEY",
  "HUB_USERNAME",
  "HUB_PASSWORD",
  "HUB_PARTNER_ID",
] as const;

/** The credential variables set to something other than their local default: real values, then. */
export function realHubCredentials(env: Env): string[] {
  return HUB_CREDENTIALS.filter((name) => {
    const value = env[name]?.trim();
    return Boolean(value) && value !== localDefaults[name];
  });
}

export type SandboxEnv<E> = { env: E; hubVariablesRemoved: boolean; reason: string | null };

/**
 * The environment of the sandbox that `npm run dev` starts beside the app. Real HUB_* values must
 * never reach it: it signs IO URLs and webhooks with them for anyone who asks (/__sandbox/sign-io,
 * /__sandbox/events). So as soon as one credential is not its local default, or the app talks to
 * another Hub, every HUB_* variable is left out and the sandbox falls back to its local defaults.
 * It still runs for its mail catcher. `reason` says why, for the log.
 */
export function sandboxEnvBesideApp<E extends Env>(env: E): SandboxEnv<E> {
  const copy = { ...env };
  const real = realHubCredentials(env);
  let reason: string | null = null;
  if (real.length > 0) {
    reason = `${real.join(", ")} ${real.length === 1 ? "holds a real value" : "hold real values"}`;
  } else if (!appUsesLocalSandbox(env)) {
    reason = "HUB_API_URL is not the local sandbox";
  }
  if (reason === null) return { env: copy, hubVariablesRemoved: false, reason };
  for (const name of Object.keys(copy)) if (name.startsWith("HUB_")) delete copy[name];
  return { env: copy, hubVariablesRemoved: true, reason };
}
