import "server-only";
import type { ApiErrorBody } from "@/lib/http/error-response";
import { toErrorResponse } from "@/lib/http/errors";
import type { ActionState } from "./action-state";

/**
 * Runs a console action and turns its outcome into one line for the page. Refusals keep their
 * human message; anything else goes through the API's one error mapper, which logs it and tells
 * the admin only that it failed, so no internal error text reaches the page.
 */
export async function runAdminAction(work: () => Promise<string>): Promise<ActionState> {
  try {
    return { status: "success", message: await work() };
  } catch (error) {
    const body = (await toErrorResponse(error).json()) as ApiErrorBody;
    return { status: "error", message: body.error.message };
  }
}
