import "server-only";
import type { z } from "zod";
import { inSpan } from "@/lib/observability/spans";
import { cloudApiErrorSchema, errorEnvelopeSchema, tokenResponseSchema } from "./schemas";

export type HubHttpConfig = {
  baseUrl: string;
  /** Names the API in errors and logs. */
  label?: string;
  apiKey?: string;
  /** A channel's API key: the messaging API authenticates with it instead of partner credentials. */
  channelApiKey?: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  retryBaseDelayMs?: number;
  fetch?: typeof fetch;
};

/** A Partner or messaging API failure, with 360dialog's message but never our credentials. */
export class HubApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    // The Hub's Retry-After on a 429, uncapped: a caller that schedules its own retry honours it.
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "HubApiError";
  }
}

const MAX_RETRY_AFTER_MS = 5_000;
// Refresh a bearer token this long before the Hub says it expires.
const TOKEN_SAFETY_MARGIN_MS = 60 * 60 * 1000;
const DEFAULT_TOKEN_LIFETIME_S = 24 * 60 * 60;

/**
 * The one HTTP path to 360dialog's Partner API: authentication (X-API-Key, else a cached
 * Bearer token from POST /token), a timeout per attempt, and retries with backoff on 429, 5xx
 * and network failures for reads only: a write such as API-key creation must never run twice.
 */
export function createHubHttp(config: HubHttpConfig) {
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const maxAttempts = config.maxAttempts ?? 3;
  const baseDelay = config.retryBaseDelayMs ?? 250;
  const label = config.label ?? "Partner API";
  let token: { value: string; refreshAt: number } | undefined;
  // Concurrent requests that find no valid token share one POST /token instead of each logging in.
  let login: Promise<{ value: string; refreshAt: number }> | undefined;

  async function authHeaders(): Promise<Record<string, string>> {
    if (config.channelApiKey) return { "D360-API-KEY": config.channelApiKey };
    if (config.apiKey) return { "X-API-Key": config.apiKey };
    if (!token || Date.now() >= token.refreshAt) {
      login ??= logIn().finally(() => {
        login = undefined;
      });
      token = await login;
    }
    return { Authorization: `Bearer ${token.value}` };
  }

  async function logIn(): Promise<{ value: string; refreshAt: number }> {
    if (!config.username || !config.password)
      throw new HubApiError("No Partner API credentials are configured", null, false);
    const body = await send(
      "POST",
      "/token",
      tokenResponseSchema,
      { username: config.username, password: config.password },
      {},
    );
    const lifetimeMs = (body.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    return {
      value: body.access_token,
      refreshAt: Date.now() + Math.max(lifetimeMs - TOKEN_SAFETY_MARGIN_MS, lifetimeMs / 2),
    };
  }

  async function send<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<T> {
    let lastError: HubApiError | undefined;
    const attempts = method === "GET" || path === "/token" ? maxAttempts : 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let delayMs = baseDelay * 2 ** (attempt - 1);
      try {
        const response = await doFetch(`${config.baseUrl}${path}`, {
          method,
          headers: {
            Accept: "application/json",
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
          cache: "no-store",
          // fetch forwards X-API-Key and D360-API-KEY to wherever a redirect points: follow none.
          redirect: "error",
        });
        const payload: unknown = await response.json().catch(() => undefined);
        if (response.ok) {
          const parsed = schema.safeParse(payload);
          if (!parsed.success)
            throw new HubApiError(`Unexpected response shape from ${label} ${method} ${path}`, response.status, false);
          return parsed.data;
        }
        const retryable = response.status === 429 || response.status >= 500;
        const retryAfter = Number(response.headers.get("retry-after"));
        lastError = new HubApiError(
          describeFailure(`${label} ${method} ${path}`, response.status, payload),
          response.status,
          retryable,
          Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
        );
        if (!retryable) throw lastError;
        delayMs = Math.max(delayMs, retryAfterMs(response.headers.get("retry-after")));
      } catch (error) {
        if (error instanceof HubApiError && !error.retryable) throw error;
        if (!(error instanceof HubApiError)) {
          const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be reached";
          lastError = new HubApiError(`${label} ${method} ${path} ${reason}`, null, true);
        }
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    throw lastError ?? new HubApiError(`${label} ${method} ${path} failed`, null, true);
  }

  return {
    request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
      // Method and path only: ids are not secret, credentials and bodies stay out of traces.
      return inSpan(`${label} ${method}`, { "http.request.method": method, "url.path": path }, async () => {
        try {
          return await send(method, path, schema, body, await authHeaders());
        } catch (error) {
          // An expired or revoked bearer token: log in again once.
          if (error instanceof HubApiError && error.status === 401 && token) {
            token = undefined;
            return send(method, path, schema, body, await authHeaders());
          }
          throw error;
        }
      });
    },
  };
}

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : 0;
}

function describeFailure(request: string, status: number, payload: unknown): string {
  const envelope = errorEnvelopeSchema.safeParse(payload);
  if (envelope.success && envelope.data.meta.developer_message) {
    return `${request} answered ${status}: ${envelope.data.meta.developer_message}`;
  }
  // The messaging API forwards Meta's Cloud API errors.
  const cloudError = cloudApiErrorSchema.safeParse(payload);
  if (cloudError.success) {
    const { message, code } = cloudError.data.error;
    return `${request} answered ${status}: ${message}${code === undefined ? "" : ` (code ${code})`}`;
  }
  return `${request} answered ${status}`;
}
