"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import type { ChannelView } from "@/lib/channels/list-user-channels";
import { useChannels } from "@/lib/channels/client/use-channels";
import { TestMessageForm } from "./test-message-form";

const statusTone: Record<string, BadgeTone> = {
  LIVE: "success",
  RUNNING: "info",
};
const time = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** What the client is told about the key: never the key, at most its last four characters. */
const webhookLabel: Record<ChannelView["messagingWebhook"]["state"], string> = {
  UNSET: "set once the key exists",
  PENDING: "being set",
  SET: "set",
  FAILED: "could not be set, the partner is on it",
};

function keyLabel(channel: ChannelView): string {
  if (channel.access === "REMOVED") return "destroyed: you revoked the partner's access";
  if (channel.binding !== "bound") return "created once the partner approves";
  switch (channel.keyState) {
    case "STORED":
      return channel.keyLastFour ? `stored · ends in ${channel.keyLastFour}` : "stored, encrypted";
    case "PROVISIONING":
      return channel.keyRetryAt ? `being created, next try at ${time(channel.keyRetryAt)}` : "being created";
    case "AWAITING_PERMISSION":
      return "waiting for your permission";
    case "FAILED":
      return channel.keyRetryAt ? `failed, retrying at ${time(channel.keyRetryAt)}` : "failed, the partner is on it";
    default:
      return channel.status === "RUNNING" || channel.status === "LIVE"
        ? "being created"
        : "created once the number runs";
  }
}

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
                  {channel.access === "REMOVED" ? <Badge tone="neutral">access revoked</Badge> : null}
                  <Badge tone={statusTone[channel.status] ?? "warning"}>{channel.status.toLowerCase()}</Badge>
                </span>
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-2 text-sm text-slate-600 sm:grid-cols-5">
                <div>
                  <dt className="text-xs uppercase text-slate-500">Channel</dt>
                  <dd className="font-mono">{channel.id}</dd>
                </div>
                <div>
                  <dt className="text-xs uppercase text-slate-500">Messaging limit</dt>
                  <dd>{channel.messagingLimit ?? "not reported yet"}</dd>
                </div>
                <div>
                  <dt className="text-xs uppercase text-slate-500">Quality</dt>
                  <dd>{channel.qualityRating ?? "not reported yet"}</dd>
                </div>
                <div>
                  <dt className="text-xs uppercase text-slate-500">API key</dt>
                  <dd data-testid="key-state">{keyLabel(channel)}</dd>
                </div>
                <div>
                  <dt className="text-xs uppercase text-slate-500">Messaging webhook</dt>
                  <dd data-testid="messaging-webhook-state">{webhookLabel[channel.messagingWebhook.state]}</dd>
                </div>
              </dl>
              {channel.problem ? (
                <p className="mt-3 text-sm text-red-700">360dialog reports a problem: {channel.rawStatus}</p>
              ) : null}
              {channel.restriction ? (
                <p className="mt-3 text-sm text-red-700">Restricted by WhatsApp: {channel.restriction}</p>
              ) : null}
              {channel.keyState === "AWAITING_PERMISSION" ? (
                <p className="mt-3 text-sm text-slate-700">
                  Your 360dialog account pays WhatsApp directly, so the partner needs your permission to create this
                  number&apos;s API key.{" "}
                  <a className="font-semibold underline" href="/onboarding">
                    Grant it in the 360dialog window
                  </a>
                  ; the key follows within minutes.
                </p>
              ) : null}
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
              {channel.keyState === "STORED" && channel.access === "GRANTED" && channel.binding === "bound" ? (
                <TestMessageForm channel={channel} />
              ) : null}
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
