"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { FunnelDay } from "@/lib/admin/funnel/load-funnel";
import { FUNNEL_STAGES, type FunnelStage } from "@/lib/admin/funnel/stages";
import { STAGE_COLORS } from "./stage-colors";

export type DailySeries = { stage: FunnelStage; label: string };

const AXIS_TEXT = { fill: "#334155", fontSize: 12 };
// Beyond a couple of weeks the dots crowd the lines without adding anything the table lacks.
const MAX_DAYS_WITH_DOTS = 14;

// Legend and tooltip read in funnel order, not alphabetically (recharts' default).
function funnelOrder(item: { dataKey?: unknown }): number {
  return FUNNEL_STAGES.findIndex((stage) => stage === item.dataKey);
}

/** One line per stage over the range's days; named by `label`, its numbers are in the table view. */
export function DailyChart({ days, series, label }: { days: FunnelDay[]; series: DailySeries[]; label: string }) {
  const dots = days.length <= MAX_DAYS_WITH_DOTS;
  return (
    <div role="img" aria-label={label}>
      <LineChart
        data={days}
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: 360 }}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid stroke="#e2e8f0" />
        <XAxis dataKey="day" tick={AXIS_TEXT} stroke="#64748b" minTickGap={24} />
        <YAxis allowDecimals={false} tick={AXIS_TEXT} stroke="#64748b" />
        <Tooltip itemSorter={funnelOrder} />
        <Legend wrapperStyle={{ color: "#0f172a", fontSize: 12 }} itemSorter={funnelOrder} />
        {series.map((line) => (
          <Line
            key={line.stage}
            type="linear"
            dataKey={line.stage}
            name={line.label}
            stroke={STAGE_COLORS[line.stage]}
            strokeWidth={2}
            dot={dots}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </div>
  );
}
