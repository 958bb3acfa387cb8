/**
 * Every spelling of a 360dialog partner webhook, read in one place. The documented envelope is
 * `{id, event, data}` with `data` the channel object as the Partner API lists it (`data.id` is the
 * channel id); older and flat forms put `channel_id` and `phone_number` in `data`; the integration
 * guide's seed writes `{type, payload}` with `payload.channel`. Event names come as `channel_running`
 * and as `channel_status_running`. Nothing outside lib/hub sees these spellings.
 */

export type PartnerEventType =
  | "client_created"
  | "channel_created"
  | "channel_submitted"
  | "channel_ready"
  | "channel_running"
  | "channel_live"
  | "channel_status"
  | "account_restriction"
  | "account_violation"
  | "quality_changed"
  | "unknown";

export type ChannelReport = {
  hubId: string;
  clientHubId: string | null;
  /** The Hub's own status word, when the event carries one. */
  status: string | null;
  phoneNumber: string | null;
  messagingLimit: string | null;
  qualityRating: string | null;
};

export type PartnerEvent = {
  /** The Hub's event id, when it sends one: the natural dedupe key. */
  id: string | null;
  /** The name as received, for storage and display. */
  name: string;
  type: PartnerEventType;
  channel: ChannelReport | null;
  /** The number the event is about, also when it names no channel id (restrictions). */
  phoneNumber: string | null;
  /** For restrictions and violations: what the Hub says happened. */
  detail: string | null;
  /**
   * The Hub's own time of what the event reports (the channel's `modified_at`, else the event's
   * `timestamp`): deliveries come in any order, this says which report is newer.
   */
  reportedAt: Date | null;
};

const STATUS_EVENTS: Record<string, PartnerEventType> = {
  created: "channel_created",
  submitted: "channel_submitted",
  ready: "channel_ready",
  running: "channel_running",
  live: "channel_live",
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== ""
    ? value.trim()
    : typeof value === "number" && Number.isFinite(value)
      ? String(value)
      : null;

/** The event in a parsed body, or null when it names no event type (the receiver answers 400). */
export function parsePartnerWebhook(body: unknown): PartnerEvent | null {
  if (!isObject(body)) return null;
  const name = text(body.event) ?? text(body.type);
  if (!name) return null;
  const data = isObject(body.data) ? body.data : isObject(body.payload) ? body.payload : {};
  const type = eventType(name.toLowerCase());
  const channelSource = isObject(data.channel) ? { ...data, ...data.channel } : data;
  const channel = type === "client_created" || type === "unknown" ? null : readChannel(channelSource, data);
  const setup = isObject(channelSource.setup_info) ? channelSource.setup_info : {};
  return {
    id: text(body.id) ?? text(body.event_id),
    name,
    type,
    channel,
    phoneNumber: channel?.phoneNumber ?? text(setup.phone_number) ?? text(channelSource.phone_number),
    detail: text(data.violation_type) ?? text(data.restriction_type) ?? text(data.reason),
    reportedAt:
      instant(channelSource.modified_at) ??
      instant(data.modified_at) ??
      instant(data.timestamp) ??
      instant(body.timestamp),
  };
}

function instant(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const at = new Date(/^\d+$/.test(raw) ? Number(raw) * 1000 : raw);
  return Number.isNaN(at.getTime()) ? null : at;
}

function eventType(name: string): PartnerEventType {
  const status = /^channel_(?:status_)?([a-z_]+)$/.exec(name)?.[1];
  if (status) return STATUS_EVENTS[status] ?? "channel_status";
  if (name === "client_created") return "client_created";
  if (name === "account_restriction" || name === "account_violation") return name;
  if (name === "phone_number_quality_changed" || name === "phone_number_quality_update") return "quality_changed";
  return "unknown";
}

/** `data.id` is the channel id in the channel-object form; `channel_id` in the flat one. */
function readChannel(channel: Json, data: Json): ChannelReport | null {
  const hubId =
    text(channel.channel_id) ?? (isObject(data.channel) || looksLikeChannel(channel) ? text(channel.id) : null);
  if (!hubId) return null;
  const client = isObject(channel.client) ? channel.client : {};
  const setup = isObject(channel.setup_info) ? channel.setup_info : {};
  return {
    hubId,
    clientHubId: text(channel.client_id) ?? text(client.id),
    status: text(channel.status),
    phoneNumber: text(setup.phone_number) ?? text(channel.phone_number),
    messagingLimit: text(data.value) ?? text(channel.current_limit) ?? text(data.current_limit),
    qualityRating: text(channel.quality_rating) ?? text(channel.current_quality_rating),
  };
}

// Restriction events may carry only a phone number; an `id` there is not known to be a channel's.
function looksLikeChannel(data: Json): boolean {
  return "client_id" in data || "client" in data || "setup_info" in data || "waba_account" in data;
}
