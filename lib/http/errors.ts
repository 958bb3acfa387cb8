import { ZodError } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { HubApiError } from "@/lib/hub/http";
import { errorResponse, HUB_REFUSED } from "./error-response";
import { log } from "@/lib/observability/log";

/** An error the client may see: a stable code, an HTTP status and a human message. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

// No connection free in the pool (P2024), or a transaction that waited too long, e.g. behind a lock (P2028).
const DATABASE_BUSY_CODES = new Set(["P2024", "P2028"]);

/**
 * The one mapper from thrown errors to responses. Validation problems become 400 with the
 * offending fields; AppErrors keep their status; anything else is a 500 whose details stay in
 * the server log and never reach the client.
 */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    const fields = error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
    return errorResponse("invalid_request", 400, fields);
  }
  if (error instanceof AppError) return errorResponse(error.code, error.status, error.message, error.headers);
  if (error instanceof HubApiError) {
    log.error({ status: error.status }, `Partner API failure: ${error.message}`);
    if (error.retryable) {
      return errorResponse(
        "hub_unavailable",
        502,
        "360dialog could not be reached to verify this. Please try again in a moment.",
      );
    }
    // A refusal (bad credentials, unknown partner, unexpected answer) will not pass on a retry,
    // so the browser offers none; the operator finds the cause in the log.
    return errorResponse(
      HUB_REFUSED,
      502,
      "360dialog refused the portal's request. The portal's 360dialog settings need attention; please contact support.",
    );
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && DATABASE_BUSY_CODES.has(error.code)) {
    log.error({ code: error.code }, "Database busy");
    return errorResponse("busy", 503, "The portal is busy right now. Please try again in a moment.", {
      "Retry-After": "1",
    });
  }
  log.error(
    `Unhandled error in route handler: ${error instanceof Error ? `${error.name}: ${error.message}` : "unknown error"}`,
  );
  return errorResponse("internal_error", 500, "Something went wrong on our side. Please try again.");
}

/** Reads a JSON body, answering 400 (not 500) for a body that is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_json", 400, "The request body must be JSON.");
  }
}
