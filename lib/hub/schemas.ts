import { z } from "zod";

// 360dialog's response shapes, parsed tolerantly: unknown fields pass, optional ones may be absent.

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});

const hubClientSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  contact_info: z.looseObject({ email: z.string().nullish() }).nullish(),
});

export const clientsResponseSchema = z.looseObject({
  count: z.number().optional(),
  total: z.number().optional(),
  clients: z.array(hubClientSchema),
});

const hubChannelSchema = z.looseObject({
  id: z.string(),
  // Some list answers carry only client_id; reshapeChannel takes either.
  client_id: z.string().nullish(),
  client: z.looseObject({ id: z.string() }).nullish(),
  status: z.string().nullish(),
  current_limit: z.union([z.string(), z.number()]).nullish(),
  phone_number: z.string().nullish(),
  setup_info: z.looseObject({ phone_number: z.string().nullish() }).nullish(),
});

// One odd item must not cost the whole list: items that do not parse are dropped, not fatal.
export const channelsResponseSchema = z.looseObject({
  count: z.number().optional(),
  total: z.number().optional(),
  partner_channels: z.array(z.unknown()).transform((items) =>
    items.flatMap((item) => {
      const parsed = hubChannelSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    }),
  ),
});

const apiKeySchema = z.looseObject({
  id: z.string().nullish(),
  address: z.string().nullish(),
  api_key: z.string().min(1),
  app_id: z.string().nullish(),
});

const wrappedApiKeysSchema = z.looseObject({ api_keys: z.array(apiKeySchema) });

// Seen flat, `{id, address, api_key, app_id}`, and wrapped, `{api_keys: [...]}`: read as a list.
export const apiKeysResponseSchema = z.union([wrappedApiKeysSchema, apiKeySchema]).transform((body) => {
  const wrapped = wrappedApiKeysSchema.safeParse(body);
  return wrapped.success ? wrapped.data.api_keys : [apiKeySchema.parse(body)];
});

export type HubApiKeyPayload = z.infer<typeof apiKeySchema>;

export const errorEnvelopeSchema = z.object({
  meta: z.looseObject({ developer_message: z.string().optional(), http_code: z.number().optional() }),
});

export const cloudApiErrorSchema = z.object({
  error: z.looseObject({ message: z.string(), code: z.number().optional() }),
});

export type HubChannelPayload = z.infer<typeof hubChannelSchema>;
