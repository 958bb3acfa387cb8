import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PARTNER_ID, api, control, onboard, startReceiver, startSandboxPerFile, waitFor } from "./helpers";

interface KeyBody {
  id: string;
  address: string;
  api_key: string;
}
interface MetaError {
  meta: { success: boolean; http_code: number; developer_message: string };
}
interface GraphError {
  error: { message: string; type: string; code: number; error_data: { details: string }; fbtrace_id: string };
}
interface StatusEvent {
  object: string;
  entry: {
    id: string;
    changes: {
      field: string;
      value: {
        messaging_product: string;
        metadata: { display_phone_number: string; phone_number_id: string };
        statuses?: {
          id: string;
          status: string;
          timestamp: string;
          recipient_id: string;
          errors?: { code: number; title: string }[];
        }[];
        messages?: { from: string; id: string; type: string; text: { body: string } }[];
      };
    }[];
  }[];
}
interface MessagingView {
  phoneNumber: string;
  phoneNumberId: string;
  wabaId: string;
  webhook: {
    url: string;
    headers: Record<string, string>;
    setAt: string;
    setWithKeyId: string;
    keyActive: boolean;
  } | null;
  keys: { id: string; createdAt: string; revokedAt: string | null }[];
  windows: { waId: string; open: boolean; openUntil: string }[];
  messages: { id: string; to: string; type: string; status: string; error: { code: number } | null }[];
  deliveries: {
    event: string;
    messageId: string;
    state: string;
    attempts: { url: string; status: number | null; error: string | null }[];
  }[];
}

const sandbox = startSandboxPerFile({ lifecycleUntil: "ready", webhookDelayMs: 0, retryBaseMs: 10 });

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let answer: (index: number) => number = () => 200;
beforeAll(async () => {
  receiver = await startReceiver((_req, index) => answer(index));
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
  answer = () => 200;
});

const CUSTOMER = "+4915123456789";
const CUSTOMER_WA_ID = "4915123456789";

let emails = 0;
/** A running channel with a fresh key; the key's `address` is where its messaging API lives. */
async function channelWithKey(): Promise<{ channel: string; key: KeyBody }> {
  const { channels } = await onboard(sandbox(), { email: `messaging${emails++}@example.com` });
  const channel = channels[0] ?? "";
  await control(sandbox(), "POST", `/channels/${channel}/status`, { status: "running", emit: false });
  return { channel, key: await newKey(channel) };
}

async function newKey(channel: string): Promise<KeyBody> {
  const response = await api(sandbox(), `/partners/${PARTNER_ID}/channels/${channel}/api_keys`, { method: "POST" });
  expect(response.status).toBe(201);
  return (await response.json()) as KeyBody;
}

function call(key: KeyBody | null, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers["D360-API-KEY"] = key.api_key;
  const base = key?.address ?? sandbox().url;
  return fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const setWebhook = (key: KeyBody, url: string, headers?: Record<string, string>): Promise<Response> =>
  call(key, "/v1/configs/webhook", headers ? { url, headers } : { url });

const text = (to: string, body = "Hi there"): Record<string, unknown> => ({
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to,
  type: "text",
  text: { body },
});
const template = (to: string, name = "hello_world", code = "en_US"): Record<string, unknown> => ({
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to,
  type: "template",
  template: { name, language: { code } },
});

const view = async (channel: string): Promise<MessagingView> =>
  (await control<MessagingView>(sandbox(), "GET", `/channels/${channel}/messaging`)).json;

const events = (): StatusEvent[] => receiver.received.map((r) => JSON.parse(r.raw) as StatusEvent);
const statusesOf = (id: string): string[] =>
  events().flatMap(
    (e) => e.entry[0]?.changes[0]?.value.statuses?.filter((s) => s.id === id).map((s) => s.status) ?? [],
  );

describe("the messaging webhook config", () => {
  it("is set and read back with the channel's key, custom headers included", async () => {
    const { channel, key } = await channelWithKey();
    expect(key.address).toBe(sandbox().url);
    expect(await (await call(key, "/v1/configs/webhook")).json()).toEqual({ url: null });

    const set = await setWebhook(key, "https://portal.example.com/api/webhooks/messaging", { "X-Portal-Token": "t0k" });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({
      url: "https://portal.example.com/api/webhooks/messaging",
      headers: { "X-Portal-Token": "t0k" },
    });
    const read = await call(key, "/v1/configs/webhook");
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({
      url: "https://portal.example.com/api/webhooks/messaging",
      headers: { "X-Portal-Token": "t0k" },
    });

    const seen = await view(channel);
    expect(seen.webhook).toMatchObject({
      url: "https://portal.example.com/api/webhooks/messaging",
      setWithKeyId: key.id,
      keyActive: true,
    });
    expect(seen.keys).toEqual([{ id: key.id, createdAt: expect.any(String), revokedAt: null }]);
    expect(JSON.stringify(seen)).not.toContain(key.api_key);
  });

  it("refuses a missing, unknown or revoked key with 401 and the Hub's envelope", async () => {
    const { key: old } = await channelWithKey();
    const unknown = { ...old, api_key: `${old.api_key}x` };
    for (const [key, reason] of [
      [null, /missing/i],
      [unknown, /invalid/i],
    ] as const) {
      const response = await call(key, "/v1/configs/webhook");
      expect(response.status).toBe(401);
      const body = (await response.json()) as MetaError;
      expect(body.meta).toMatchObject({ success: false, http_code: 401 });
      expect(body.meta.developer_message).toMatch(reason);
    }

    const { channel, key: first } = await channelWithKey();
    // A second key for the same channel revokes the first.
    await newKey(channel);
    for (const response of [
      await setWebhook(first, "https://portal.example.com/hook"),
      await call(first, "/messages", template(CUSTOMER)),
    ]) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as MetaError).meta.developer_message).toMatch(/revoked/i);
    }
    // The key decides the channel: another channel's key is untouched.
    expect((await call(old, "/v1/configs/webhook")).status).toBe(200);
    expect((await view(channel)).messages).toEqual([]);
  });

  it("refuses hosts with an underscore, explicit ports and non-http URLs, but allows a port on loopback hosts", async () => {
    const { key } = await channelWithKey();
    for (const url of [
      "https://my_portal.example.com/hook",
      "https://portal.example.com:8443/hook",
      "https://portal.example.com:443/hook",
      "http://10.0.0.5:3000/hook",
      "ftp://portal.example.com/hook",
      "not a url",
    ]) {
      const response = await setWebhook(key, url);
      expect(response.status, url).toBe(400);
      expect(((await response.json()) as MetaError).meta.developer_message, url).toMatch(/webhook URL/i);
    }
    expect(
      (await call(key, "/v1/configs/webhook", { url: "https://portal.example.com/h", headers: { "a b": "x" } })).status,
    ).toBe(400);
    expect(await (await call(key, "/v1/configs/webhook")).json()).toEqual({ url: null });

    for (const url of [
      "http://localhost:3000/api/webhooks/messaging",
      "http://127.0.0.1:3000/hook",
      "http://[::1]:3000/hook",
      "https://portal.example.com/hook",
    ]) {
      const response = await setWebhook(key, url);
      expect(response.status, url).toBe(200);
      expect(await (await call(key, "/v1/configs/webhook")).json()).toEqual({ url });
    }
  });

  it("is dropped when a new key is generated, and set again with the new key", async () => {
    const { channel, key } = await channelWithKey();
    expect((await setWebhook(key, "https://portal.example.com/hook")).status).toBe(200);
    const next = await newKey(channel);
    expect(await (await call(next, "/v1/configs/webhook")).json()).toEqual({ url: null });
    expect((await view(channel)).webhook).toBeNull();

    expect((await setWebhook(next, "https://portal.example.com/hook2")).status).toBe(200);
    expect((await view(channel)).webhook).toMatchObject({
      url: "https://portal.example.com/hook2",
      setWithKeyId: next.id,
    });
  });
});

describe("sending messages", () => {
  it("refuses free text outside the customer window (131047) and accepts it after the customer wrote in", async () => {
    const { channel, key } = await channelWithKey();
    await setWebhook(key, receiver.url);

    const refused = await call(key, "/messages", text(CUSTOMER));
    expect(refused.status).toBe(400);
    const error = ((await refused.json()) as GraphError).error;
    expect(error).toMatchObject({ code: 131047, type: "OAuthException", message: "(#131047) Re-engagement message" });
    expect(error.error_data.details).toMatch(/24 hours/);
    expect(error.fbtrace_id).toEqual(expect.any(String));
    expect((await view(channel)).messages).toEqual([]);

    const inbound = await control<{ message: { id: string; from: string }; windowOpenUntil: string }>(
      sandbox(),
      "POST",
      `/channels/${channel}/inbound`,
      { from: CUSTOMER, text: "Hello shop" },
    );
    expect(inbound.status).toBe(200);
    expect(inbound.json.message.from).toBe(CUSTOMER_WA_ID);
    const openFor = Date.parse(inbound.json.windowOpenUntil) - Date.now();
    expect(openFor).toBeGreaterThan(23.9 * 3600_000);
    expect(openFor).toBeLessThanOrEqual(24 * 3600_000);
    await waitFor(() => receiver.received.length >= 1);
    expect(events()[0]?.entry[0]?.changes[0]?.value.messages).toEqual([
      expect.objectContaining({
        from: CUSTOMER_WA_ID,
        id: inbound.json.message.id,
        type: "text",
        text: { body: "Hello shop" },
      }),
    ]);

    const accepted = await call(key, "/messages", text(CUSTOMER));
    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as { messages: { id: string }[] };
    expect(body).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: CUSTOMER, wa_id: CUSTOMER_WA_ID }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
    // The window belongs to that customer on that number only.
    expect((await call(key, "/messages", text("+4915100000000"))).status).toBe(400);
    expect((await view(channel)).windows).toEqual([expect.objectContaining({ waId: CUSTOMER_WA_ID, open: true })]);
  });

  it("accepts a known template without a window and refuses an unknown one (132001)", async () => {
    const { channel, key } = await channelWithKey();
    const accepted = await call(key, "/messages", template(CUSTOMER));
    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as { contacts: unknown[]; messages: { id: string }[] };
    expect(body.contacts).toEqual([{ input: CUSTOMER, wa_id: CUSTOMER_WA_ID }]);

    for (const [name, code] of [
      ["order_update", "en_US"],
      ["hello_world", "de"],
    ]) {
      const refused = await call(key, "/messages", template(CUSTOMER, name, code));
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as GraphError).error).toMatchObject({ code: 132001 });
    }
    const invalid = await call(key, "/messages", { ...template(CUSTOMER), to: "not-a-number" });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as GraphError).error.code).toBe(100);

    expect((await view(channel)).messages).toEqual([
      expect.objectContaining({ id: body.messages[0]?.id, to: CUSTOMER, type: "template" }),
    ]);
  });

  it("delivers sent then delivered to the messaging webhook, unsigned, with the configured headers", async () => {
    const { channel, key } = await channelWithKey();
    await setWebhook(key, receiver.url, { "X-Portal-Token": "s3cret" });
    const { messages } = (await (await call(key, "/messages", template(CUSTOMER))).json()) as {
      messages: { id: string }[];
    };
    const id = messages[0]?.id ?? "";
    await waitFor(() => receiver.received.length >= 2);
    expect(statusesOf(id)).toEqual(["sent", "delivered"]);

    const seen = await view(channel);
    for (const req of receiver.received) {
      expect(req.headers["x-portal-token"]).toBe("s3cret");
      expect(req.headers["content-type"]).toBe("application/json");
      expect(req.headers).not.toHaveProperty("x-360dialog-signature");
    }
    const [sent] = events();
    expect(sent).toEqual({
      object: "whatsapp_business_account",
      entry: [
        {
          id: seen.wabaId,
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: {
                  display_phone_number: seen.phoneNumber.replace(/\D/g, ""),
                  phone_number_id: seen.phoneNumberId,
                },
                statuses: [
                  { id, status: "sent", timestamp: expect.stringMatching(/^\d{10}$/), recipient_id: CUSTOMER_WA_ID },
                ],
              },
            },
          ],
        },
      ],
    });
    await waitFor(async () => (await view(channel)).deliveries.every((d) => d.state === "delivered"));
    const final = await view(channel);
    expect(final.messages[0]).toMatchObject({ id, status: "delivered", error: null });
    expect(final.deliveries.map((d) => [d.event, d.messageId, d.attempts.map((a) => [a.url, a.status])])).toEqual([
      ["statuses.sent", id, [[receiver.url, 200]]],
      ["statuses.delivered", id, [[receiver.url, 200]]],
    ]);
  });

  it("redelivers a status the receiver refused, with backoff, and records each attempt", async () => {
    const { channel, key } = await channelWithKey();
    await setWebhook(key, receiver.url);
    answer = (index) => (index === 0 ? 500 : 200);
    await call(key, "/messages", template(CUSTOMER));
    const sent = await waitFor(async () =>
      (await view(channel)).deliveries.find((d) => d.event === "statuses.sent" && d.state === "delivered"),
    );
    expect(sent.attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it("ends the next messages failed (131026) when the fault is armed, then goes back to normal", async () => {
    const { channel, key } = await channelWithKey();
    await setWebhook(key, receiver.url);
    const armed = await control<{ failingMessages: number }>(sandbox(), "POST", "/faults/messages", { count: 1 });
    expect(armed.json.failingMessages).toBe(1);

    const send = async (): Promise<string> =>
      ((await (await call(key, "/messages", template(CUSTOMER))).json()) as { messages: { id: string }[] }).messages[0]
        ?.id ?? "";
    const failing = await send();
    const fine = await send();
    await waitFor(() => statusesOf(fine).includes("delivered") && statusesOf(failing).length > 0);
    expect(statusesOf(failing)).toEqual(["failed"]);
    expect(statusesOf(fine)).toEqual(["sent", "delivered"]);
    const failedStatus = events()
      .flatMap((e) => e.entry[0]?.changes[0]?.value.statuses ?? [])
      .find((s) => s.id === failing);
    expect(failedStatus?.errors).toEqual([expect.objectContaining({ code: 131026, title: "Message undeliverable" })]);
    expect((await view(channel)).messages.find((m) => m.id === failing)).toMatchObject({
      status: "failed",
      error: { code: 131026 },
    });
  });

  it("accepts messages without a messaging webhook and records statuses that go nowhere", async () => {
    const { channel, key } = await channelWithKey();
    expect((await call(key, "/messages", template(CUSTOMER))).status).toBe(200);
    const seen = await waitFor(async () => {
      const current = await view(channel);
      return current.messages[0]?.status === "delivered" && current.deliveries.length === 2 && current;
    });
    expect(seen.deliveries.map((d) => [d.event, d.state, d.attempts[0]?.error])).toEqual([
      ["statuses.sent", "skipped", "no messaging webhook configured"],
      ["statuses.delivered", "skipped", "no messaging webhook configured"],
    ]);
    expect(receiver.received).toEqual([]);
  });

  it("waits the configured delays before each status", async () => {
    const { channel, key } = await channelWithKey();
    await control(sandbox(), "PATCH", "/config", { messageSentDelayMs: 150, messageDeliveredDelayMs: 150 });
    await call(key, "/messages", template(CUSTOMER));
    expect((await view(channel)).messages[0]?.status).toBe("accepted");
    await waitFor(async () => (await view(channel)).messages[0]?.status === "sent");
    await waitFor(async () => (await view(channel)).messages[0]?.status === "delivered");
  });
});

describe("the control API's messaging views", () => {
  it("include messaging in the state snapshot and clear it on reset", async () => {
    const { channel, key } = await channelWithKey();
    await setWebhook(key, receiver.url);
    await call(key, "/messages", template(CUSTOMER));
    const state = await control<{ messaging: { webhooks: Record<string, unknown>; messages: unknown[] } }>(
      sandbox(),
      "GET",
      "/state",
    );
    expect(Object.keys(state.json.messaging.webhooks)).toEqual([channel]);
    expect(state.json.messaging.messages).toHaveLength(1);

    await control(sandbox(), "POST", "/reset");
    const after = await control<{ messaging: { webhooks: Record<string, unknown>; messages: unknown[] } }>(
      sandbox(),
      "GET",
      "/state",
    );
    expect(after.json.messaging).toMatchObject({ webhooks: {}, messages: [] });
    expect((await control(sandbox(), "GET", `/channels/${channel}/messaging`)).status).toBe(404);
  });
});
