import { afterEach, vi } from "vitest";

/**
 * Route handlers resolve the signed-in user through lib/auth, which reads the session cookie from
 * Next's request context. Handler tests stand in for that one lookup; real sessions are covered
 * end to end by e2e/sign-in.spec.ts.
 */
export const signedInAs =
  vi.fn<() => Promise<{ id: string; email: string; name: string | null; role: "CLIENT" | "ADMIN" } | null>>();

vi.mock("@/lib/auth", () => ({ getCurrentUser: () => signedInAs() }));

/**
 * Work a handler scheduled with Next's `after()`, which needs Next's request scope: kept here
 * instead, for a test to run (or ignore) once the response is out, as Next would.
 */
export const scheduledAfterResponse: Array<() => unknown> = [];

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => unknown) => {
    scheduledAfterResponse.push(task);
  },
}));

const savedEnv = new Map<string, string | undefined>();

afterEach(() => {
  scheduledAfterResponse.length = 0;
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  savedEnv.clear();
});

/** Imports a route module afresh under changed configuration (lib/env caches what it parsed). */
export async function importRouteWith<T>(load: () => Promise<T>, env: Record<string, string>): Promise<T> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  return load();
}
