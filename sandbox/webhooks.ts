import type { SandboxConfig } from "./config";
import type { Faults } from "./faults";
import { alphanumeric, newEventId } from "./ids";
import type { DeliveryRecord, StateStore } from "./state";
import type { Timers } from "./timers";
import { signWebhookBody } from "./webhook-signature";

const RESPONSE_BODY_LIMIT = 500;

/**
 * Delivers partner webhooks the way the Hub is documented to: signed raw body, 2xx within the
 * timeout or it counts as failed, exponential redelivery of the very same body and event id.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<AbortController>();
  private reorderBuffer: DeliveryRecord[] = [];
  private reorderTimerSet = false;
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
    private readonly faults: Faults,
    private readonly timers: Timers,
  ) {}

  send(event: string, data: Record<string, unknown>, eventId: string = newEventId()): DeliveryRecord[] {
    const body =
      this.config.webhookShape === "seed"
        ? JSON.stringify({ type: event, payload: { ...data, channel: data } })
        : JSON.stringify({ id: eventId, event, data });
    const fault = this.faults.takeDelivery();
    const make = (faults: string[]): DeliveryRecord => {
      const record: DeliveryRecord = {
        deliveryId: alphanumeric(12),
        eventId,
        event,
        body,
        createdAt: new Date().toISOString(),
        state: "pending",
        attempts: [],
        faults,
      };
      this.store.state.deliveries.push(record);
      return record;
    };

    if (fault?.kind === "duplicate") {
      const first = make(["duplicate"]);
      const second = make(["duplicate"]);
      this.enqueue(first, 0);
      this.enqueue(second, 0);
      this.store.changed();
      return [first, second];
    }
    if (fault?.kind === "fail") {
      const record = make([`fail:${fault.failAttempts}`]);
      this.enqueue(record, fault.failAttempts);
      this.store.changed();
      return [record];
    }
    if (fault?.kind === "reorder") {
      const record = make(["reorder"]);
      this.reorderBuffer.push(record);
      if (fault.remaining === 0) this.flushReordered();
      else this.holdReordered();
      this.store.changed();
      return [record];
    }
    const record = make([]);
    this.enqueue(record, 0);
    this.store.changed();
    return [record];
  }

  /** A batch smaller than announced must still go out eventually. */
  private holdReordered(): void {
    if (this.reorderTimerSet) return;
    this.reorderTimerSet = true;
    this.timers.after(Math.max(2000, this.config.webhookDelayMs * 10), () => this.flushReordered());
  }

  private flushReordered(): void {
    const batch = this.reorderBuffer.reverse();
    this.reorderBuffer = [];
    this.reorderTimerSet = false;
    for (const record of batch) this.enqueue(record, 0);
  }

  private enqueue(record: DeliveryRecord, forcedFailures: number): void {
    const generation = this.generation;
    this.chain = this.chain
      .then(() => (generation === this.generation ? this.attempt(record, forcedFailures) : undefined))
      // One broken delivery must not stop every later one.
      .catch((error: unknown) => this.config.logger.error(`webhook delivery ${record.deliveryId}: ${String(error)}`));
  }

  private async attempt(record: DeliveryRecord, forcedFailures: number): Promise<void> {
    const url = this.store.state.partner.webhookUrl;
    const started = Date.now();
    if (!url) {
      record.state = "skipped";
      record.attempts.push({
        at: new Date().toISOString(),
        url: "",
        status: null,
        error: "no webhook_url configured",
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
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "360dialog-hub-sandbox",
          "x-360dialog-signature": signWebhookBody(this.config.platformSecret, record.body),
        },
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
      url,
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
    this.reorderBuffer = [];
    this.reorderTimerSet = false;
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
