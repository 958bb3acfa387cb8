import type { SandboxContext } from "./context";
import type { ChannelRecord, ClientRecord } from "./state";

export function findClient(ctx: SandboxContext, id: string | undefined): ClientRecord | undefined {
  return ctx.store.state.clients.find((cl) => cl.id === id && cl.partnerId === ctx.config.partnerId);
}

/** A channel as the Partner API lists it, and as 360dialog puts it in a partner webhook's `data`. */
export function channelJson(ctx: SandboxContext, channel: ChannelRecord): Record<string, unknown> {
  const client = findClient(ctx, channel.clientId);
  return {
    id: channel.id,
    client_id: channel.clientId,
    client: { id: channel.clientId, name: client?.name ?? "", contact_info: { email: client?.email ?? "" } },
    status: channel.status,
    setup_info: { phone_number: channel.phoneNumber, phone_name: client?.name ?? "" },
    current_limit: channel.currentLimit,
    current_quality_rating: channel.qualityRating,
    waba_account: {
      id: channel.wabaId,
      external_id: channel.wabaId.replace(/\D/g, "") || "0",
      name: client?.name ?? "",
      status: "approved",
    },
    created_at: channel.createdAt,
    modified_at: channel.modifiedAt,
    revoked_at: channel.revokedAt,
  };
}
