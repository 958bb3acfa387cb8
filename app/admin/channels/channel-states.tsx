import { StateBadge } from "@/components/admin/state-badge";
import type { ChannelRow } from "@/lib/admin/list-channels";

/** Our stage and the Hub's own word for it, flagged when that word describes a problem. */
export function ChannelStatusCell({ channel }: { channel: Pick<ChannelRow, "status" | "rawStatus" | "problem"> }) {
  return (
    <div className="space-y-1">
      <StateBadge value={channel.status} />
      <div className={channel.problem ? "font-mono text-xs text-red-700" : "font-mono text-xs text-slate-600"}>
        {channel.rawStatus ?? "no status reported"}
      </div>
    </div>
  );
}

export function KeyStateCell({ channel }: { channel: Pick<ChannelRow, "keyState" | "keyLastFour" | "keyError"> }) {
  return (
    <div className="space-y-1">
      <StateBadge value={channel.keyState} />
      {channel.keyLastFour ? <div className="font-mono text-xs text-slate-600">…{channel.keyLastFour}</div> : null}
      {channel.keyError ? <div className="text-xs text-red-700">{channel.keyError}</div> : null}
    </div>
  );
}

export function WebhookStateCell({
  channel,
}: {
  channel: Pick<ChannelRow, "messagingWebhookState" | "messagingWebhookError">;
}) {
  return (
    <div className="space-y-1">
      <StateBadge value={channel.messagingWebhookState} />
      {channel.messagingWebhookError ? (
        <div className="text-xs text-red-700">{channel.messagingWebhookError}</div>
      ) : null}
    </div>
  );
}
