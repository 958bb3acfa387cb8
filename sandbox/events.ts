import { channelJson } from "./channel-json";
import type { ChannelStatus } from "./config";
import type { SandboxContext } from "./context";
import type { ChannelRecord, ClientRecord } from "./state";

export function clientEventData(partnerId: string, client: ClientRecord): Record<string, unknown> {
  return {
    partner_id: partnerId,
    client_id: client.id,
    name: client.name,
    status: "active",
    created_at: client.createdAt,
    modified_at: client.modifiedAt,
    timestamp: new Date().toISOString(),
  };
}

/** A channel event's `data`: the channel object, as 360dialog sends it, or the flat form on request. */
export function channelEventData(ctx: SandboxContext, channel: ChannelRecord): Record<string, unknown> {
  if (ctx.config.webhookShape !== "flat") return channelJson(ctx, channel);
  return {
    partner_id: ctx.config.partnerId,
    client_id: channel.clientId,
    channel_id: channel.id,
    waba_account_id: channel.wabaId,
    phone_number: channel.phoneNumber,
    status: channel.status,
    current_limit: channel.currentLimit,
    created_at: channel.createdAt,
    modified_at: channel.modifiedAt,
    timestamp: new Date().toISOString(),
  };
}

/**
 * Sets the status, the single way a channel changes status, and emits `channel_<status>` unless
 * `emit` is false. Revoking also ends the partner's API keys for the channel: access is gone.
 */
export function moveChannel(
  ctx: SandboxContext,
  channel: ChannelRecord,
  status: ChannelStatus,
  { emit }: { emit: boolean } = { emit: true },
): void {
  const now = new Date().toISOString();
  channel.status = status;
  channel.modifiedAt = now;
  if (status === "revoked") revokeAccess(ctx, channel, now);
  ctx.store.changed();
  if (emit) ctx.webhooks.send(`channel_${status}`, channelEventData(ctx, channel));
}

/**
 * The client removes the partner's permission on a number (360dialog's "Partner API Key
 * Permission: Missing"): its keys stop working; the channel's status is left as it is.
 */
export function revokeAccess(ctx: SandboxContext, channel: ChannelRecord, now: string): void {
  channel.revokedAt ??= now;
  for (const key of ctx.store.state.apiKeys) if (key.channelId === channel.id && !key.revokedAt) key.revokedAt = now;
}

export function changeQuality(
  ctx: SandboxContext,
  channel: ChannelRecord,
  value: string,
  quality: string | undefined,
): void {
  channel.currentLimit = value;
  if (quality) channel.qualityRating = quality;
  channel.modifiedAt = new Date().toISOString();
  ctx.store.changed();
  ctx.webhooks.send("phone_number_quality_changed", {
    ...channelEventData(ctx, channel),
    // The seed reads the messaging limit from `value`.
    value,
    event: "UPGRADE",
    quality_rating: channel.qualityRating,
  });
}
