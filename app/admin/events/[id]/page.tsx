import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeading } from "@/components/admin/page-heading";
import { StateBadge } from "@/components/admin/state-badge";
import { UtcTime } from "@/components/admin/utc-time";
import { Card } from "@/components/ui/card";
import { getWebhookEvent } from "@/lib/admin/webhook-events";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { RetryEventForm } from "../retry-event-form";

export const metadata = { title: "Webhook event" };
export const dynamic = "force-dynamic";

/** One stored webhook: what became of it, and its payload as received with every secret masked. */
export default async function WebhookEventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${encodeURIComponent(id)}`);
  const event = await getWebhookEvent(getDb(), id);
  if (!event) notFound();

  const facts = [
    ["Source", event.source.toLowerCase()],
    ["State", <StateBadge key="state" value={event.state} />],
    [
      "Channel",
      event.channelHubId ? (
        <Link
          key="channel"
          href={`/admin/channels/${encodeURIComponent(event.channelHubId)}`}
          className="font-mono text-brand-700 underline"
        >
          {event.channelHubId}
        </Link>
      ) : (
        "–"
      ),
    ],
    ["Received", <UtcTime key="received" iso={event.receivedAt} />],
    ["Processed", <UtcTime key="processed" iso={event.processedAt} fallback="not yet" />],
    ["Attempts", event.attempts],
    [
      "Dedupe key",
      <span key="dedupe" className="font-mono break-all">
        {event.dedupeKey}
      </span>,
    ],
    ["Last error", event.lastError ?? "none"],
  ] as const;

  return (
    <div className="space-y-6" data-event-type={event.type}>
      <PageHeading title={`Webhook event ${event.type}`} />
      <Card>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          {facts.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="font-medium text-slate-700">{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4">
          <RetryEventForm event={event} />
        </div>
      </Card>
      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Payload</h2>
        <p className="text-sm text-slate-600">As received; values under keys that name a secret are masked.</p>
        <pre
          tabIndex={0}
          aria-label="Payload"
          className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs text-slate-100"
        >
          {JSON.stringify(event.payload, null, 2)}
        </pre>
      </section>
    </div>
  );
}
