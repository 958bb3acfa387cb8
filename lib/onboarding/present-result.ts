import "server-only";
import { bindingView, maskPhoneNumber } from "@/lib/clients/binding";
import type { BindingState, ChannelAccess, ChannelStatus } from "@/lib/generated/prisma/enums";
import type { OnboardingResult } from "./api-types";

type StoredClient = {
  hubId: string;
  bindingState: BindingState;
  channels: Array<{ hubId: string; phoneNumber: string | null; status: ChannelStatus; access: ChannelAccess }>;
};

/**
 * A client's stored channels as the browser sees them: `connected` (default: every one the partner
 * still has access to) and `revoked`, with phone numbers masked until the binding is proven.
 */
export function presentResult(
  client: StoredClient,
  pick: { connected?: string[]; revoked?: string[] } = {},
): OnboardingResult {
  const bound = client.bindingState === "BOUND";
  const sorted = [...client.channels].sort((a, b) => a.hubId.localeCompare(b.hubId));
  const connected = sorted.filter((c) => (pick.connected ? pick.connected.includes(c.hubId) : c.access === "GRANTED"));
  const revoked = pick.revoked ?? sorted.filter((c) => c.access === "REMOVED").map((c) => c.hubId);
  return {
    client: { id: client.hubId, binding: bindingView(client.bindingState) },
    channels: connected.map((c) => ({
      id: c.hubId,
      phoneNumber: bound ? c.phoneNumber : maskPhoneNumber(c.phoneNumber),
      status: c.status,
    })),
    revoked: [...revoked].sort(),
  };
}
