import Link from "next/link";
import { z } from "zod";
import { ActionForm } from "@/components/admin/action-form";
import { DataTable, type DataTableRow } from "@/components/admin/data-table";
import { FilterForm, SelectFilter, TextFilter } from "@/components/admin/filters";
import { PageHeading } from "@/components/admin/page-heading";
import { Pager } from "@/components/admin/pager";
import { StateBadge } from "@/components/admin/state-badge";
import { UtcTime } from "@/components/admin/utc-time";
import { listClients, type ClientRow } from "@/lib/admin/list-clients";
import { choiceParam, pageParam, parseSearchParams, textParam, type RawSearchParams } from "@/lib/admin/search-params";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { BindingState } from "@/lib/generated/prisma/enums";
import { decideClientBindingAction } from "./actions";

export const metadata = { title: "Clients" };
export const dynamic = "force-dynamic";

const filtersSchema = z.object({ q: textParam, binding: choiceParam(BindingState), page: pageParam });

const COLUMNS = [
  { id: "client", header: "Client", sortable: true },
  { id: "owner", header: "Owner", sortable: true },
  { id: "binding", header: "Binding", sortable: true },
  { id: "channels", header: "Channels", sortable: true },
  { id: "created", header: "Created", sortable: true },
];

function BindingCell({ client }: { client: ClientRow }) {
  return (
    <div className="space-y-2">
      <StateBadge value={client.bindingState} />
      {client.bindingState === "AWAITING_APPROVAL" ? (
        <div className="flex flex-wrap gap-2">
          <ActionForm
            action={decideClientBindingAction}
            fields={{ clientId: client.id, decision: "approve" }}
            label="Approve"
            target={client.hubId}
            variant="primary"
          />
          <ActionForm
            action={decideClientBindingAction}
            fields={{ clientId: client.id, decision: "reject" }}
            label="Reject"
            confirmLabel="Confirm rejection"
            target={client.hubId}
          />
        </div>
      ) : null}
    </div>
  );
}

/** Every 360dialog client connected through the portal, who connected it and whether that is proven. */
export default async function ClientsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdminPage("/admin/clients");
  const filters = parseSearchParams(filtersSchema, await searchParams);
  const result = await listClients(getDb(), filters);
  const rows: DataTableRow[] = result.rows.map((client) => ({
    id: client.id,
    attributes: { "data-client": client.hubId },
    cells: {
      client: {
        sortValue: client.hubId,
        content: (
          <>
            <div className="font-mono">{client.hubId}</div>
            {client.name ? <div className="text-slate-600">{client.name}</div> : null}
          </>
        ),
      },
      owner: {
        sortValue: client.ownerEmail,
        content: (
          <>
            <div>{client.ownerEmail}</div>
            <div className="text-xs text-slate-600">contact at 360dialog: {client.contactEmail ?? "not reported"}</div>
          </>
        ),
      },
      binding: { sortValue: client.bindingState, content: <BindingCell client={client} /> },
      channels: {
        sortValue: client.channelCount,
        content: (
          <Link href={`/admin/channels?q=${encodeURIComponent(client.hubId)}`} className="text-brand-700 underline">
            {client.channelCount} {client.channelCount === 1 ? "channel" : "channels"}
            <span className="sr-only"> of {client.hubId}</span>
            {client.numbers.map((number) => (
              <span key={number} className="block font-mono">
                {number}
              </span>
            ))}
          </Link>
        ),
      },
      created: { sortValue: client.createdAt, content: <UtcTime iso={client.createdAt} /> },
    },
  }));

  return (
    <div className="space-y-6">
      <PageHeading title="Clients">
        360dialog clients connected through the portal, the user who connected each one and whether that user is proven
        to speak for it.
      </PageHeading>
      <FilterForm key={JSON.stringify(filters)} path="/admin/clients">
        <TextFilter name="q" label="Search" value={filters.q} placeholder="Hub id, name or email" />
        <SelectFilter name="binding" label="Binding" value={filters.binding} options={Object.values(BindingState)} />
      </FilterForm>
      <DataTable caption="Clients" columns={COLUMNS} rows={rows} />
      <Pager path="/admin/clients" filters={filters} page={result} noun="clients" />
    </div>
  );
}
