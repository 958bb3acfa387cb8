import type { FunnelDay, StageTotal } from "@/lib/admin/funnel/load-funnel";

/** The per-day chart's numbers as a table, with the range's totals as its last row. */
export function DailyTable({ days, stages, caption }: { days: FunnelDay[]; stages: StageTotal[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="px-4 py-2 text-left text-sm font-medium text-slate-700">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Day (UTC)
            </th>
            {stages.map((stage) => (
              <th key={stage.stage} scope="col" className="px-3 py-2 text-right">
                {stage.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {days.map((day) => (
            <tr key={day.day} data-day={day.day}>
              <th scope="row" className="px-3 py-2 font-mono font-normal text-slate-900">
                <time dateTime={day.day}>{day.day}</time>
              </th>
              {stages.map((stage) => (
                <td key={stage.stage} className="px-3 py-2 text-right tabular-nums">
                  {day[stage.stage]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-slate-200 bg-slate-50 font-semibold">
          <tr>
            <th scope="row" className="px-3 py-2">
              Total
            </th>
            {stages.map((stage) => (
              <td key={stage.stage} className="px-3 py-2 text-right tabular-nums">
                {stage.total}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
