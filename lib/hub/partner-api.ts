import { createHubHttp, type HubHttpConfig } from "./http";
import { channelsResponseSchema, clientsResponseSchema, type HubChannelPayload } from "./schemas";

export type HubClient = { id: string; name: string | null; status: string | null };
export type HubChannel = {
  id: string;
  clientId: string;
  status: string | null;
  phoneNumber: string | null;
  messagingLimit: string | null;
};

export type PartnerApi = ReturnType<typeof createPartnerApi>;

/** 360dialog's Partner API, as the rest of the app sees it: app-shaped results, no Hub spellings. */
export function createPartnerApi(config: HubHttpConfig & { partnerId: string }) {
  const http = createHubHttp(config);
  const partnerPath = `/partners/${encodeURIComponent(config.partnerId)}`;
  const filters = (value: Record<string, string>) => encodeURIComponent(JSON.stringify(value));

  return {
    async findClient(clientId: string): Promise<HubClient | null> {
      const body = await http.request("GET", `${partnerPath}/clients?filters=${filters({ id: clientId })}&limit=1`, clientsResponseSchema);
      const client = body.clients.find((candidate) => candidate.id === clientId);
      return client ? { id: client.id, name: client.name ?? null, status: client.status ?? null } : null;
    },

    async listClientChannels(clientId: string): Promise<HubChannel[]> {
      const body = await http.request("GET", `${partnerPath}/channels?filters=${filters({ client_id: clientId })}&limit=100`, channelsResponseSchema);
      // The filter is not documented for this endpoint: never trust it to have applied.
      return body.partner_channels.map(reshapeChannel).filter((channel) => channel.clientId === clientId);
    },

    async findChannel(channelId: string): Promise<HubChannel | null> {
      const body = await http.request("GET", `${partnerPath}/channels?filters=${filters({ id: channelId })}`, channelsResponseSchema);
      const channel = body.partner_channels.find((candidate) => candidate.id === channelId);
      return channel ? reshapeChannel(channel) : null;
    },
  };
}

function reshapeChannel(channel: HubChannelPayload): HubChannel {
  return {
    id: channel.id,
    clientId: channel.client.id,
    status: channel.status ?? null,
    phoneNumber: channel.setup_info?.phone_number ?? channel.phone_number ?? null,
    messagingLimit: channel.current_limit == null ? null : String(channel.current_limit),
  };
}
