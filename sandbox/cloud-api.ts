import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { alphanumeric } from "./ids";
import type { ChannelRecord, MessageRecord } from "./state";

// The shapes Meta's WhatsApp Cloud API uses and 360dialog's v2 messaging API passes through unchanged.

/** Templates the sandbox knows, by name, with their languages. */
export const KNOWN_TEMPLATES: Readonly<Record<string, readonly string[]>> = { hello_world: ["en_US"] };

export const newWamid = (): string => `wamid.${alphanumeric(40)}`;

/** A customer's WhatsApp id: the number's digits, without `+`, spaces or dashes. */
export const waIdOf = (to: string): string => to.replace(/\D/g, "");

/**
 * Meta's phone_number_id is a numeric id the partner never chose. The sandbox derives a stable one
 * from the channel id so the same number keeps the same id across restarts; treat it as opaque.
 */
export function phoneNumberIdOf(channel: ChannelRecord): string {
  const hex = createHash("sha256").update(channel.id).digest("hex").slice(0, 12);
  return `1${BigInt(`0x${hex}`).toString().padStart(14, "0")}`;
}

const unixSeconds = (iso: string): string => String(Math.floor(Date.parse(iso) / 1000));

/** The messaging webhook's envelope around one `value` of the `messages` field. */
function envelope(channel: ChannelRecord, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: channel.wabaId,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: waIdOf(channel.phoneNumber),
                phone_number_id: phoneNumberIdOf(channel),
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export const UNDELIVERABLE = { code: 131026, title: "Message undeliverable" } as const;

export function statusEvent(channel: ChannelRecord, message: MessageRecord, at: string): Record<string, unknown> {
  const status: Record<string, unknown> = {
    id: message.id,
    status: message.status,
    timestamp: unixSeconds(at),
    recipient_id: message.waId,
  };
  if (message.error) {
    status.errors = [
      {
        ...message.error,
        message: message.error.title,
        error_data: { details: "Message failed to send (sandbox fault)" },
      },
    ];
  }
  return envelope(channel, { statuses: [status] });
}

export function inboundEvent(
  channel: ChannelRecord,
  inbound: { id: string; from: string; name: string; text: string; receivedAt: string },
): Record<string, unknown> {
  return envelope(channel, {
    contacts: [{ profile: { name: inbound.name }, wa_id: inbound.from }],
    messages: [
      {
        from: inbound.from,
        id: inbound.id,
        timestamp: unixSeconds(inbound.receivedAt),
        type: "text",
        text: { body: inbound.text },
      },
    ],
  });
}

/**
 * The Cloud API's error envelope, which 360dialog forwards as it is:
 * `{error: {message: "(#code) title", type, code, error_data: {messaging_product, details}, fbtrace_id}}`.
 */
export function graphError(
  c: Context,
  status: ContentfulStatusCode,
  code: number,
  title: string,
  details: string,
): Response {
  return c.json(
    {
      error: {
        message: `(#${code}) ${title}`,
        type: "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details },
        fbtrace_id: alphanumeric(27),
      },
    },
    status,
  );
}
