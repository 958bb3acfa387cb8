import { z } from "zod";

export const PAGE_SIZE = 25;

/** What Next hands a page as `searchParams`. */
export type RawSearchParams = Record<string, string | string[] | undefined>;

/** A page number from the URL; anything else (a typo, `-1`, `abc`) reads as the first page. */
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

// Built from a string so the source holds no control characters of its own.
const CONTROL_CHARACTERS = new RegExp("[\\u0000-\\u001f\\u007f]", "g");

/** A free-text filter: trimmed, without control characters (PostgreSQL refuses a NUL), empty means none. */
export const textParam = z
  .string()
  .transform((value) => value.replace(CONTROL_CHARACTERS, "").trim())
  .pipe(z.string().max(200))
  .transform((value) => value || undefined)
  .optional()
  .catch(undefined);

/** One value of an enum (a Prisma enum object), or no filter at all for anything else. */
export function choiceParam<const T extends Readonly<Record<string, string>>>(values: T) {
  return z.enum(values).optional().catch(undefined);
}

/**
 * Parses a page's search params with a schema whose every field falls back to a default, so a
 * hand-edited URL shows the unfiltered page instead of an error. A repeated param counts once.
 */
export function parseSearchParams<S extends z.ZodType>(schema: S, raw: RawSearchParams): z.output<S> {
  const single = Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]),
  );
  return schema.parse(single);
}

export type Page<T> = { rows: T[]; total: number; page: number; pageCount: number };

/** Prisma's `skip`/`take` for a 1-based page. */
export function pageWindow(page: number): { skip: number; take: number } {
  return { skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE };
}

export function toPage<T>(rows: T[], total: number, page: number): Page<T> {
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}
