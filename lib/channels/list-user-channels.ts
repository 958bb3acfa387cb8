import "server-only";
import { isSettledChannel } from "@/lib/channels/status";
import { bindingView, maskPhoneNumber, type BindingView } from "@/lib/clients/binding";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ChannelStatus, KeyState } from "@/lib/generated/prisma/enums";

export type ChannelView = {
  id: string;
  clientId: string;
  // Until the client's binding is proven, the number is masked: see lib/clients/binding.ts.
  binding: BindingView;
  phoneNumber: string | null;
  status: ChannelStatus;
  messagingLimit: string | null;
  keyState: KeyState;
  settled: boolean;
  // Newest first: status changes, and quality, limit or restriction reports (then `detail`).
  timeline: Array<{ kind: string; status: ChannelStatus | null; detail: string | null; at: string }>;
};

/** The channels of one user, newest client first; nobody else's rows can reach this query. */
export async function listUserChannels(db: PrismaClient, userId: string): Promise<ChannelView[]> {
  const channels = await db.channel.findMany({
    where: { client: { userId } },
    orderBy: [{ createdAt: "desc" }, { hubId: "asc" }],
    include: {
      client: { select: { hubId: true, bindingState: true } },
      events: {
        orderBy: { occurredAt: "desc" },
        take: 6,
        select: { kind: true, toStatus: true, detail: true, occurredAt: true },
      },
    },
  });
  return channels.map((channel) => ({
    id: channel.hubId,
    clientId: channel.client.hubId,
    binding: bindingView(channel.client.bindingState),
    phoneNumber: channel.client.bindingState === "BOUND" ? channel.phoneNumber : maskPhoneNumber(channel.phoneNumber),
    status: channel.status,
    messagingLimit: channel.messagingLimit,
    keyState: channel.keyState,
    settled: isSettledChannel(channel),
    timeline: channel.events.map((event) => ({
      kind: event.kind,
      status: event.toStatus,
      detail: event.detail,
      at: event.occurredAt.toISOString(),
    })),
  }));
}
