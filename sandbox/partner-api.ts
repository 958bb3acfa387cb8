import { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { SandboxContext } from "./context";
import type { ApiFault } from "./faults";
import { channelJson, findClient } from "./channel-json";
import { hubError } from "./hub-errors";
import { newApiKey, newApiKeyId, newAppId } from "./ids";
import { secretsEqual } from "./secrets";
import type { ApiKeyRecord, ChannelRecord, ClientRecord } from "./state";
import { httpUrl, webhookUrlSetting } from "./urls";

const partnerPatch = z
  .object({ partner_redirect_url: httpUrl.optional(), webhook_url: webhookUrlSetting.optional() })
  .strict();
const webhookBody = z.object({ webhook_url: webhookUrlSetting });
const tokenBody = z.object({ username: z.string(), password: z.string() });

/** The Partner API under /api/v2, real paths and shapes; only what the portal calls. */
export function partnerApi(ctx: SandboxContext): Hono {
  const app = new Hono();

  // Faults sit in front of the API like a failing gateway: before the handler, or after it on the way back.
  app.use("*", async (c, next) => {
    const fault = ctx.faults.takeApi(c.req.path, c.req.method);
    if (!fault) return next();
    if (fault.phase === "before") return faultAnswer(ctx, c, fault);
    await next();
    c.res = await faultAnswer(ctx, c, fault);
  });

  app.post("/token", async (c) => {
    const parsed = tokenBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return hubError(c, 400, "username and password are required");
    // Both compared every time, so the timing does not tell which of the two was wrong.
    const usernameOk = secretsEqual(parsed.data.username, ctx.config.username);
    const passwordOk = secretsEqual(parsed.data.password, ctx.config.password);
    if (!usernameOk || !passwordOk) {
      return hubError(c, 401, "Invalid username or password");
    }
    const ttl = ctx.config.tokenTtlSeconds;
    return c.json({ access_token: ctx.tokens.issue(ttl), token_type: "Bearer", expires_in: ttl });
  });

  app.use("/partners/*", async (c, next) => {
    const apiKey = c.req.header("x-api-key");
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    const authorized =
      (apiKey !== undefined && secretsEqual(apiKey, ctx.config.apiKey)) ||
      (bearer !== undefined && ctx.tokens.isValid(bearer));
    if (!authorized) return hubError(c, 401, "Missing or invalid credentials (X-API-Key or Authorization: Bearer)");
    return next();
  });

  app.use("/partners/:pid/*", async (c, next) => {
    if (c.req.param("pid") !== ctx.config.partnerId)
      return hubError(c, 403, "These credentials do not belong to this partner");
    return next();
  });
  app.use("/partners/:pid", async (c, next) => {
    if (c.req.param("pid") !== ctx.config.partnerId)
      return hubError(c, 403, "These credentials do not belong to this partner");
    return next();
  });

  app.get("/partners/:pid", (c) => c.json(partnerJson(ctx)));
  app.patch("/partners/:pid", async (c) => {
    const parsed = partnerPatch.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success)
      return hubError(c, 400, `Invalid body: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    const partner = ctx.store.state.partner;
    if (parsed.data.partner_redirect_url !== undefined) partner.partnerRedirectUrl = parsed.data.partner_redirect_url;
    if (parsed.data.webhook_url !== undefined) partner.webhookUrl = parsed.data.webhook_url;
    ctx.store.changed();
    return c.json(partnerJson(ctx));
  });

  app.get("/partners/:pid/webhook_url", (c) => c.json({ webhook_url: ctx.store.state.partner.webhookUrl }));
  app.post("/partners/:pid/webhook_url", async (c) => {
    const parsed = webhookBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return hubError(c, 400, "webhook_url must be a URL");
    ctx.store.state.partner.webhookUrl = parsed.data.webhook_url;
    ctx.store.changed();
    return c.json({ webhook_url: parsed.data.webhook_url });
  });

  app.get("/partners/:pid/clients", (c) => {
    const filters = parseFilters(c, CLIENT_FILTER_KEYS);
    if (typeof filters === "string") return hubError(c, 400, filters);
    const matching = ctx.store.state.clients.filter(
      (cl) =>
        cl.partnerId === ctx.config.partnerId &&
        matches(filters, { id: cl.id, name: cl.name, status: "active", "contact_info.email": cl.email }),
    );
    return page(c, matching.map(clientJson), "clients");
  });

  app.get("/partners/:pid/channels", (c) => {
    const filters = parseFilters(c, CHANNEL_FILTER_KEYS);
    if (typeof filters === "string") return hubError(c, 400, filters);
    const matching = ownChannels(ctx).filter((ch) =>
      matches(filters, {
        id: ch.id,
        client_id: ch.clientId,
        status: ch.status,
        "setup_info.phone_number": ch.phoneNumber,
        "client.contact_info.email": findClient(ctx, ch.clientId)?.email ?? "",
        "waba_account.id": ch.wabaId,
      }),
    );
    return page(
      c,
      matching.map((ch) => channelJson(ctx, ch)),
      "partner_channels",
    );
  });

  app.get("/partners/:pid/clients/:clientId/shared_client_numbers", (c) => {
    const client = findClient(ctx, c.req.param("clientId"));
    if (!client) return hubError(c, 404, "Client not found");
    const shared = client.billing === "partner_paid" || client.apiKeyPermission;
    const numbers = shared
      ? ctx.store.state.channels
          .filter((ch) => ch.clientId === client.id && ch.revokedAt === null)
          .map((ch) => ({ channel_id: ch.id, phone_number: ch.phoneNumber, status: ch.status }))
      : [];
    return c.json({ count: numbers.length, total: numbers.length, shared_client_numbers: numbers });
  });

  // The channel's working keys, to read back a creation whose answer was lost.
  app.get("/partners/:pid/channels/:channelId/api_keys", (c) => {
    const channel = ownChannels(ctx).find((ch) => ch.id === c.req.param("channelId"));
    if (!channel) return hubError(c, 404, "Channel not found");
    const keys = ctx.store.state.apiKeys.filter((key) => key.channelId === channel.id && !key.revokedAt);
    return c.json({
      api_keys: keys.map((key) => ({ address: key.address, api_key: key.apiKey, app_id: key.appId, id: key.id })),
    });
  });

  app.post("/partners/:pid/channels/:channelId/api_keys", (c) => {
    const channel = ownChannels(ctx).find((ch) => ch.id === c.req.param("channelId"));
    if (!channel) return hubError(c, 404, "Channel not found");
    if (channel.status !== "running" && channel.status !== "live") {
      return hubError(c, 400, `Channel is ${channel.status}; API keys can be created only for running channels`);
    }
    if (channel.revokedAt) {
      return hubError(c, 403, "The client has revoked the partner's permission on this number");
    }
    const client = findClient(ctx, channel.clientId);
    if (client && client.billing === "direct_paid" && !client.apiKeyPermission) {
      return hubError(c, 403, "The client has not granted the partner permission to create API keys");
    }
    const state = ctx.store.state;
    const last = state.apiKeys.filter((key) => key.channelId === channel.id).at(-1);
    const waitMs = last ? Date.parse(last.createdAt) + ctx.config.apiKeyMinIntervalSeconds * 1000 - Date.now() : 0;
    if (waitMs > 0) {
      c.header("Retry-After", String(Math.ceil(waitMs / 1000)));
      return hubError(c, 429, "Only one API key can be created per channel every 30 seconds");
    }
    const now = new Date().toISOString();
    // Like the Hub, a new key replaces the old one: the previous key stops working.
    for (const key of state.apiKeys) if (key.channelId === channel.id && !key.revokedAt) key.revokedAt = now;
    // The messaging API's base is the sandbox itself, so a client that goes on to configure the
    // channel at `<address>/v1/...` stays on this machine instead of calling the real 360dialog.
    const address = new URL(c.req.url).origin;
    const key: ApiKeyRecord = {
      id: newApiKeyId(),
      channelId: channel.id,
      apiKey: newApiKey(),
      address,
      appId: newAppId(),
      createdAt: now,
      revokedAt: null,
    };
    state.apiKeys.push(key);
    state.apiKeyCreations[channel.id] = (state.apiKeyCreations[channel.id] ?? 0) + 1;
    // The number's messaging webhook goes with the old key; it must be set again with the new one.
    ctx.messaging.clearWebhook(channel.id);
    ctx.store.changed();
    const flat = { address: key.address, api_key: key.apiKey, app_id: key.appId, id: key.id };
    return c.json(ctx.config.apiKeysShape === "wrapped" ? { api_keys: [flat] } : flat, 201);
  });

  return app;
}

async function faultAnswer(ctx: SandboxContext, c: Context, fault: ApiFault): Promise<Response> {
  if (fault.kind === "reset") {
    // The client sees ECONNRESET or "other side closed"; what is returned below never leaves.
    incomingSocket(c)?.destroy();
    return new Response(null, { status: 502 });
  }
  if (fault.kind === "429") {
    c.header("Retry-After", String(fault.retryAfterSeconds));
    return hubError(c, 429, "Too many requests (sandbox fault)");
  }
  if (fault.kind === "timeout") {
    await ctx.timers.sleep(fault.delayMs);
    return hubError(c, 504, "Gateway timeout (sandbox fault)");
  }
  return hubError(c, 500, "Internal server error (sandbox fault)");
}

/** The raw socket under the request (Hono on @hono/node-server puts the Node request in `env`). */
function incomingSocket(c: Context): Socket | null {
  const env: unknown = c.env;
  if (typeof env !== "object" || env === null || !("incoming" in env)) return null;
  return env.incoming instanceof IncomingMessage ? env.incoming.socket : null;
}

function ownChannels(ctx: SandboxContext): ChannelRecord[] {
  const clients = new Set(
    ctx.store.state.clients.filter((cl) => cl.partnerId === ctx.config.partnerId).map((cl) => cl.id),
  );
  return ctx.store.state.channels.filter((ch) => clients.has(ch.clientId));
}

// The filter keys the real Partner API documents for each list; anything else is a 400 there too,
// never a silent "everything matches".
const CLIENT_FILTER_KEYS = ["id", "name", "status", "contact_info.email"];
const CHANNEL_FILTER_KEYS = [
  "id",
  "client_id",
  "status",
  "setup_info.phone_number",
  "client.contact_info.email",
  "waba_account.id",
];

/** The `filters` query as an object, or the problem with it. */
function parseFilters(c: Context, allowed: string[]): Record<string, unknown> | string {
  const raw = c.req.query("filters");
  if (raw === undefined || raw === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return "filters must be a JSON object";
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return "filters must be a JSON object";
  const unknown = Object.keys(parsed).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) return `Unknown filter key(s): ${unknown.join(", ")}`;
  return parsed as Record<string, unknown>;
}

/** Equality on every filtered field; emails compare case-insensitively, as the Hub's do. */
function matches(filters: Record<string, unknown>, fields: Record<string, string>): boolean {
  return Object.entries(filters).every(([key, wanted]) => {
    const value = fields[key] ?? "";
    return key.endsWith("email")
      ? value.toLowerCase() === String(wanted).trim().toLowerCase()
      : value === String(wanted);
  });
}

function page(c: Context, items: unknown[], key: "clients" | "partner_channels"): Response {
  const limit = clampInt(c.req.query("limit"), 20, 1, 1000);
  const offset = clampInt(c.req.query("offset"), 0, 0, Number.MAX_SAFE_INTEGER);
  const slice = items.slice(offset, offset + limit);
  return c.json({ count: slice.length, total: items.length, limit, offset, [key]: slice });
}

function clampInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function partnerJson(ctx: SandboxContext): Record<string, unknown> {
  return {
    id: ctx.config.partnerId,
    name: "Sandbox partner",
    partner_redirect_url: ctx.store.state.partner.partnerRedirectUrl,
    webhook_url: ctx.store.state.partner.webhookUrl,
  };
}

function clientJson(client: ClientRecord): Record<string, unknown> {
  return {
    id: client.id,
    name: client.name,
    status: "active",
    partner_id: client.partnerId,
    contact_info: { email: client.email },
    billing_model: client.billing,
    api_key_permission: client.billing === "partner_paid" || client.apiKeyPermission,
    created_at: client.createdAt,
    modified_at: client.modifiedAt,
  };
}
