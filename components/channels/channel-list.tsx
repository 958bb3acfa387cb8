"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import type { ChannelView } from "@/lib/channels/list-user-channels";
import { useChannels } from "@/lib/channels/client/use-channels";

const statusTone: Record<string, BadgeTone> = {
  LIVE: "success",
  RUNNING: "info",
  REVOKED: "neutral",
  RESTRICTED: "danger",
};
const keyLabel: Record<string, string> = {
  NONE: "not created",
  PROVISIONING: "being created",
  STORED: "stored, encrypted",
  AWAITING_PERMISSION: "waiting for your permission",
  FAILED: "failed, we will retry",
};

export function ChannelList({ initial }: { initial: ChannelView[] }) {
  const { data: channels, isError } = useChannels(initial);

  if (channels.length === 0) {
    return (
      <Card>
        <CardTitle>No numbers yet</CardTitle>
        <CardDescription>Connect your first WhatsApp Business number to see it here.</CardDescription>
        <ButtonLink href="/onboarding" className="mt-4">
          Connect WhatsApp
        </ButtonLink>
      </Card>
    );
  }

  return (
    <div className="space-y-4">
      {isError ? <p className="text-sm text-amber-800">Live updates paused: the portal could not be reached.</p> : null}
      <ul className="space-y-4" aria-label="Your channels">
        {channels.map((channel) => (
          <li key={channel.id}>
            <Card>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <CardTitle className="font-mono">{channel.phoneNumber ?? channel.id}</CardTitle>
                <span className="flex items-center gap-2">
                  {channel.binding !== "bound" ? (
                    <Badge tone={channel.binding === "rejected" ? "danger" : "warning"}>
                      {channel.binding === "rejected" ? "declined by the partner" : "awaiting partner approval"}
                    </Badge>
                  ) : null}
                  <Badge tone={statusTone[channel.status] ?? "warning"}>{channel.status.toLowerCase()}</Badge>
                </span>
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-2 text-sm text-slate-600 sm:grid-cols-4">
                <div>
                  <dt className="text-xs uppercase text-slate-500">Channel</dt>
                  <dd className="font-mono">{channel.id}</dd>
                </div>
                <div>
                  <dt className="text-xs uppercase text-slate-500">Messaging limit</dt>
                  <dd>{channel.messagingLimit ?? "not reported yet"}</dd>
                </div>
                <div>
                  <dt className="text-xs uppercase text-slate-500">API key</dt>
                  <dd>{keyLabel[channel.keyState] ?? channel.keyState}</dd>
                </div>
              </dl>
              {channel.timeline.length > 0 ? (
                <ol className="mt-3 flex flex-wrap gap-3 text-xs text-slate-500" aria-label="Timeline">
                  {channel.timeline.map((entry) => (
                    <li key={`${entry.kind}-${entry.status}-${entry.at}`}>
                      {entry.status ? entry.status.toLowerCase() : `${entry.kind}: ${entry.detail ?? "reported"}`} ·{" "}
                      <time dateTime={entry.at}>{entry.at.slice(0, 16).replace("T", " ")} UTC</time>
                    </li>
                  ))}
                </ol>
              ) : null}
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
