import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeading } from "@/components/admin/page-heading";
import { StateBadge } from "@/components/admin/state-badge";
import { UtcTime } from "@/components/admin/utc-time";
import { Card, CardTitle } from "@/components/ui/card";
import { getChannelDetail } from "@/lib/admin/get-channel-detail";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { ChannelActions } from "../channel-actions";
import { ChannelStatusCell, KeyStateCell, WebhookStateCell } from "../channel-states";

export const metadata = { title: "Channel" };
export const dynamic = "force-dynamic";

function Section({
  title,
  headers,
  empty,
  children,
}: {
  title: string;
  headers: string[];
  empty: boolean;
  children: ReactNode;
}) {
  return (
    <section className="space-y-2">
      <h2 className="text-xl font-semibold">{title}</h2>
      {empty ? (
        <p className="text-sm text-slate-600">None yet.</p>
      ) : (
        <div
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white"
          role="region"
          aria-label={title}
          tabIndex={0}
        >
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{title}</caption>
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                {headers.map((header) => (
                  <th key={header} scope="col" className="px-4 py-3">
                    {header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const td = "px-4 py-3 align-top";

/** One channel: its states, its actions and its history, newest first. */
export default async function ChannelDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/channels/${encodeURIComponent(id)}`);
  const channel = await getChannelDetail(getDb(), id);
  if (!channel) notFound();

  return (
    <div className="space-y-8" data-channel={channel.hubId}>
      <PageHeading title={`Channel ${channel.hubId}`}>
        {channel.phoneNumber ?? "No number yet"} · client{" "}
        <Link
          href={`/admin/clients?q=${encodeURIComponent(channel.clientHubId)}`}
          className="font-mono text-brand-700 underline"
        >
          {channel.clientHubId}
        </Link>
        {channel.clientName ? ` (${channel.clientName})` : ""}
      </PageHeading>

      <Card className="grid gap-6 sm:grid-cols-2 lg:grid-cols-5">
        <div>
          <CardTitle>Status</CardTitle>
          <div className="mt-2">
            <ChannelStatusCell channel={channel} />
          </div>
          {channel.restriction ? <p className="mt-1 text-xs text-red-700">{channel.restriction}</p> : null}
        </div>
        <div>
          <CardTitle>Access</CardTitle>
          <div className="mt-2">
            <StateBadge value={channel.access} />
          </div>
        </div>
        <div>
          <CardTitle>Key</CardTitle>
          <div className="mt-2">
            <KeyStateCell channel={channel} />
          </div>
          {channel.keyRetryAt ? (
            <p className="mt-1 text-xs text-slate-600">
              Next try <UtcTime iso={channel.keyRetryAt} />
            </p>
          ) : null}
        </div>
        <div>
          <CardTitle>Messaging webhook</CardTitle>
          <div className="mt-2">
            <WebhookStateCell channel={channel} />
          </div>
          {channel.messagingWebhookUrl ? (
            <p className="mt-1 text-xs break-all text-slate-600">{channel.messagingWebhookUrl}</p>
          ) : null}
          {channel.messagingWebhookSetAt ? (
            <p className="mt-1 text-xs text-slate-600">
              Set <UtcTime iso={channel.messagingWebhookSetAt} />
            </p>
          ) : null}
        </div>
        <div>
          <CardTitle>Actions</CardTitle>
          <div className="mt-2">
            <ChannelActions channel={channel} />
          </div>
        </div>
      </Card>

      <Section title="Timeline" headers={["When", "Kind", "Change", "Source"]} empty={channel.timeline.length === 0}>
        {channel.timeline.map((event) => (
          <tr key={event.id}>
            <td className={td}>
              <UtcTime iso={event.at} />
            </td>
            <td className={td}>{event.kind}</td>
            <td className={td}>
              {event.toStatus
                ? `${event.fromStatus?.toLowerCase() ?? "new"} → ${event.toStatus.toLowerCase()}`
                : (event.detail ?? "")}
              {event.toStatus && event.detail ? <div className="text-slate-600">{event.detail}</div> : null}
            </td>
            <td className={td}>{event.source}</td>
          </tr>
        ))}
      </Section>

      <Section
        title="API keys"
        headers={["Created", "Version", "Last four", "Destroyed"]}
        empty={channel.keys.length === 0}
      >
        {channel.keys.map((key) => (
          <tr key={key.id}>
            <td className={td}>
              <UtcTime iso={key.createdAt} />
            </td>
            <td className={td}>v{key.keyVersion}</td>
            <td className={`${td} font-mono`}>{key.lastFour ? `…${key.lastFour}` : "–"}</td>
            <td className={td}>
              <UtcTime iso={key.destroyedAt} fallback="live" />
            </td>
          </tr>
        ))}
      </Section>

      <Section title="Messages" headers={["Sent", "Kind", "Recipient", "Status"]} empty={channel.messages.length === 0}>
        {channel.messages.map((message) => (
          <tr key={message.id}>
            <td className={td}>
              <UtcTime iso={message.createdAt} />
            </td>
            <td className={td}>{message.kind}</td>
            <td className={`${td} font-mono`}>…{message.recipientLast4}</td>
            <td className={td}>
              <StateBadge value={message.status} />
              {message.error ? <div className="text-xs text-red-700">{message.error}</div> : null}
            </td>
          </tr>
        ))}
      </Section>

      <Section
        title="Webhook events"
        headers={["Received", "Source", "Type", "State", "Attempts"]}
        empty={channel.webhookEvents.length === 0}
      >
        {channel.webhookEvents.map((event) => (
          <tr key={event.id} data-event-type={event.type}>
            <td className={td}>
              <Link href={`/admin/events/${event.id}`} className="text-brand-700 underline">
                <UtcTime iso={event.receivedAt} />
              </Link>
            </td>
            <td className={td}>{event.source.toLowerCase()}</td>
            <td className={`${td} font-mono`}>{event.type}</td>
            <td className={td}>
              <StateBadge value={event.state} />
            </td>
            <td className={td}>{event.attempts}</td>
          </tr>
        ))}
      </Section>
    </div>
  );
}
