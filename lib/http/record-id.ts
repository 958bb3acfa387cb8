import { z } from "zod";

/**
 * An id from a form, a path or a query (ours are cuids and UUIDs, the Hub's short alphanumerics).
 * The character set is the check that matters: a NUL would reach PostgreSQL, which refuses it in
 * text, and the refusal would surface as a 500 instead of the 4xx a malformed id deserves.
 */
export function recordId(maxLength = 64) {
  return z.string().regex(new RegExp(`^[A-Za-z0-9_-]{1,${maxLength}}$`), "is not a valid id");
}
