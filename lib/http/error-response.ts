/** The body every API error has: `{ "error": { "code", "message" } }`. */
export type ApiErrorBody = { error: { code: string; message: string } };

/** 360dialog refused a Partner API call for a reason a retry does not fix (configuration). */
export const HUB_REFUSED = "hub_refused";

/** A JSON error response in the app's one shape, never cached. */
export function errorResponse(
  code: string,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}
