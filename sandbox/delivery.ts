import type { SandboxConfig } from "./config";
import type { DeliveryRecord, StateStore } from "./state";
import type { Timers } from "./timers";

const RESPONSE_BODY_LIMIT = 500;

/**
 * Where one attempt goes and with which extra headers, or why it cannot go anywhere. Resolved at
 * each attempt, so a redelivery follows a URL, secret or header changed in the meantime.
 */
export type DeliveryTarget = { url: string; headers: Record<string, string> } | { skip: string };

/**
 * POSTs recorded deliveries the way the Hub is documented to: 2xx within the timeout or it counts
 * as failed, exponential redelivery of the very same body. Every attempt lands on the record.
 */
export class DeliveryQueue<R extends DeliveryRecord> {
  private readonly inFlight = new Set<AbortController>();
  /** Bumped by abortAll so an attempt that was in flight during a reset does not schedule retries. */
  private generation = 0;
  /**
   * First attempts go out one after another, so without faults the receiver sees events in the
   * order they happened; redeliveries run on their own timers and may overtake, as in real life.
   */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: SandboxConfig,
    private readonly store: StateStore,
    private readonly timers: Timers,
    private readonly target: (record: R) => DeliveryTarget,
  ) {}

  /** `forcedFailures`: how many first attempts count as failed whatever the answer (a fault). */
  enqueue(record: R, forcedFailures = 0): void {
    const generation = this.generation;
    this.chain = this.chain
      .then(() => (generation === this.generation ? this.attempt(record, forcedFailures) : undefined))
      // One broken delivery must not stop every later one.
      .catch((error: unknown) => this.config.logger.error(`webhook delivery ${record.deliveryId}: ${String(error)}`));
  }

  private async attempt(record: R, forcedFailures: number): Promise<void> {
    const target = this.target(record);
    const started = Date.now();
    if ("skip" in target) {
      record.state = "skipped";
      record.attempts.push({
        at: new Date().toISOString(),
        url: "",
        status: null,
        error: target.skip,
        forcedFailure: false,
        durationMs: 0,
        responseBody: null,
      });
      this.store.changed();
      return;
    }
    const generation = this.generation;
    const forced = record.attempts.length < forcedFailures;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.config.webhookTimeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    let responseBody: string | null = null;
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: { ...target.headers, "content-type": "application/json", "user-agent": "360dialog-hub-sandbox" },
        body: record.body,
        // A protected route answering with a redirect to a login page is a failure, not a success.
        redirect: "manual",
        signal: controller.signal,
      });
      status = response.status;
      responseBody = (await response.text()).slice(0, RESPONSE_BODY_LIMIT);
    } catch (caught) {
      error = controller.signal.aborted ? `no answer within ${this.config.webhookTimeoutMs} ms` : describe(caught);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation) return;
    const ok = status !== null && status >= 200 && status < 300 && !forced;
    record.attempts.push({
      at: new Date(started).toISOString(),
      url: target.url,
      status,
      error,
      forcedFailure: forced,
      durationMs: Date.now() - started,
      responseBody,
    });
    if (ok) {
      record.state = "delivered";
    } else if (record.attempts.length < this.config.retryMaxAttempts) {
      const delay = redeliveryDelayMs(record.attempts.length, this.config.retryBaseMs, this.config.retryMaxDelayMs);
      this.timers.after(delay, () => void this.attempt(record, forcedFailures));
    } else {
      record.state = "failed";
    }
    this.store.changed();
  }

  /** Stops pending redeliveries' network calls; the timers themselves are cancelled by Timers. */
  abortAll(): void {
    this.generation += 1;
    this.chain = Promise.resolve();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}

/** Exponential backoff `base * 2^(failed-1)`, capped so a long outage does not push retries out for hours. */
export function redeliveryDelayMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (failedAttempts - 1));
}

function describe(caught: unknown): string {
  if (caught instanceof Error) {
    const cause = caught.cause;
    const code = cause && typeof cause === "object" && "code" in cause ? String(cause.code) : null;
    return code ? `${caught.message} (${code})` : caught.message;
  }
  return String(caught);
}
