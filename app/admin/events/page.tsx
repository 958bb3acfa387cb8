import Link from "next/link";
import { z } from "zod";
import { DataTable, type DataTableRow } from "@/components/admin/data-table";
import { FilterForm, SelectFilter, TextFilter } from "@/components/admin/filters";
import { PageHeading } from "@/components/admin/page-heading";
import { Pager } from "@/components/admin/pager";
import { StateBadge } from "@/components/admin/state-badge";
import { UtcTime } from "@/components/admin/utc-time";
import { choiceParam, pageParam, parseSearchParams, textParam, type RawSearchParams } from "@/lib/admin/search-params";
import { listWebhookEvents, listWebhookEventTypes } from "@/lib/admin/webhook-events";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { WebhookEventState, WebhookSource } from "@/lib/generated/prisma/enums";
import { RetryEventForm } from "./retry-event-form";

export const metadata = { title: "Webhook events" };
export const dynamic = "force-dynamic";

const filtersSchema = z.object({
  type: textParam,
  state: choiceParam(WebhookEventState),
  source: choiceParam(WebhookSource),
  channel: textParam,
  page: pageParam,
});

const COLUMNS = [
  { id: "received", header: "Received", sortable: true },
  { id: "type", header: "Type", sortable: true },
  { id: "channel", header: "Channel", sortable: true },
  { id: "state", header: "State", sortable: true },
  { id: "attempts", header: "Attempts", sortable: true },
  { id: "error", header: "Last error" },
  { id: "actions", header: "Actions", hiddenHeader: true },
];

/** Every webhook the portal stored, as received, and what became of it. */
export default async function WebhookEventsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdminPage("/admin/events");
  const filters = parseSearchParams(filtersSchema, await searchParams);
  const db = getDb();
  const [result, types] = await Promise.all([listWebhookEvents(db, filters), listWebhookEventTypes(db)]);
  const rows: DataTableRow[] = result.rows.map((event) => ({
    id: event.id,
    attributes: { "data-event-type": event.type },
    cells: {
      received: {
        sortValue: event.receivedAt,
        content: (
          <Link href={`/admin/events/${event.id}`} className="text-brand-700 underline">
            <UtcTime iso={event.receivedAt} />
            <span className="sr-only"> {event.type}, details</span>
          </Link>
        ),
      },
      type: {
        sortValue: event.type,
        content: (
          <>
            <div className="font-mono">{event.type}</div>
            <div className="text-xs text-slate-600">{event.source.toLowerCase()}</div>
          </>
        ),
      },
      channel: {
        sortValue: event.channelHubId ?? "",
        content: event.channelHubId ? (
          <Link
            href={`/admin/channels/${encodeURIComponent(event.channelHubId)}`}
            className="font-mono text-brand-700 underline"
          >
            {event.channelHubId}
          </Link>
        ) : (
          <span className="text-slate-600">–</span>
        ),
      },
      state: { sortValue: event.state, content: <StateBadge value={event.state} /> },
      attempts: { sortValue: event.attempts, content: event.attempts },
      error: {
        content: event.lastError ? (
          <div className="max-w-md text-xs break-words text-red-700">{event.lastError}</div>
        ) : null,
      },
      actions: { content: <RetryEventForm event={event} /> },
    },
  }));

  return (
    <div className="space-y-6">
      <PageHeading title="Webhook events">
        Partner and messaging webhooks as the portal stored them. Failed events can be processed again.
      </PageHeading>
      <FilterForm key={JSON.stringify(filters)} path="/admin/events">
        <SelectFilter name="type" label="Type" value={filters.type} options={types} verbatim />
        <SelectFilter name="state" label="State" value={filters.state} options={Object.values(WebhookEventState)} />
        <SelectFilter name="source" label="Source" value={filters.source} options={Object.values(WebhookSource)} />
        <TextFilter name="channel" label="Channel hub id" value={filters.channel} />
      </FilterForm>
      <DataTable caption="Webhook events" columns={COLUMNS} rows={rows} />
      <Pager path="/admin/events" filters={filters} page={result} noun="events" />
    </div>
  );
}
