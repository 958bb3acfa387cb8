import { CHANNEL_STATUSES, type ChannelStatus } from "./config";
import type { SandboxContext } from "./context";
import { channelEventData, clientEventData, moveChannel } from "./events";
import type { ChannelRecord, ClientRecord } from "./state";

const STEPS: ChannelStatus[] = ["created", "ready", "running", "live"];
const rank = (status: ChannelStatus): number => CHANNEL_STATUSES.indexOf(status);

/**
 * After an onboarding: client_created (first time only), channel_created for the channels (which
 * start as `created`: the documented first event after signup), then each walks
 * ready → running → live, one step per `webhookDelayMs`, up to `lifecycleUntil`.
 * A step is skipped when the channel already moved past it (control endpoint) or left the
 * normal path (revoked, restricted), so the automatic walk never moves a channel backwards.
 */
export function startLifecycle(
  ctx: SandboxContext,
  client: ClientRecord,
  clientIsNew: boolean,
  channels: ChannelRecord[],
): void {
  const gap = ctx.config.webhookDelayMs;
  let slot = 0;
  if (clientIsNew) {
    ctx.timers.after(0, () => {
      ctx.webhooks.send("client_created", clientEventData(ctx.config.partnerId, client));
    });
    slot = 1;
  }
  const last = rank(ctx.config.lifecycleUntil);
  STEPS.filter((step) => rank(step) <= last).forEach((step, index) => {
    ctx.timers.after((slot + index) * gap, () => {
      for (const channel of channels) {
        const current = ctx.store.state.channels.find((c) => c.id === channel.id);
        if (!current || current.status === "revoked" || current.status === "restricted") continue;
        if (step === "created" && current.status === "created") {
          ctx.webhooks.send("channel_created", channelEventData(ctx, current));
          continue;
        }
        if (rank(current.status) >= rank(step)) continue;
        moveChannel(ctx, current, step);
      }
    });
  });
}
