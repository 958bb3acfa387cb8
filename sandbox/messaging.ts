import { inboundEvent, KNOWN_TEMPLATES, newWamid, statusEvent, UNDELIVERABLE, waIdOf } from "./cloud-api";
import type { SandboxConfig } from "./config";
import { DeliveryQueue } from "./delivery";
import type { Faults } from "./faults";
import { alphanumeric, newEventId } from "./ids";
import type {
  ChannelRecord,
  InboundRecord,
  MessageRecord,
  MessageStatus,
  MessagingDeliveryRecord,
  MessagingWebhook,
  StateStore,
} from "./state";
import type { Timers } from "./timers";

export const CUSTOMER_WINDOW_MS = 24 * 60 * 60 * 1000;

export type OutboundMessage =
  | { to: string; type: "text"; text: string }
  | { to: string; type: "template"; template: { name: string; language: string } };

/** A refusal in the Cloud API's terms: its error code, title and details. */
export interface MessageRefusal {
  code: number;
  title: string;
  details: string;
}

export type SendResult = { ok: true; message: MessageRecord } | ({ ok: false } & MessageRefusal);

/**
 * The messaging side of a number: its webhook, the customers' 24-hour windows, outbound messages
 * and their status webhooks. Messaging webhooks go out unsigned with the configured headers, as
 * 360dialog sends them, through the same delivery queue as partner webhooks.
 */
export class Messaging {
  private readonly queue: DeliveryQueue<MessagingDeliveryRecord>;

  constructor(
    private readonly config: SandboxConfig,
    private readonly store: StateStore,
    private readonly faults: Faults,
    private readonly timers: Timers,
  ) {
    this.queue = new DeliveryQueue(config, store, timers, (record) => {
      const webhook = this.store.state.messagingWebhooks[record.channelId];
      return webhook ? { url: webhook.url, headers: webhook.headers } : { skip: "no messaging webhook configured" };
    });
  }

  setWebhook(channelId: string, keyId: string, url: string, headers: Record<string, string>): MessagingWebhook {
    const webhook: MessagingWebhook = { url, headers, setAt: new Date().toISOString(), setWithKeyId: keyId };
    this.store.state.messagingWebhooks[channelId] = webhook;
    this.store.changed();
    return webhook;
  }

  /** A new API key drops the number's webhook at 360dialog: it has to be set again with the new key. */
  clearWebhook(channelId: string): void {
    delete this.store.state.messagingWebhooks[channelId];
    this.store.changed();
  }

  /** The end of the customer's 24-hour window, or null when they never wrote in. */
  windowOpenUntil(channelId: string, waId: string): Date | null {
    const last = this.store.state.customerWindows[channelId]?.[waId];
    return last === undefined ? null : new Date(Date.parse(last) + CUSTOMER_WINDOW_MS);
  }

  send(channel: ChannelRecord, outbound: OutboundMessage): SendResult {
    const waId = waIdOf(outbound.to);
    const refusal = this.refusal(channel, waId, outbound);
    if (refusal) return { ok: false, ...refusal };
    const now = new Date().toISOString();
    const message: MessageRecord = {
      id: newWamid(),
      channelId: channel.id,
      to: outbound.to,
      waId,
      type: outbound.type,
      text: outbound.type === "text" ? outbound.text : null,
      template: outbound.type === "template" ? outbound.template : null,
      status: "accepted",
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    this.store.state.messages.push(message);
    this.store.changed();
    this.progress(channel, message);
    return { ok: true, message };
  }

  private refusal(channel: ChannelRecord, waId: string, outbound: OutboundMessage): MessageRefusal | null {
    if (outbound.type === "template") {
      const { name, language } = outbound.template;
      if (KNOWN_TEMPLATES[name]?.includes(language)) return null;
      return {
        code: 132001,
        title: "Template name does not exist in the translation",
        details: `template name (${name}) does not exist in ${language}`,
      };
    }
    const openUntil = this.windowOpenUntil(channel.id, waId);
    if (openUntil && openUntil.getTime() > Date.now()) return null;
    return {
      code: 131047,
      title: "Re-engagement message",
      details:
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    };
  }

  /** `sent` then `delivered`, or `failed` alone when the message-failure fault takes this message. */
  private progress(channel: ChannelRecord, message: MessageRecord): void {
    const failing = this.faults.takeMessageFailure();
    this.timers.after(this.config.messageSentDelayMs, () => {
      if (failing) {
        this.moveMessage(channel, message, "failed");
        return;
      }
      this.moveMessage(channel, message, "sent");
      this.timers.after(this.config.messageDeliveredDelayMs, () => this.moveMessage(channel, message, "delivered"));
    });
  }

  private moveMessage(channel: ChannelRecord, message: MessageRecord, status: MessageStatus): void {
    const now = new Date().toISOString();
    message.status = status;
    message.error = status === "failed" ? { ...UNDELIVERABLE } : null;
    message.updatedAt = now;
    this.deliver(channel, message.id, `statuses.${status}`, statusEvent(channel, message, now));
  }

  /** A customer writes in: opens their 24-hour window and delivers the inbound `messages` webhook. */
  receive(
    channel: ChannelRecord,
    from: string,
    name: string,
    text: string,
  ): { inbound: InboundRecord; delivery: MessagingDeliveryRecord } {
    const inbound: InboundRecord = {
      id: newWamid(),
      channelId: channel.id,
      from: waIdOf(from),
      name,
      text,
      receivedAt: new Date().toISOString(),
    };
    const state = this.store.state;
    state.inbound.push(inbound);
    state.customerWindows[channel.id] = { ...state.customerWindows[channel.id], [inbound.from]: inbound.receivedAt };
    const delivery = this.deliver(channel, inbound.id, "messages", inboundEvent(channel, inbound));
    return { inbound, delivery };
  }

  private deliver(
    channel: ChannelRecord,
    messageId: string,
    event: string,
    payload: Record<string, unknown>,
  ): MessagingDeliveryRecord {
    const record: MessagingDeliveryRecord = {
      deliveryId: alphanumeric(12),
      eventId: newEventId(),
      event,
      body: JSON.stringify(payload),
      createdAt: new Date().toISOString(),
      state: "pending",
      attempts: [],
      faults: [],
      channelId: channel.id,
      messageId,
    };
    this.store.state.messagingDeliveries.push(record);
    this.queue.enqueue(record);
    this.store.changed();
    return record;
  }

  abortAll(): void {
    this.queue.abortAll();
  }
}
