import "server-only";
import { z } from "zod";
import { createHubHttp, HubApiError, type HubHttpConfig } from "./http";
import {
  apiKeysResponseSchema,
  channelsResponseSchema,
  clientsResponseSchema,
  type HubApiKeyPayload,
  type HubChannelPayload,
} from "./schemas";

// contactEmail is contact_info.email: what the client typed at the Hub, which may differ from
// the email the Connect Button pre-filled.
export type HubClient = { id: string; name: string | null; status: string | null; contactEmail: string | null };
export type HubChannel = {
  id: string;
  clientId: string;
  status: string | null;
  phoneNumber: string | null;
  messagingLimit: string | null;
};

/** A channel's API key as the Hub hands it out; `address` is the messaging API's base URL. */
export type HubApiKey = { id: string | null; apiKey: string; address: string | null; appId: string | null };

/** Where the Hub sends browsers after onboarding and where it delivers partner webhooks; null when unset. */
export type PartnerUrls = { partnerRedirectUrl: string | null; webhookUrl: string | null };

export type PartnerApi = ReturnType<typeof createPartnerApi>;

// Only the partner's URL settings are read; everything else the Hub sends passes untouched.
const partnerSettingsSchema = z.looseObject({
  partner_redirect_url: z.string().nullish(),
  webhook_url: z.string().nullish(),
});

const PAGE_SIZE = 100;
const MAX_PAGES = 50;

/** 360dialog's Partner API, as the rest of the app sees it: app-shaped results, no Hub spellings. */
export function createPartnerApi(config: HubHttpConfig & { partnerId: string }) {
  const http = createHubHttp(config);
  const partnerPath = `/partners/${encodeURIComponent(config.partnerId)}`;
  const filters = (value: Record<string, string>) => encodeURIComponent(JSON.stringify(value));

  return {
    /**
     * The client, if it is one of ours. The `id` filter is not documented for clients, so the
     * answer is checked locally and, if the filter was ignored, the list is paged through.
     */
    async findClient(clientId: string): Promise<HubClient | null> {
      for (let page = 0; page < MAX_PAGES; page++) {
        const offset = page * PAGE_SIZE;
        const body = await http.request(
          "GET",
          `${partnerPath}/clients?filters=${filters({ id: clientId })}&limit=${PAGE_SIZE}&offset=${offset}`,
          clientsResponseSchema,
        );
        const client = body.clients.find((candidate) => candidate.id === clientId);
        if (client) {
          return {
            id: client.id,
            name: client.name ?? null,
            status: client.status ?? null,
            contactEmail: client.contact_info?.email?.trim() || null,
          };
        }
        const total = body.total ?? body.count ?? 0;
        if (body.clients.length < PAGE_SIZE || offset + body.clients.length >= total) return null;
      }
      return null;
    },

    /**
     * Creates the channel's API key. Never retried here: a second creation revokes the first key
     * at 360dialog. 429 (one creation per channel per 30 s) carries retryAfterSeconds; 403 means a
     * direct-paid client has not granted the partner the permission.
     */
    async createApiKey(channelId: string): Promise<HubApiKey> {
      const body = await http.request(
        "POST",
        `${partnerPath}/channels/${encodeURIComponent(channelId)}/api_keys`,
        apiKeysResponseSchema,
      );
      const [key] = body;
      if (!key) throw new HubApiError(`The Hub created no API key for channel ${channelId}`, null, false);
      return reshapeApiKey(key);
    },

    /** The channel's API keys as the Hub lists them, to read back after an ambiguous creation. */
    async listApiKeys(channelId: string): Promise<HubApiKey[]> {
      const body = await http.request(
        "GET",
        `${partnerPath}/channels/${encodeURIComponent(channelId)}/api_keys`,
        apiKeysResponseSchema,
      );
      return body.map(reshapeApiKey);
    },

    /** One channel by id (the documented `id` filter; there is no single-channel GET). */
    async findChannel(channelId: string): Promise<HubChannel | null> {
      const body = await http.request(
        "GET",
        `${partnerPath}/channels?filters=${filters({ id: channelId })}`,
        channelsResponseSchema,
      );
      const channel = body.partner_channels.find((candidate) => candidate.id === channelId);
      return channel ? reshapeChannel(channel) : null;
    },

    /** The partner's own settings: a cheap authenticated read, refused (403) for another partner's id. */
    async getPartnerSettings(): Promise<PartnerUrls> {
      return reshapePartnerUrls(await http.request("GET", partnerPath, partnerSettingsSchema));
    },

    /** Sets both partner URLs in one write and returns what the Hub now holds. */
    async updatePartnerUrls(urls: { partnerRedirectUrl: string; webhookUrl: string }): Promise<PartnerUrls> {
      const body = await http.request("PATCH", partnerPath, partnerSettingsSchema, {
        partner_redirect_url: urls.partnerRedirectUrl,
        webhook_url: urls.webhookUrl,
      });
      return reshapePartnerUrls(body);
    },
  };
}

function reshapePartnerUrls(body: z.infer<typeof partnerSettingsSchema>): PartnerUrls {
  // The Hub's empty string means "not set", as for a switched-off webhook.
  return { partnerRedirectUrl: body.partner_redirect_url || null, webhookUrl: body.webhook_url || null };
}

function reshapeApiKey(key: HubApiKeyPayload): HubApiKey {
  return { id: key.id ?? null, apiKey: key.api_key, address: key.address ?? null, appId: key.app_id ?? null };
}

function reshapeChannel(channel: HubChannelPayload): HubChannel | null {
  const clientId = channel.client_id ?? channel.client?.id;
  if (!clientId) return null;
  return {
    id: channel.id,
    clientId,
    status: channel.status ?? null,
    phoneNumber: channel.setup_info?.phone_number ?? channel.phone_number ?? null,
    messagingLimit: channel.current_limit == null ? null : String(channel.current_limit),
  };
}
