import { formatDuration, formatPercent } from "@/lib/admin/funnel/format";
import type { FunnelReport } from "@/lib/admin/funnel/load-funnel";

const TILE = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm";

/**
 * The range's headline numbers. Each stage total carries `data-stage`, the timings `data-metric`,
 * so tests read them without depending on the layout.
 */
export function FunnelSummary({ report }: { report: FunnelReport }) {
  return (
    <div className="space-y-4">
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {report.stages.map((stage, index) => (
          <div key={stage.stage} className={TILE}>
            <dt className="text-sm font-medium text-slate-700">{stage.label}</dt>
            <dd className="mt-1 text-3xl font-semibold tabular-nums text-slate-900" data-stage={stage.stage}>
              {stage.total}
            </dd>
            <dd className="mt-1 text-xs text-slate-600">
              {stage.unit}
              {index > 0 ? ` · ${formatPercent(stage.conversionPercent)} of the previous stage` : null}
            </dd>
          </div>
        ))}
      </dl>
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className={TILE}>
          <dt className="text-sm font-medium text-slate-700">Click to key, median</dt>
          <dd className="mt-1 text-2xl font-semibold text-slate-900" data-metric="click_to_key_median">
            {formatDuration(report.clickToKey.medianMs)}
          </dd>
          <dd className="mt-1 text-xs text-slate-600">
            over {report.clickToKey.channels} {report.clickToKey.channels === 1 ? "channel" : "channels"} keyed in the
            range
          </dd>
        </div>
        <div className={TILE}>
          <dt className="text-sm font-medium text-slate-700">Click to key, 90th percentile</dt>
          <dd className="mt-1 text-2xl font-semibold text-slate-900" data-metric="click_to_key_p90">
            {formatDuration(report.clickToKey.p90Ms)}
          </dd>
          <dd className="mt-1 text-xs text-slate-600">from the client&apos;s first Connect click</dd>
        </div>
        <div className={TILE}>
          <dt className="text-sm font-medium text-slate-700">Messages sent</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-metric="messages_sent">
            {report.messagesSent}
          </dd>
          <dd className="mt-1 text-xs text-slate-600">all sent, delivered or read, not only the first per channel</dd>
        </div>
      </dl>
    </div>
  );
}
