import { AppError, readJson } from "./errors";

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The JSON body of a state-changing request from the portal's own pages. A browser always sends
 * `Origin` on a POST, so another site's form or script is refused (403) before anything happens;
 * requiring `application/json` keeps out the `text/plain` and form bodies a cross-site form can
 * send without a CORS preflight (415).
 */
export async function readSameOriginJson(request: Request, appUrl: string): Promise<unknown> {
  if (request.headers.get("origin") !== new URL(appUrl).origin) {
    throw new AppError("cross_origin", 403, "This request must come from the portal's own pages.");
  }
  if (!JSON_CONTENT_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", 415, "Send the request body as application/json.");
  }
  return readJson(request);
}
