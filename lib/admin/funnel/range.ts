import { z } from "zod";

/** Inclusive range of UTC calendar days, each as YYYY-MM-DD. */
export type DayRange = { from: string; to: string };

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;

const calendarDay = z
  .string({ error: "must be YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
  // Date.parse accepts 2026-02-30 by rolling it over; a real day survives the round trip unchanged.
  .refine((day) => !Number.isNaN(Date.parse(day)) && new Date(day).toISOString().slice(0, 10) === day, {
    message: "is not a calendar day",
  });

const rangeSchema = z
  .object({ from: calendarDay, to: calendarDay })
  .refine((range) => range.from <= range.to, { message: "the start is after the end" })
  .refine((range) => daysBetween(range.from, range.to) < MAX_RANGE_DAYS, {
    message: `a range may span at most ${MAX_RANGE_DAYS} days`,
  });

export type RangeChoice = { range: DayRange; notice: string | null };

/**
 * The range a page's `?from=&to=` asks for. Anything it cannot use falls back to the last
 * {@link DEFAULT_RANGE_DAYS} days with a notice saying why, so a hand-edited URL never breaks the page.
 */
export function parseDayRange(params: Record<string, string | string[] | undefined>, now: Date): RangeChoice {
  if (params.from === undefined && params.to === undefined) return { range: defaultRange(now), notice: null };
  const parsed = rangeSchema.safeParse({ from: params.from, to: params.to });
  if (parsed.success) return { range: parsed.data, notice: null };
  const issue = parsed.error.issues[0];
  const reason = issue ? [...issue.path, issue.message].join(" ") : "invalid";
  return {
    range: defaultRange(now),
    notice: `The requested range could not be used (${reason}); showing the last ${DEFAULT_RANGE_DAYS} days instead.`,
  };
}

/** The last {@link DEFAULT_RANGE_DAYS} UTC days, today included. */
export function defaultRange(now: Date): DayRange {
  const to = toDay(now);
  return { from: addDays(to, -(DEFAULT_RANGE_DAYS - 1)), to };
}

/** Every day of the range, in order. */
export function daysOf(range: DayRange): string[] {
  const count = daysBetween(range.from, range.to) + 1;
  return Array.from({ length: count }, (_, index) => addDays(range.from, index));
}

function toDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return toDay(new Date(Date.parse(day) + days * DAY_MS));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}
