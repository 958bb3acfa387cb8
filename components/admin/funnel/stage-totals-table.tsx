import { formatPercent } from "@/lib/admin/funnel/format";
import type { StageTotal } from "@/lib/admin/funnel/load-funnel";

/** The bar chart's numbers as a table; `data-row` names each stage's row for tests. */
export function StageTotalsTable({ stages, caption }: { stages: StageTotal[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="px-4 py-2 text-left text-sm font-medium text-slate-700">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">
              Stage
            </th>
            <th scope="col" className="px-4 py-2">
              Counted
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Total
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Conversion from previous stage
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {stages.map((stage) => (
            <tr key={stage.stage} data-row={stage.stage}>
              <th scope="row" className="px-4 py-2 font-medium text-slate-900">
                {stage.label}
              </th>
              <td className="px-4 py-2 text-slate-700">{stage.unit}</td>
              <td className="px-4 py-2 text-right tabular-nums">{stage.total}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatPercent(stage.conversionPercent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
