import "server-only";
import { z } from "zod";
import { createHubHttp, type HubHttpConfig } from "./http";

export type MessagingWebhookSetting = { url: string; headers?: Record<string, string> };

export type OutgoingMessage =
  | { to: string; kind: "text"; body: string }
  | { to: string; kind: "template"; templateName: string; languageCode: string };

const webhookSettingSchema = z.looseObject({ url: z.string().nullish() });
const sentMessageSchema = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });

/**
 * 360dialog's messaging API for one channel, authenticated by that channel's API key. `address`
 * comes from the key's creation answer (https://waba-v2.360dialog.io, or the sandbox's origin).
 * Writes are never retried: a second POST /messages would send the message twice.
 */
export function createMessagingApi(
  config: { address: string; apiKey: string } & Pick<HubHttpConfig, "fetch" | "timeoutMs" | "retryBaseDelayMs">,
) {
  const http = createHubHttp({
    ...config,
    baseUrl: config.address.replace(/\/+$/, ""),
    channelApiKey: config.apiKey,
    label: "Messaging API",
  });

  return {
    async setWebhook(setting: MessagingWebhookSetting): Promise<void> {
      await http.request("POST", "/v1/configs/webhook", z.unknown(), setting);
    },

    /** The URL the number's messages and statuses go to, as the Hub has it now. */
    async readWebhookUrl(): Promise<string | null> {
      const body = await http.request("GET", "/v1/configs/webhook", webhookSettingSchema);
      return body.url ?? null;
    },

    /** Sends one message; answers the Hub's message id (a `wamid`), which its status webhooks carry. */
    async sendMessage(message: OutgoingMessage): Promise<{ messageId: string }> {
      const content =
        message.kind === "text"
          ? { type: "text", text: { body: message.body } }
          : {
              type: "template",
              template: { name: message.templateName, language: { code: message.languageCode } },
            };
      const body = await http.request("POST", "/messages", sentMessageSchema, {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: message.to,
        ...content,
      });
      return { messageId: body.messages[0]!.id };
    },
  };
}

export type MessagingApi = ReturnType<typeof createMessagingApi>;
