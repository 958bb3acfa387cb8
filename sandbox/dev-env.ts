import { LOCAL_SANDBOX_PORT } from "../lib/config/local-defaults";

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

/**
 * The environment of the sandbox that `npm run dev` starts beside the app. When the app talks to
 * another Hub, its HUB_* variables are real credentials, and the sandbox would sign IO URLs and
 * webhooks with them (/__sandbox/sign-io, /__sandbox/events); so they are left out and the sandbox
 * falls back to its local defaults. It still runs for its mail catcher.
 */
export function sandboxEnvBesideApp<E extends Env>(env: E): { env: E; hubVariablesRemoved: boolean } {
  const copy = { ...env };
  if (appUsesLocalSandbox(env)) return { env: copy, hubVariablesRemoved: false };
  for (const name of Object.keys(copy)) if (name.startsWith("HUB_")) delete copy[name];
  return { env: copy, hubVariablesRemoved: true };
}
