import { expect } from "@playwright/test";

export const APP_URL = process.env.E2E_BASE_URL ?? "http://localhost:3100";

/** Runs the reconciliation as Vercel Cron would, with the cron secret scripts/e2e.ts started the app with. */
export async function runCron(): Promise<{ releasedWorkers: number; supersededJobsRemoved: number }> {
  const response = await fetch(`${APP_URL}/api/cron/reconcile`, {
    headers: { authorization: `Bearer ${process.env.CRON_SECRET}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { releasedWorkers: number; supersededJobsRemoved: number };
}

/**
 * Asks scripts/e2e.ts, which owns the `next start` process, to SIGKILL it (its whole process
 * group, with no chance to finish anything) or to start it again and wait until it answers.
 */
export async function controlApp(action: "kill" | "start"): Promise<void> {
  const control = process.env.E2E_CONTROL_URL;
  if (!control) throw new Error("E2E_CONTROL_URL is unset: run the suite through scripts/e2e.ts (npm test)");
  const response = await fetch(`${control}/app/${action}`, { method: "POST", signal: AbortSignal.timeout(90_000) });
  expect(response.status, await response.clone().text()).toBe(204);
}
