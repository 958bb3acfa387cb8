import { z } from "zod";
import { DataTable, type DataTableRow } from "@/components/admin/data-table";
import { FilterForm, SelectFilter, TextFilter } from "@/components/admin/filters";
import { PageHeading } from "@/components/admin/page-heading";
import { Pager } from "@/components/admin/pager";
import { UtcTime } from "@/components/admin/utc-time";
import { listAuditActions, listAuditLog } from "@/lib/admin/list-audit-log";
import { pageParam, parseSearchParams, textParam, type RawSearchParams } from "@/lib/admin/search-params";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";

export const metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const filtersSchema = z.object({ action: textParam, actor: textParam, page: pageParam });

const COLUMNS = [
  { id: "when", header: "When", sortable: true },
  { id: "who", header: "Who", sortable: true },
  { id: "action", header: "Action", sortable: true },
  { id: "target", header: "Target", sortable: true },
  { id: "detail", header: "Detail" },
];

/** Every admin action, newest first. Read-only: the database refuses to change or delete an entry. */
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdminPage("/admin/audit");
  const filters = parseSearchParams(filtersSchema, await searchParams);
  const db = getDb();
  const [result, actions] = await Promise.all([listAuditLog(db, filters), listAuditActions(db)]);
  const rows: DataTableRow[] = result.rows.map((entry) => ({
    id: entry.id,
    attributes: { "data-audit-action": entry.action },
    cells: {
      when: { sortValue: entry.createdAt, content: <UtcTime iso={entry.createdAt} /> },
      who: { sortValue: entry.actorEmail, content: entry.actorEmail },
      action: { sortValue: entry.action, content: <span className="font-mono">{entry.action}</span> },
      target: {
        sortValue: `${entry.targetType}:${entry.targetId ?? ""}`,
        content: (
          <>
            <div>{entry.targetType.replaceAll("_", " ")}</div>
            {entry.targetId ? <div className="font-mono text-xs break-all text-slate-600">{entry.targetId}</div> : null}
          </>
        ),
      },
      detail: {
        content: entry.detail ? <code className="text-xs break-all">{JSON.stringify(entry.detail)}</code> : null,
      },
    },
  }));

  return (
    <div className="space-y-6">
      <PageHeading title="Audit log">
        Every action taken in this console: who, what and when. Entries cannot be changed.
      </PageHeading>
      <FilterForm key={JSON.stringify(filters)} path="/admin/audit">
        <SelectFilter name="action" label="Action" value={filters.action} options={actions} verbatim />
        <TextFilter name="actor" label="Admin email" value={filters.actor} />
      </FilterForm>
      <DataTable caption="Audit log" columns={COLUMNS} rows={rows} />
      <Pager path="/admin/audit" filters={filters} page={result} noun="entries" />
    </div>
  );
}
