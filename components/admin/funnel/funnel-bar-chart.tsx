"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import type { FunnelStage } from "@/lib/admin/funnel/stages";
import { STAGE_COLORS } from "./stage-colors";

export type FunnelBar = { stage: FunnelStage; label: string; total: number };

const AXIS_TEXT = { fill: "#334155", fontSize: 12 };

/**
 * The stage totals as horizontal bars. The picture is one image to assistive technology, named by
 * `label`; the numbers themselves are in the table beside it, so the chart's own keyboard layer is off.
 */
export function FunnelBarChart({ bars, label }: { bars: FunnelBar[]; label: string }) {
  return (
    <div role="img" aria-label={label}>
      <BarChart
        layout="vertical"
        data={bars}
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: 320 }}
        margin={{ top: 8, right: 40, bottom: 8, left: 8 }}
      >
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" allowDecimals={false} tick={AXIS_TEXT} stroke="#64748b" />
        <YAxis type="category" dataKey="label" width={170} tick={AXIS_TEXT} stroke="#64748b" />
        <Tooltip cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="total" name="Total" isAnimationActive={false}>
          {bars.map((bar) => (
            <Cell key={bar.stage} fill={STAGE_COLORS[bar.stage]} />
          ))}
          <LabelList dataKey="total" position="right" fill="#0f172a" fontSize={12} />
        </Bar>
      </BarChart>
    </div>
  );
}
