import { phoneNumberIdOf } from "./cloud-api";
import type { SandboxContext } from "./context";
import { CUSTOMER_WINDOW_MS } from "./messaging";
import type { ChannelRecord, MessagingDeliveryRecord } from "./state";

const withPayload = (delivery: MessagingDeliveryRecord): Record<string, unknown> => ({
  ...delivery,
  payload: JSON.parse(delivery.body) as unknown,
});

function windowsView(windows: Record<string, string> | undefined): Record<string, unknown>[] {
  return Object.entries(windows ?? {}).map(([waId, lastInboundAt]) => {
    const openUntil = Date.parse(lastInboundAt) + CUSTOMER_WINDOW_MS;
    return { waId, lastInboundAt, openUntil: new Date(openUntil).toISOString(), open: openUntil > Date.now() };
  });
}

/**
 * One number's messaging side for tests and people. Key values stay out: `/__sandbox/state` and
 * the Partner API already hand them out where that is the point.
 */
export function channelMessagingView(ctx: SandboxContext, channel: ChannelRecord): Record<string, unknown> {
  const s = ctx.store.state;
  const keys = s.apiKeys.filter((key) => key.channelId === channel.id);
  const webhook = s.messagingWebhooks[channel.id];
  return {
    channelId: channel.id,
    phoneNumber: channel.phoneNumber,
    phoneNumberId: phoneNumberIdOf(channel),
    wabaId: channel.wabaId,
    webhook: webhook
      ? { ...webhook, keyActive: keys.some((key) => key.id === webhook.setWithKeyId && !key.revokedAt) }
      : null,
    keys: keys.map(({ id, createdAt, revokedAt }) => ({ id, createdAt, revokedAt })),
    windows: windowsView(s.customerWindows[channel.id]),
    messages: s.messages.filter((m) => m.channelId === channel.id),
    inbound: s.inbound.filter((m) => m.channelId === channel.id),
    deliveries: s.messagingDeliveries.filter((d) => d.channelId === channel.id).map(withPayload),
  };
}

/** Every number's messaging state, for `/__sandbox/state`. */
export function messagingSnapshot(ctx: SandboxContext): Record<string, unknown> {
  const s = ctx.store.state;
  return {
    webhooks: s.messagingWebhooks,
    customerWindows: s.customerWindows,
    messages: s.messages,
    inbound: s.inbound,
    deliveries: s.messagingDeliveries.map(withPayload),
  };
}
