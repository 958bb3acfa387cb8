/** Shown where a number cannot be computed: no previous stage, nothing to divide by, no data. */
export const NOT_AVAILABLE = "—";

const UNITS = [
  { ms: 86_400_000, label: "d" },
  { ms: 3_600_000, label: "h" },
  { ms: 60_000, label: "min" },
  { ms: 1_000, label: "s" },
] as const;

/** A duration as its two largest units, rounded down ("2 d 3 h", "4 min 12 s"), or "—" when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return NOT_AVAILABLE;
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms < 1_000) return "under 1 s";
  const parts: string[] = [];
  let rest = ms;
  for (const unit of UNITS) {
    const amount = Math.floor(rest / unit.ms);
    rest -= amount * unit.ms;
    if (amount > 0 || parts.length > 0) parts.push(`${amount} ${unit.label}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith("0 ")).join(" ");
}

/** A conversion as a whole percentage ("50%", "200%"), or "—" when there is nothing to compare with. */
export function formatPercent(percent: number | null): string {
  return percent === null ? NOT_AVAILABLE : `${Math.round(percent)}%`;
}
