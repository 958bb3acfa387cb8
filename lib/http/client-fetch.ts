import { HUB_REFUSED } from "./error-response";

/** An API failure as the browser sees it: our `{ error: { code, message } }` body, or a network fault. */
export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** Whether trying the same request again may succeed: the network, a 5xx or a rate limit. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiRequestError) || error.code === HUB_REFUSED) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** fetch for our own JSON API from the browser, throwing ApiRequestError on any failure. */
export async function fetchJson<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { credentials: "same-origin", cache: "no-store", ...init });
  } catch {
    throw new ApiRequestError(
      "network_error",
      0,
      "The portal could not be reached. Check your connection and try again.",
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiRequestError(
      error?.code ?? "http_error",
      response.status,
      error?.message ?? `Request failed (${response.status}).`,
    );
  }
  return body as T;
}
