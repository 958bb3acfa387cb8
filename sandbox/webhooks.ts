import type { SandboxConfig } from "./config";
import { DeliveryQueue } from "./delivery";
import type { Faults } from "./faults";
import { alphanumeric, newEventId } from "./ids";
import type { DeliveryRecord, StateStore } from "./state";
import type { Timers } from "./timers";
import { signWebhookBody } from "./webhook-signature";

/**
 * Partner webhooks: the signed raw body to the partner's webhook URL, through the shared delivery
 * queue (timeout, recorded attempts, redelivery of the very same body and event id), plus the
 * delivery faults that only partner webhooks know.
 */
export class WebhookDispatcher {
  private readonly queue: DeliveryQueue<DeliveryRecord>;
  private reorderBuffer: DeliveryRecord[] = [];
  private reorderTimerSet = false;

  constructor(
    private readonly config: SandboxConfig,
    private readonly store: StateStore,
    private readonly faults: Faults,
    private readonly timers: Timers,
  ) {
    this.queue = new DeliveryQueue(config, store, timers, (record) => {
      const url = this.store.state.partner.webhookUrl;
      if (!url) return { skip: "no webhook_url configured" };
      return { url, headers: { "x-360dialog-signature": signWebhookBody(this.config.platformSecret, record.body) } };
    });
  }

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
      this.queue.enqueue(first);
      this.queue.enqueue(second);
      this.store.changed();
      return [first, second];
    }
    if (fault?.kind === "fail") {
      const record = make([`fail:${fault.failAttempts}`]);
      this.queue.enqueue(record, fault.failAttempts);
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
    this.queue.enqueue(record);
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
    for (const record of batch) this.queue.enqueue(record);
  }

  /** Stops pending deliveries and drops a held reorder batch; the timers themselves are cancelled by Timers. */
  abortAll(): void {
    this.queue.abortAll();
    this.reorderBuffer = [];
    this.reorderTimerSet = false;
  }
}
