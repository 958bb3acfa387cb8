import { Hono, type Context } from "hono";
import { z } from "zod";
import { CHANNEL_STATUSES, LIMITS, type IntRange } from "./config";
import type { SandboxContext } from "./context";
import { changeQuality, moveChannel } from "./events";
import { signIo } from "./io-signature";
import { channelMessagingView, messagingSnapshot } from "./messaging-view";
import { httpUrl, webhookUrlSetting } from "./urls";

// Everything under /__sandbox/ is the sandbox's own API (JSON in and out), never 360dialog's.

const intIn = (range: IntRange) => z.number().int().min(range.min).max(range.max);
const count = z.number().int().min(1).max(1000).default(1);
const deliveryFault = z
  .object({
    kind: z.enum(["duplicate", "reorder", "fail"]),
    count,
    failAttempts: z.number().int().min(1).max(50).default(1),
  })
  .strict();
const apiFault = z
  .object({
    kind: z.enum(["500", "429", "timeout", "reset"]),
    phase: z.enum(["before", "after"]).default("before"),
    count,
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    delayMs: z.number().int().min(0).max(600_000).default(30_000),
    pathContains: z.string().min(1).nullable().default(null),
    method: z.enum(["GET", "POST", "PATCH"]).nullable().default(null),
  })
  .strict();
const messageFault = z.object({ count }).strict();
const inboundBody = z
  .object({
    from: z.string().regex(/^\+?\d{7,15}$/, "from must be a phone number of 7 to 15 digits"),
    text: z.string().min(1).max(4096).default("Hello"),
    name: z.string().min(1).default("Sandbox customer"),
  })
  .strict();
const ms = intIn(LIMITS.delayMs);
const configPatch = z
  .object({
    partnerId: z.string().min(1),
    platformSecret: z.string(),
    apiKey: z.string().min(1),
    username: z.string().min(1),
    password: z.string().min(1),
    ioSignatureRequired: z.boolean(),
    partnerRedirectUrl: httpUrl,
    webhookUrl: webhookUrlSetting,
    webhookDelayMs: ms,
    webhookTimeoutMs: ms,
    retryBaseMs: ms,
    retryMaxDelayMs: ms,
    retryMaxAttempts: intIn(LIMITS.retryMaxAttempts),
    signatureMaxAgeSeconds: z.number().int().min(0),
    tokenTtlSeconds: z.number().int().min(1),
    lifecycleUntil: z.enum(CHANNEL_STATUSES),
    apiKeysShape: z.enum(["flat", "wrapped"]),
    webhookShape: z.enum(["channel", "flat", "seed"]),
    apiKeyMinIntervalSeconds: z.number().int().min(0).max(3600),
    messageSentDelayMs: ms,
    messageDeliveredDelayMs: ms,
  })
  .partial()
  .strict();
const statusBody = z.object({ status: z.enum(CHANNEL_STATUSES), emit: z.boolean().default(true) }).strict();
const qualityBody = z.object({ value: z.string().min(1), quality: z.string().min(1).optional() }).strict();
const clientPatch = z
  .object({ billing: z.enum(["partner_paid", "direct_paid"]), apiKeyPermission: z.boolean() })
  .partial()
  .strict();
const eventBody = z
  .object({
    event: z.string().min(1),
    data: z.record(z.string(), z.unknown()).default({}),
    id: z.string().min(1).optional(),
  })
  .strict();

async function body<T>(
  c: Context,
  schema: z.ZodType<T>,
): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const raw: unknown = await c.req.json().catch(() => ({}));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    response: c.json(
      { error: "invalid body", issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
      400,
    ),
  };
}

/**
 * Secrets stay out of JSON views; tests get them from startSandbox's `config`. The partner URLs
 * are the live Hub state (the Partner API changes them), not the values the sandbox started with.
 */
export function publicConfig(ctx: SandboxContext): Record<string, unknown> {
  const { config } = ctx;
  const view: Record<string, unknown> = { ...config, ...ctx.store.state.partner };
  for (const hidden of ["platformSecret", "apiKey", "password", "logger"]) delete view[hidden];
  return {
    ...view,
    platformSecretSet: config.platformSecret !== "",
    apiKeySet: config.apiKey !== "",
    passwordSet: config.password !== "",
  };
}

const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function isJsonContentType(value: string | undefined): boolean {
  return value?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

export function controlApi(ctx: SandboxContext, reset: () => void): Hono {
  const app = new Hono();

  // Browsers send text/plain, urlencoded and multipart bodies cross-site without asking first;
  // a JSON body needs a CORS preflight the sandbox never grants, so no web page can reset or
  // fault a developer's sandbox behind their back.
  app.use("*", async (c, next) => {
    if (!MUTATING_METHODS.has(c.req.method) || isJsonContentType(c.req.header("content-type"))) return next();
    return c.json({ error: "requests that change the sandbox need content-type: application/json" }, 415);
  });

  app.get("/health", (c) =>
    c.json({ ok: true, partnerId: ctx.config.partnerId, ioSignatureRequired: ctx.config.ioSignatureRequired }),
  );

  app.post("/reset", (c) => {
    reset();
    return c.json({ ok: true });
  });

  app.get("/state", (c) => c.json(snapshot(ctx)));

  app.get("/config", (c) => c.json(publicConfig(ctx)));
  app.patch("/config", async (c) => {
    const parsed = await body(c, configPatch);
    if (!parsed.ok) return parsed.response;
    const { partnerRedirectUrl, webhookUrl, ...rest } = parsed.data;
    Object.assign(ctx.config, rest);
    // The partner's URLs are Hub state (the Partner API changes them too), kept in one place.
    if (partnerRedirectUrl !== undefined) ctx.store.state.partner.partnerRedirectUrl = partnerRedirectUrl;
    if (webhookUrl !== undefined) ctx.store.state.partner.webhookUrl = webhookUrl;
    ctx.store.changed();
    return c.json(publicConfig(ctx));
  });

  app.post("/faults/deliveries", async (c) => {
    const parsed = await body(c, deliveryFault);
    if (!parsed.ok) return parsed.response;
    ctx.faults.delivery = {
      kind: parsed.data.kind,
      remaining: parsed.data.count,
      failAttempts: parsed.data.failAttempts,
    };
    return c.json(ctx.faults.snapshot());
  });
  app.post("/faults/api", async (c) => {
    const parsed = await body(c, apiFault);
    if (!parsed.ok) return parsed.response;
    const { count: remaining, ...rest } = parsed.data;
    ctx.faults.api.push({ ...rest, remaining });
    return c.json(ctx.faults.snapshot());
  });
  app.post("/faults/messages", async (c) => {
    const parsed = await body(c, messageFault);
    if (!parsed.ok) return parsed.response;
    ctx.faults.failingMessages = parsed.data.count;
    return c.json(ctx.faults.snapshot());
  });
  app.delete("/faults", (c) => {
    ctx.faults.clear();
    return c.json(ctx.faults.snapshot());
  });

  app.post("/api-keys-shape", async (c) => {
    const parsed = await body(c, z.object({ shape: z.enum(["flat", "wrapped"]) }).strict());
    if (!parsed.ok) return parsed.response;
    ctx.config.apiKeysShape = parsed.data.shape;
    return c.json({ apiKeysShape: ctx.config.apiKeysShape });
  });

  app.post("/channels/:id/status", async (c) => {
    const channel = ctx.store.state.channels.find((ch) => ch.id === c.req.param("id"));
    if (!channel) return c.json({ error: "unknown channel" }, 404);
    const parsed = await body(c, statusBody);
    if (!parsed.ok) return parsed.response;
    moveChannel(ctx, channel, parsed.data.status, { emit: parsed.data.emit });
    return c.json({ channel });
  });

  app.post("/channels/:id/quality", async (c) => {
    const channel = ctx.store.state.channels.find((ch) => ch.id === c.req.param("id"));
    if (!channel) return c.json({ error: "unknown channel" }, 404);
    const parsed = await body(c, qualityBody);
    if (!parsed.ok) return parsed.response;
    changeQuality(ctx, channel, parsed.data.value, parsed.data.quality);
    return c.json({ channel });
  });

  app.get("/channels/:id/messaging", (c) => {
    const channel = ctx.store.state.channels.find((ch) => ch.id === c.req.param("id"));
    if (!channel) return c.json({ error: "unknown channel" }, 404);
    return c.json(channelMessagingView(ctx, channel));
  });

  // A customer writes to the number: opens their 24-hour window and sends the inbound webhook.
  app.post("/channels/:id/inbound", async (c) => {
    const channel = ctx.store.state.channels.find((ch) => ch.id === c.req.param("id"));
    if (!channel) return c.json({ error: "unknown channel" }, 404);
    const parsed = await body(c, inboundBody);
    if (!parsed.ok) return parsed.response;
    const { from, name, text } = parsed.data;
    const { inbound, delivery } = ctx.messaging.receive(channel, from, name, text);
    return c.json({
      message: inbound,
      windowOpenUntil: ctx.messaging.windowOpenUntil(channel.id, inbound.from)?.toISOString() ?? null,
      deliveryId: delivery.deliveryId,
    });
  });

  // The client changes its mind in the Hub (billing, API-key permission); there is no webhook for it.
  app.patch("/clients/:id", async (c) => {
    const client = ctx.store.state.clients.find((cl) => cl.id === c.req.param("id"));
    if (!client) return c.json({ error: "unknown client" }, 404);
    const parsed = await body(c, clientPatch);
    if (!parsed.ok) return parsed.response;
    Object.assign(client, parsed.data, { modifiedAt: new Date().toISOString() });
    ctx.store.changed();
    return c.json({ client });
  });

  app.post("/events", async (c) => {
    const parsed = await body(c, eventBody);
    if (!parsed.ok) return parsed.response;
    const deliveries = ctx.webhooks.send(parsed.data.event, parsed.data.data, parsed.data.id);
    return c.json({ eventId: deliveries[0]?.eventId ?? null, deliveries: deliveries.map((d) => d.deliveryId) });
  });

  // For people testing by hand: a URL that opens the onboarding like a Connect click would.
  app.get("/sign-io", (c) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signIo(ctx.config.platformSecret, ctx.config.partnerId, timestamp);
    const origin = new URL(c.req.url).origin;
    const url = `${origin}/dashboard/app/${encodeURIComponent(ctx.config.partnerId)}?io_signature=${signature}&io_timestamp=${timestamp}`;
    return c.json({ io_signature: signature, io_timestamp: timestamp, url });
  });

  app.get("/mail", (c) => {
    const messages = ctx.mail.list(c.req.query("to") ?? null);
    return c.json({ count: messages.length, messages });
  });
  app.delete("/mail", (c) => {
    ctx.mail.clear();
    return c.json({ ok: true });
  });

  return app;
}

export function snapshot(ctx: SandboxContext): Record<string, unknown> {
  const s = ctx.store.state;
  const accepted = s.signatureChecks.filter((x) => x.outcome === "accepted");
  return {
    partner: {
      id: ctx.config.partnerId,
      partner_redirect_url: s.partner.partnerRedirectUrl,
      webhook_url: s.partner.webhookUrl,
      ioSignatureRequired: ctx.config.ioSignatureRequired,
    },
    clients: s.clients,
    channels: s.channels,
    apiKeys: s.apiKeys,
    apiKeyCreations: s.apiKeyCreations,
    signatureChecks: s.signatureChecks,
    signatureSummary: {
      accepted: accepted.length,
      refused: s.signatureChecks.length - accepted.length,
      distinctAccepted: new Set(accepted.map((x) => `${x.signaturePrefix}|${x.timestamp}`)).size,
    },
    sessions: s.sessions,
    deliveries: s.deliveries.map((d) => ({ ...d, payload: JSON.parse(d.body) as unknown })),
    messaging: messagingSnapshot(ctx),
    faults: ctx.faults.snapshot(),
    mailCount: ctx.mail.messages.length,
    config: publicConfig(ctx),
  };
}
