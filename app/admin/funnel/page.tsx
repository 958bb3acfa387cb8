import { Alert } from "@/components/ui/alert";
import { DailyChart } from "@/components/admin/funnel/daily-chart";
import { DailyTable } from "@/components/admin/funnel/daily-table";
import { FunnelBarChart } from "@/components/admin/funnel/funnel-bar-chart";
import { FunnelSummary } from "@/components/admin/funnel/funnel-summary";
import { RangeForm } from "@/components/admin/funnel/range-form";
import { StageTotalsTable } from "@/components/admin/funnel/stage-totals-table";
import { loadFunnel } from "@/lib/admin/funnel/load-funnel";
import { parseDayRange } from "@/lib/admin/funnel/range";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";

export const metadata = { title: "Onboarding funnel" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * How far clients get from Connect to their first message, per UTC day. Every chart has a table
 * with the same numbers, for screen readers and for anyone who wants the figures.
 */
export default async function FunnelPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdminPage("/admin/funnel");
  const { range, notice } = parseDayRange(await searchParams, new Date());
  const report = await loadFunnel(getDb(), range);
  const span = `${range.from} to ${range.to} (UTC)`;
  const barsLabel = `Bar chart of the funnel's stage totals, ${span}: ${report.stages
    .map((stage) => `${stage.label} ${stage.total}`)
    .join(", ")}.`;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Onboarding funnel</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Each stage is counted on the day it happened: a click, a redirect, a client bound, and for each number the
          first time it ran, got a key, had its messaging webhook set and sent a message. Clicks and redirects count
          attempts, binding counts clients, the rest count channels, so a conversion can exceed 100% where one client
          brings several numbers.
        </p>
      </div>

      <RangeForm range={range} />
      {notice ? (
        <Alert tone="warning" title="Range not used">
          {notice}
        </Alert>
      ) : null}

      <section aria-labelledby="funnel-totals" className="space-y-4">
        <h2 id="funnel-totals" className="text-xl font-semibold text-slate-900">
          Totals, {span}
        </h2>
        <FunnelSummary report={report} />
      </section>

      <section aria-labelledby="funnel-stages" className="space-y-4">
        <h2 id="funnel-stages" className="text-xl font-semibold text-slate-900">
          Stages
        </h2>
        <figure className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <figcaption className="text-sm text-slate-700">
            Stage totals over the range, first stage at the top.
          </figcaption>
          <FunnelBarChart
            label={barsLabel}
            bars={report.stages.map((stage) => ({ stage: stage.stage, label: stage.label, total: stage.total }))}
          />
          <StageTotalsTable stages={report.stages} caption={`Table view: stage totals, ${span}`} />
        </figure>
      </section>

      <section aria-labelledby="funnel-days" className="space-y-4">
        <h2 id="funnel-days" className="text-xl font-semibold text-slate-900">
          Per day
        </h2>
        <figure className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <figcaption className="text-sm text-slate-700">
            Each stage per UTC day; open the table for the numbers.
          </figcaption>
          <DailyChart
            label={`Line chart of each funnel stage per UTC day, ${span}. The table view below lists the numbers.`}
            days={report.days}
            series={report.stages.map((stage) => ({ stage: stage.stage, label: stage.label }))}
          />
          <details className="group">
            <summary className="cursor-pointer text-sm font-semibold text-slate-900">Table view</summary>
            <div className="mt-3">
              <DailyTable days={report.days} stages={report.stages} caption={`Funnel stages per UTC day, ${span}`} />
            </div>
          </details>
        </figure>
      </section>
    </div>
  );
}
