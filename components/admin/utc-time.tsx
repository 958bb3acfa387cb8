/** A timestamp as the console shows it: minutes, UTC, the same for every admin. */
export function UtcTime({ iso, fallback = "–" }: { iso: string | null; fallback?: string }) {
  if (!iso) return <span className="text-slate-600">{fallback}</span>;
  return (
    <time dateTime={iso} className="whitespace-nowrap">
      {iso.slice(0, 16).replace("T", " ")} UTC
    </time>
  );
}
