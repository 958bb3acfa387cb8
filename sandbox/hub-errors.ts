import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The Hub's error envelope, as seen in the wild. */
export function hubError(c: Context, status: ContentfulStatusCode, message: string): Response {
  return c.json({ meta: { success: false, http_code: status, developer_message: message } }, status);
}
