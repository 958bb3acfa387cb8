import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import type { DayRange } from "@/lib/admin/funnel/range";

/** Chooses the funnel's days with a plain GET, so a range is a shareable URL. */
export function RangeForm({ range }: { range: DayRange }) {
  return (
    <form method="get" action="/admin/funnel" className="flex flex-wrap items-end gap-4">
      <div>
        <Label htmlFor="funnel-from">From (UTC day)</Label>
        <Input id="funnel-from" name="from" type="date" required defaultValue={range.from} className="mt-1" />
      </div>
      <div>
        <Label htmlFor="funnel-to">To (UTC day, included)</Label>
        <Input id="funnel-to" name="to" type="date" required defaultValue={range.to} className="mt-1" />
      </div>
      <Button type="submit">Show range</Button>
    </form>
  );
}
