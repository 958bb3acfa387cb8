import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { graphError } from "./cloud-api";
import type { SandboxContext } from "./context";
import { hubError } from "./hub-errors";
import type { OutboundMessage } from "./messaging";
import { secretsEqual } from "./secrets";
import type { ApiKeyRecord, ChannelRecord } from "./state";
import { messagingWebhookUrlProblem } from "./urls";

const isControl = (ch: string): boolean => {
  const code = ch.charCodeAt(0);
  return (code < 0x20 && ch !== "\t") || code === 0x7f;
};
// RFC 9110 tokens for names; no control characters in values: fetch would refuse them at delivery time.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "header names must be HTTP tokens");
const headerValue = z
  .string()
  .refine((value) => ![...value].some(isControl), "header values must not hold control characters");
const webhookConfigBody = z.object({ url: z.string(), headers: z.record(headerName, headerValue).optional() });

const messageBody = z.object({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.literal("individual").optional(),
  to: z.string().refine((to) => /^\+?[\d\s().-]+$/.test(to) && /^\d{7,15}$/.test(to.replace(/\D/g, "")), {
    message: "to must be a phone number of 7 to 15 digits",
  }),
  // The Cloud API's default type is text.
  type: z.string().default("text"),
  text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
  template: z
    .object({
      name: z.string().min(1),
      language: z.object({ code: z.string().min(1) }),
      components: z.array(z.unknown()).optional(),
    })
    .optional(),
});

type Env = { Variables: { key: ApiKeyRecord; channel: ChannelRecord } };

/**
 * The messaging API a channel's key opens, at the key's `address` (the sandbox's own origin):
 * 360dialog's own `/v1/configs/webhook`, and `/messages`, which 360dialog passes on to the Cloud API.
 * The gateway's refusals (key, webhook URL) use 360dialog's `meta` envelope; what the Cloud API
 * would refuse uses its `error` envelope.
 */
export function messagingApi(ctx: SandboxContext): Hono<Env> {
  const app = new Hono<Env>();

  const requireKey: MiddlewareHandler<Env> = async (c, next) => {
    const presented = c.req.header("d360-api-key");
    if (presented === undefined || presented === "") return hubError(c, 401, "Missing D360-API-KEY header");
    const key = findKey(ctx, presented);
    if (!key) return hubError(c, 401, "Invalid D360-API-KEY");
    if (key.revokedAt) {
      return hubError(c, 401, "This D360-API-KEY was revoked (a newer key replaced it, or the permission was removed)");
    }
    const channel = ctx.store.state.channels.find((ch) => ch.id === key.channelId);
    if (!channel) return hubError(c, 401, "Invalid D360-API-KEY");
    c.set("key", key);
    c.set("channel", channel);
    return next();
  };
  app.use("/v1/*", requireKey);
  app.use("/messages", requireKey);

  app.get("/v1/configs/webhook", (c) => {
    const webhook = ctx.store.state.messagingWebhooks[c.get("channel").id];
    if (!webhook) return c.json({ url: null });
    return c.json(webhookJson(webhook.url, webhook.headers));
  });

  app.post("/v1/configs/webhook", async (c) => {
    const parsed = webhookConfigBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      return hubError(c, 400, `Invalid body: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    const problem = messagingWebhookUrlProblem(parsed.data.url);
    if (problem) return hubError(c, 400, `Invalid webhook URL: ${problem}`);
    const headers = parsed.data.headers ?? {};
    ctx.messaging.setWebhook(c.get("channel").id, c.get("key").id, parsed.data.url, headers);
    return c.json(webhookJson(parsed.data.url, headers));
  });

  app.post("/messages", async (c) => {
    const parsed = messageBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
      return graphError(c, 400, 100, "Invalid parameter", details);
    }
    const outbound = toOutbound(parsed.data);
    if (typeof outbound === "string") return graphError(c, 400, 100, "Invalid parameter", outbound);
    const result = ctx.messaging.send(c.get("channel"), outbound);
    if (!result.ok) return graphError(c, 400, result.code, result.title, result.details);
    const { message } = result;
    return c.json({
      messaging_product: "whatsapp",
      contacts: [{ input: message.to, wa_id: message.waId }],
      messages: [message.type === "template" ? { id: message.id, message_status: "accepted" } : { id: message.id }],
    });
  });

  return app;
}

function webhookJson(url: string, headers: Record<string, string>): Record<string, unknown> {
  return Object.keys(headers).length > 0 ? { url, headers } : { url };
}

/** Every stored key is compared, in constant time each, so the answer's timing says nothing about which matched. */
function findKey(ctx: SandboxContext, presented: string): ApiKeyRecord | undefined {
  let found: ApiKeyRecord | undefined;
  for (const key of ctx.store.state.apiKeys) if (secretsEqual(presented, key.apiKey)) found = key;
  return found;
}

/** The message the body asks for, or what is wrong with it. */
function toOutbound(body: z.infer<typeof messageBody>): OutboundMessage | string {
  if (body.type === "text") {
    return body.text ? { to: body.to, type: "text", text: body.text.body } : "text.body is required for type text";
  }
  if (body.type === "template") {
    return body.template
      ? {
          to: body.to,
          type: "template",
          template: { name: body.template.name, language: body.template.language.code },
        }
      : "template is required for type template";
  }
  return `type ${body.type} is not supported by the sandbox (text and template are)`;
}
