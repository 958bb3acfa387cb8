import { errorResponse } from "@/lib/http/error-response";
import { AppError, toErrorResponse } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";

/**
 * What the Hub hears when a webhook was not stored. Refusals (signature, size, shape) keep their
 * 4xx. Anything else means the event is not durable (the database is down, say): 503, so the Hub
 * delivers it again; a 2xx is only ever sent for an event already stored.
 */
export function webhookErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return toErrorResponse(error);
  log.error({ error: error instanceof Error ? error.name : "unknown error" }, "Webhook not stored");
  return errorResponse("not_stored", 503, "The event could not be stored; please deliver it again.", {
    "Retry-After": "10",
  });
}
