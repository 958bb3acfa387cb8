import Link from "next/link";
import { z } from "zod";
import { DataTable, type DataTableRow } from "@/components/admin/data-table";
import { FilterForm, SelectFilter, TextFilter } from "@/components/admin/filters";
import { PageHeading } from "@/components/admin/page-heading";
import { Pager } from "@/components/admin/pager";
import { StateBadge } from "@/components/admin/state-badge";
import { UtcTime } from "@/components/admin/utc-time";
import { listChannels } from "@/lib/admin/list-channels";
import { choiceParam, pageParam, parseSearchParams, textParam, type RawSearchParams } from "@/lib/admin/search-params";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { ChannelAccess, ChannelStatus, KeyState, MessagingWebhookState } from "@/lib/generated/prisma/enums";
import { ChannelActions } from "./channel-actions";
import { ChannelStatusCell, KeyStateCell, WebhookStateCell } from "./channel-states";

export const metadata = { title: "Channels" };
export const dynamic = "force-dynamic";

const filtersSchema = z.object({
  q: textParam,
  status: choiceParam(ChannelStatus),
  access: choiceParam(ChannelAccess),
  keyState: choiceParam(KeyState),
  webhook: choiceParam(MessagingWebhookState),
  page: pageParam,
});

const COLUMNS = [
  { id: "channel", header: "Channel", sortable: true },
  { id: "client", header: "Client", sortable: true },
  { id: "status", header: "Status", sortable: true },
  { id: "access", header: "Access", sortable: true },
  { id: "key", header: "Key", sortable: true },
  { id: "webhook", header: "Messaging webhook", sortable: true },
  { id: "lastEvent", header: "Last event", sortable: true },
  { id: "actions", header: "Actions", hiddenHeader: true },
];

/** Every number the partner holds, with its three states and what an admin can do about them. */
export default async function ChannelsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdminPage("/admin/channels");
  const filters = parseSearchParams(filtersSchema, await searchParams);
  const result = await listChannels(getDb(), filters);
  const rows: DataTableRow[] = result.rows.map((channel) => ({
    id: channel.id,
    attributes: { "data-channel": channel.hubId },
    cells: {
      channel: {
        sortValue: channel.hubId,
        content: (
          <>
            <Link
              href={`/admin/channels/${encodeURIComponent(channel.hubId)}`}
              className="font-mono text-brand-700 underline"
            >
              {channel.hubId}
            </Link>
            <div className="font-mono text-slate-600">{channel.phoneNumber ?? "no number yet"}</div>
          </>
        ),
      },
      client: {
        sortValue: channel.clientHubId,
        content: (
          <>
            <div className="font-mono">{channel.clientHubId}</div>
            {channel.clientName ? <div className="text-slate-600">{channel.clientName}</div> : null}
          </>
        ),
      },
      status: { sortValue: channel.status, content: <ChannelStatusCell channel={channel} /> },
      access: { sortValue: channel.access, content: <StateBadge value={channel.access} /> },
      key: { sortValue: channel.keyState, content: <KeyStateCell channel={channel} /> },
      webhook: { sortValue: channel.messagingWebhookState, content: <WebhookStateCell channel={channel} /> },
      lastEvent: {
        sortValue: channel.lastEvent?.at ?? "",
        content: channel.lastEvent ? (
          <>
            <div>
              {channel.lastEvent.kind}
              {channel.lastEvent.toStatus ? ` → ${channel.lastEvent.toStatus.toLowerCase()}` : ""}
              {channel.lastEvent.detail ? `: ${channel.lastEvent.detail}` : ""}
            </div>
            <UtcTime iso={channel.lastEvent.at} />
          </>
        ) : (
          <span className="text-slate-600">none yet</span>
        ),
      },
      actions: { content: <ChannelActions channel={channel} /> },
    },
  }));

  return (
    <div className="space-y-6">
      <PageHeading title="Channels">
        Each number&apos;s status at 360dialog, the partner&apos;s access to it, its API key and its messaging webhook.
      </PageHeading>
      <FilterForm key={JSON.stringify(filters)} path="/admin/channels">
        <TextFilter name="q" label="Search" value={filters.q} placeholder="Channel, number or client" />
        <SelectFilter name="status" label="Status" value={filters.status} options={Object.values(ChannelStatus)} />
        <SelectFilter name="access" label="Access" value={filters.access} options={Object.values(ChannelAccess)} />
        <SelectFilter name="keyState" label="Key" value={filters.keyState} options={Object.values(KeyState)} />
        <SelectFilter
          name="webhook"
          label="Messaging webhook"
          value={filters.webhook}
          options={Object.values(MessagingWebhookState)}
        />
      </FilterForm>
      <DataTable caption="Channels" columns={COLUMNS} rows={rows} />
      <Pager path="/admin/channels" filters={filters} page={result} noun="channels" />
    </div>
  );
}
