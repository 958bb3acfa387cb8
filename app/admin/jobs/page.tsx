import { z } from "zod";
import { ActionForm } from "@/components/admin/action-form";
import { DataTable, type DataTableRow } from "@/components/admin/data-table";
import { FilterForm, SelectFilter } from "@/components/admin/filters";
import { PageHeading } from "@/components/admin/page-heading";
import { Pager } from "@/components/admin/pager";
import { Badge } from "@/components/ui/badge";
import { UtcTime } from "@/components/admin/utc-time";
import { listFailedJobs, listJobTasks } from "@/lib/admin/failed-jobs";
import { pageParam, parseSearchParams, textParam, type RawSearchParams } from "@/lib/admin/search-params";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { retryJobAction } from "./actions";

export const metadata = { title: "Failed jobs" };
export const dynamic = "force-dynamic";

const filtersSchema = z.object({ task: textParam, page: pageParam });

const COLUMNS = [
  { id: "task", header: "Task", sortable: true },
  { id: "payload", header: "Payload" },
  { id: "attempts", header: "Attempts", sortable: true },
  { id: "error", header: "Last error" },
  { id: "runAt", header: "Next run", sortable: true },
  { id: "locked", header: "Locked", sortable: true },
  { id: "actions", header: "Actions", hiddenHeader: true },
];

/** Queued jobs that have failed at least once: retried automatically until out of attempts, or now by hand. */
export default async function FailedJobsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdminPage("/admin/jobs");
  const filters = parseSearchParams(filtersSchema, await searchParams);
  const db = getDb();
  const [result, tasks] = await Promise.all([listFailedJobs(db, filters), listJobTasks(db)]);
  const rows: DataTableRow[] = result.rows.map((job) => ({
    id: job.id,
    attributes: { "data-job-task": job.task },
    cells: {
      task: { sortValue: job.task, content: <span className="font-mono">{job.task}</span> },
      payload: { content: <code className="text-xs break-all">{JSON.stringify(job.payload)}</code> },
      attempts: {
        sortValue: job.attempts,
        content: (
          <>
            {job.attempts} / {job.maxAttempts}
            {job.exhausted ? (
              <div>
                <Badge tone="danger">gave up</Badge>
              </div>
            ) : null}
          </>
        ),
      },
      error: { content: <div className="max-w-md text-xs break-words text-red-700">{job.lastError}</div> },
      runAt: { sortValue: job.runAt, content: job.exhausted ? "never" : <UtcTime iso={job.runAt} /> },
      locked: { sortValue: job.lockedAt ?? "", content: <UtcTime iso={job.lockedAt} fallback="no" /> },
      actions: {
        content: job.lockedAt ? null : (
          <ActionForm action={retryJobAction} fields={{ jobId: job.id }} label="Retry now" target={`job ${job.id}`} />
        ),
      },
    },
  }));

  return (
    <div className="space-y-6">
      <PageHeading title="Failed jobs">
        Background jobs whose last run failed. They are tried again with growing delays until they run out of attempts;
        &ldquo;Retry now&rdquo; runs one at once with its attempts reset.
      </PageHeading>
      <FilterForm key={JSON.stringify(filters)} path="/admin/jobs">
        <SelectFilter name="task" label="Task" value={filters.task} options={tasks} verbatim />
      </FilterForm>
      <DataTable caption="Failed jobs" columns={COLUMNS} rows={rows} />
      <Pager path="/admin/jobs" filters={filters} page={result} noun="failed jobs" />
    </div>
  );
}
