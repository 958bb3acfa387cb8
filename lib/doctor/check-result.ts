/** Every check the doctor runs, in the order it reports them, with the title shown for each. */
export const CHECK_TITLES = {
  variables: "Environment variables",
  database: "Database connection",
  migrations: "Database migrations",
  partner_api: "Partner API credentials",
  hub_redirect_url: "Hub redirect URL",
  hub_webhook_url: "Hub webhook URL",
  webhook_secret: "Webhook signatures",
  key_ring: "Encryption key ring",
  job_queue: "Job queue",
  cron: "Reconciliation cron",
} as const;

export type CheckId = keyof typeof CHECK_TITLES;

export type CheckStatus = "pass" | "fail" | "skipped";

/** One line of the doctor's report; `fix` is one sentence, present whenever the check did not pass. */
export type CheckResult = { id: CheckId; title: string; status: CheckStatus; detail: string; fix?: string };

export function passed(id: CheckId, detail: string): CheckResult {
  return { id, title: CHECK_TITLES[id], status: "pass", detail };
}

export function failed(id: CheckId, detail: string, fix: string): CheckResult {
  return { id, title: CHECK_TITLES[id], status: "fail", detail, fix };
}

/** Not run because something it depends on is broken; that check carries the real fix. */
export function skipped(id: CheckId, detail: string, fix: string): CheckResult {
  return { id, title: CHECK_TITLES[id], status: "skipped", detail, fix };
}
