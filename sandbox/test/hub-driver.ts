/**
 * Drives the sandbox the way its tests and the benchmark do: fixed test credentials, signed IO
 * URLs, a whole onboarding, the control API. Free of vitest, so scripts can use it too.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxConfig } from "../config";
import { startSandbox, type RunningSandbox } from "../server";

export const PARTNER_ID = "testPA";
export const SECRET = "test-platform-secret";
export const API_KEY = "test-partner-api-key";

/** Fixed values rather than the environment, so the suite means the same thing everywhere. */
export function startTestSandbox(overrides: Partial<SandboxConfig> = {}): Promise<RunningSandbox> {
  return startSandbox({
    host: "127.0.0.1",
    port: 0,
    smtpPort: 0,
    partnerId: PARTNER_ID,
    platformSecret: SECRET,
    apiKey: API_KEY,
    username: "user",
    password: "pass",
    ioSignatureRequired: true,
    partnerRedirectUrl: "http://portal.test:3000/onboarding",
    webhookUrl: "",
    webhookDelayMs: 5,
    webhookTimeoutMs: 1000,
    retryBaseMs: 20,
    retryMaxAttempts: 4,
    signatureMaxAgeSeconds: 24 * 60 * 60,
    lifecycleUntil: "live",
    apiKeysShape: "flat",
    webhookShape: "channel",
    // Off by default here so tests can create keys back to back; the rate-limit test turns it on.
    apiKeyMinIntervalSeconds: 0,
    messageSentDelayMs: 0,
    messageDeliveredDelayMs: 0,
    stateFile: null,
    ...overrides,
  });
}

/** Computed here with node:crypto, independently of sandbox/io-signature.ts. */
export function ioSign(timestamp: number | string, secret = SECRET, partnerId = PARTNER_ID): string {
  return createHmac("sha512", secret).update(`${partnerId}|${timestamp}`).digest("hex");
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

let stepBack = 0;
/**
 * A signature is a function of the timestamp alone, so two opened in the same second are the same
 * signature and the second is refused as used; each helper-opened page therefore gets its own second.
 */
const base = nowSeconds() - 60;
export const freshTimestamp = (): number => base - (stepBack++ % 3600);

export function ioUrl(sandbox: RunningSandbox, params: Record<string, string>, partnerId = PARTNER_ID): string {
  return `${sandbox.url}/dashboard/app/${partnerId}?${new URLSearchParams(params).toString()}`;
}

export async function openSignedIo(
  sandbox: RunningSandbox,
  extra: Record<string, string> = {},
  timestamp = freshTimestamp(),
): Promise<{ response: Response; html: string; session: string }> {
  const response = await fetch(
    ioUrl(sandbox, { ...extra, io_signature: ioSign(timestamp), io_timestamp: String(timestamp) }),
  );
  const html = await response.text();
  const session = /name="session" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { response, html, session };
}

export function offeredNumbers(html: string): string[] {
  return [...html.matchAll(/name="numbers" value="([^"]+)"/g)].map((m) => m[1] ?? "");
}

export async function submitIo(sandbox: RunningSandbox, fields: [string, string][]): Promise<Response> {
  return fetch(`${sandbox.url}/dashboard/app/${PARTNER_ID}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** Opens a signed page and submits it; returns the redirect target's parsed ids. */
export async function onboard(
  sandbox: RunningSandbox,
  options: {
    /** Pre-filled by the Connect Button's `email` parameter. */
    email: string;
    /** What the client types over it at the Hub; defaults to the pre-filled one. */
    typedEmail?: string;
    name?: string;
    numbers?: number;
    billing?: "partner_paid" | "direct_paid";
    permission?: boolean;
    revoke?: string[];
    state?: string;
  },
): Promise<{ location: string; client: string; channels: string[]; revoked: string[] }> {
  const { html, session } = await openSignedIo(sandbox, {
    email: options.email,
    ...(options.state ? { state: options.state } : {}),
  });
  const numbers = offeredNumbers(html).slice(0, options.numbers ?? 1);
  const fields: [string, string][] = [
    ["session", session],
    ["email", options.typedEmail ?? options.email],
    ["name", options.name ?? "Acme"],
    ["billing", options.billing ?? "partner_paid"],
    ...numbers.map((n): [string, string] => ["numbers", n]),
    ...(options.revoke ?? []).map((id): [string, string] => ["revoke", id]),
  ];
  if (options.permission) fields.push(["api_key_permission", "on"]);
  const response = await submitIo(sandbox, fields);
  if (response.status !== 302)
    throw new Error(`onboarding submit answered ${response.status}: ${await response.text()}`);
  const location = response.headers.get("location") ?? "";
  const query = new URL(location).searchParams;
  const list = (v: string | null): string[] => (v ? v.slice(1, -1).split(",").filter(Boolean) : []);
  return {
    location,
    client: query.get("client") ?? "",
    channels: list(query.get("channels")),
    revoked: list(query.get("revoked")),
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  json: { id: string; event: string; data: Record<string, unknown> };
}

/** A real HTTP webhook receiver; `answer` decides the status per request (default 200). */
export async function startReceiver(
  answer: (req: Received, index: number) => number | "hang" = () => 200,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const entry: Received = { headers: req.headers, raw, json: JSON.parse(raw) as Received["json"] };
      received.push(entry);
      const status = answer(entry, received.length - 1);
      if (status === "hang") return;
      res.writeHead(status, { "content-type": "text/plain" }).end(String(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/360dialog`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Always declares JSON: the sandbox refuses state-changing control calls without it, body or not. */
export async function control<T = Record<string, unknown>>(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

export function api(
  sandbox: RunningSandbox,
  path: string,
  init: RequestInit & { auth?: "key" | "none" | string } = {},
): Promise<Response> {
  const { auth = "key", ...rest } = init;
  const headers = new Headers(rest.headers);
  if (auth === "key") headers.set("X-API-Key", API_KEY);
  else if (auth !== "none") headers.set("Authorization", `Bearer ${auth}`);
  if (rest.body !== undefined) headers.set("content-type", "application/json");
  return fetch(`${sandbox.url}/api/v2${path}`, { ...rest, headers });
}
