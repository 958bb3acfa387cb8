import { describe, expect, it } from "vitest";
import { API_KEY, PARTNER_ID, api, control, onboard, startSandboxPerFile } from "./helpers";

interface ErrorBody {
  meta: { success: boolean; http_code: number; developer_message: string };
}
interface KeyBody {
  address: string;
  api_key: string;
  app_id: string;
  id: string;
}

// The automatic lifecycle stops at `ready`: tests decide when a channel runs.
const sandbox = startSandboxPerFile({ lifecycleUntil: "ready", webhookDelayMs: 0 });

async function setStatus(channelId: string, status: string): Promise<void> {
  const { status: code } = await control(sandbox(), "POST", `/channels/${channelId}/status`, { status, emit: false });
  expect(code).toBe(200);
}

const createKey = (channelId: string): Promise<Response> =>
  api(sandbox(), `/partners/${PARTNER_ID}/channels/${channelId}/api_keys`, { method: "POST" });

describe("Partner API authentication", () => {
  it("answers 401 with the error envelope without credentials or with a wrong key", async () => {
    for (const auth of ["none", "not-a-token"]) {
      const response = await api(sandbox(), `/partners/${PARTNER_ID}`, { auth });
      expect(response.status).toBe(401);
      const body = (await response.json()) as ErrorBody;
      expect(body.meta).toMatchObject({ success: false, http_code: 401 });
      expect(body.meta.developer_message).toBeTruthy();
    }
    const wrongKey = await fetch(`${sandbox().url}/api/v2/partners/${PARTNER_ID}`, {
      headers: { "X-API-Key": `${API_KEY}x` },
    });
    expect(wrongKey.status).toBe(401);
  });

  it("issues a Bearer token for username and password and accepts it", async () => {
    const refused = await api(sandbox(), "/token", {
      method: "POST",
      auth: "none",
      body: JSON.stringify({ username: "user", password: "nope" }),
    });
    expect(refused.status).toBe(401);
    const response = await api(sandbox(), "/token", {
      method: "POST",
      auth: "none",
      body: JSON.stringify({ username: "user", password: "pass" }),
    });
    expect(response.status).toBe(200);
    const token = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token.token_type).toBe("Bearer");
    expect(token.expires_in).toBeGreaterThan(0);
    const partner = await api(sandbox(), `/partners/${PARTNER_ID}`, { auth: token.access_token });
    expect(partner.status).toBe(200);
    expect(await partner.json()).toMatchObject({ id: PARTNER_ID });
  });

  it("refuses another partner's path and answers 404 for unknown clients and channels", async () => {
    expect((await api(sandbox(), `/partners/otherPA/clients`)).status).toBe(403);
    expect((await api(sandbox(), `/partners/${PARTNER_ID}/clients/nopeCL/shared_client_numbers`)).status).toBe(404);
    expect((await createKey("nopeCH")).status).toBe(404);
  });
});

describe("Partner API resources", () => {
  it("patches and reads partner settings and the webhook URL", async () => {
    const patched = await api(sandbox(), `/partners/${PARTNER_ID}`, {
      method: "PATCH",
      body: JSON.stringify({ webhook_url: "http://a.test/hook", partner_redirect_url: "http://a.test/onboarding" }),
    });
    expect(await patched.json()).toMatchObject({
      webhook_url: "http://a.test/hook",
      partner_redirect_url: "http://a.test/onboarding",
    });
    const set = await api(sandbox(), `/partners/${PARTNER_ID}/webhook_url`, {
      method: "POST",
      body: JSON.stringify({ webhook_url: "http://b.test/hook" }),
    });
    expect(set.status).toBe(200);
    expect(await (await api(sandbox(), `/partners/${PARTNER_ID}/webhook_url`)).json()).toEqual({
      webhook_url: "http://b.test/hook",
    });
    const invalid = await api(sandbox(), `/partners/${PARTNER_ID}`, {
      method: "PATCH",
      body: JSON.stringify({ webhook_url: "not a url" }),
    });
    expect(invalid.status).toBe(400);
  });

  it("lists clients and channels with JSON filters", async () => {
    const a = await onboard(sandbox(), { email: "a@example.com", name: "A", numbers: 2 });
    const b = await onboard(sandbox(), { email: "b@example.com", name: "B", numbers: 1 });
    const clients = (await (
      await api(
        sandbox(),
        `/partners/${PARTNER_ID}/clients?filters=${encodeURIComponent(JSON.stringify({ id: b.client }))}`,
      )
    ).json()) as { count: number; total: number; clients: { id: string; name: string; status: string }[] };
    expect(clients).toMatchObject({ count: 1, total: 1 });
    expect(clients.clients[0]).toMatchObject({ id: b.client, name: "B", status: "active" });

    const byClient = (await (
      await api(
        sandbox(),
        `/partners/${PARTNER_ID}/channels?filters=${encodeURIComponent(JSON.stringify({ client_id: a.client }))}`,
      )
    ).json()) as {
      count: number;
      partner_channels: {
        id: string;
        client: { id: string };
        status: string;
        setup_info: { phone_number: string };
        current_limit: string;
        waba_account: { id: string };
      }[];
    };
    expect(byClient.count).toBe(2);
    expect(byClient.partner_channels.map((c) => c.id).sort()).toEqual([...a.channels].sort());
    const first = byClient.partner_channels[0];
    expect(first?.client.id).toBe(a.client);
    expect(first?.setup_info.phone_number).toMatch(/^\+1555\d{7}$/);
    expect(first?.current_limit).toBeTruthy();
    expect(first?.waba_account.id).toBeTruthy();

    const byId = (await (
      await api(
        sandbox(),
        `/partners/${PARTNER_ID}/channels?filters=${encodeURIComponent(JSON.stringify({ id: b.channels[0] }))}`,
      )
    ).json()) as { total: number };
    expect(byId.total).toBe(1);
    const paged = (await (await api(sandbox(), `/partners/${PARTNER_ID}/channels?limit=1&offset=1`)).json()) as {
      count: number;
      total: number;
    };
    expect(paged).toMatchObject({ count: 1, total: 3 });
    expect((await api(sandbox(), `/partners/${PARTNER_ID}/channels?filters=nope`)).status).toBe(400);
  });

  it("keeps the email typed at the Hub as contact_info.email and filters clients and channels on it", async () => {
    const typed = await onboard(sandbox(), { email: "prefilled@example.com", typedEmail: "Typed@Example.com" });
    await onboard(sandbox(), { email: "other@example.com" });
    const list = async (path: string, filters: Record<string, string>) => {
      const response = await api(sandbox(), `${path}?filters=${encodeURIComponent(JSON.stringify(filters))}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const clients = await list(`/partners/${PARTNER_ID}/clients`, { "contact_info.email": "typed@example.com" });
    expect(clients.body).toMatchObject({
      total: 1,
      clients: [{ id: typed.client, contact_info: { email: "Typed@Example.com" } }],
    });
    const prefilled = await list(`/partners/${PARTNER_ID}/clients`, { "contact_info.email": "prefilled@example.com" });
    expect(prefilled.body).toMatchObject({ total: 0 });
    const channels = await list(`/partners/${PARTNER_ID}/channels`, {
      "client.contact_info.email": "typed@example.com",
    });
    expect(channels.body).toMatchObject({
      total: 1,
      partner_channels: [
        { id: typed.channels[0], client_id: typed.client, client: { contact_info: { email: "Typed@Example.com" } } },
      ],
    });
    const unknownKey = await list(`/partners/${PARTNER_ID}/channels`, { phone: "+1" });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body).toMatchObject({ meta: { success: false, http_code: 400 } });
  });

  it("lists shared numbers only where the partner may create keys", async () => {
    const paid = await onboard(sandbox(), { email: "p@example.com" });
    const direct = await onboard(sandbox(), { email: "d@example.com", billing: "direct_paid" });
    const shared = async (client: string): Promise<number> =>
      (
        (await (await api(sandbox(), `/partners/${PARTNER_ID}/clients/${client}/shared_client_numbers`)).json()) as {
          count: number;
        }
      ).count;
    expect(await shared(paid.client)).toBe(1);
    expect(await shared(direct.client)).toBe(0);
  });
});

describe("API key creation", () => {
  it("answers 400 before the channel runs, then creates; a second creation revokes the first", async () => {
    const { channels } = await onboard(sandbox(), { email: "k@example.com" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "ready");
    const early = await createKey(channel);
    expect(early.status).toBe(400);
    expect(((await early.json()) as ErrorBody).meta.http_code).toBe(400);

    await setStatus(channel, "running");
    const first = await createKey(channel);
    expect(first.status).toBe(201);
    const firstKey = (await first.json()) as KeyBody;
    expect(Object.keys(firstKey).sort()).toEqual(["address", "api_key", "app_id", "id"]);

    await setStatus(channel, "live");
    const secondKey = (await (await createKey(channel)).json()) as KeyBody;
    expect(secondKey.api_key).not.toBe(firstKey.api_key);

    const state = (
      await control<{
        apiKeyCreations: Record<string, number>;
        apiKeys: { apiKey: string; revokedAt: string | null }[];
      }>(sandbox(), "GET", "/state")
    ).json;
    expect(state.apiKeyCreations[channel]).toBe(2);
    expect(state.apiKeys.find((k) => k.apiKey === firstKey.api_key)?.revokedAt).not.toBeNull();
    expect(state.apiKeys.find((k) => k.apiKey === secondKey.api_key)?.revokedAt).toBeNull();
  });

  it("answers 403 for a direct-paid client without permission and 201 with it", async () => {
    const without = await onboard(sandbox(), { email: "nd@example.com", billing: "direct_paid" });
    const withPermission = await onboard(sandbox(), {
      email: "wd@example.com",
      billing: "direct_paid",
      permission: true,
    });
    for (const id of [...without.channels, ...withPermission.channels]) await setStatus(id, "running");
    const refused = await createKey(without.channels[0] ?? "");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).meta).toMatchObject({ success: false, http_code: 403 });
    expect((await createKey(withPermission.channels[0] ?? "")).status).toBe(201);
    const state = (await control<{ apiKeyCreations: Record<string, number> }>(sandbox(), "GET", "/state")).json;
    expect(state.apiKeyCreations[without.channels[0] ?? ""]).toBeUndefined();
  });

  it("answers 201 after the client grants API-key permission through the control endpoint", async () => {
    const { client, channels } = await onboard(sandbox(), { email: "grant@example.com", billing: "direct_paid" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "running");
    expect((await createKey(channel)).status).toBe(403);

    const granted = await control<{ client: { id: string; billing: string; apiKeyPermission: boolean } }>(
      sandbox(),
      "PATCH",
      `/clients/${client}`,
      { apiKeyPermission: true },
    );
    expect(granted.status).toBe(200);
    expect(granted.json.client).toMatchObject({ id: client, billing: "direct_paid", apiKeyPermission: true });
    expect((await createKey(channel)).status).toBe(201);

    await control(sandbox(), "PATCH", `/clients/${client}`, { apiKeyPermission: false });
    expect((await createKey(channel)).status).toBe(403);
    await control(sandbox(), "PATCH", `/clients/${client}`, { billing: "partner_paid" });
    expect((await createKey(channel)).status).toBe(201);
  });

  it("validates the client change and answers 404 for an unknown client", async () => {
    const { client } = await onboard(sandbox(), { email: "v@example.com" });
    expect((await control(sandbox(), "PATCH", "/clients/nopeCL", { apiKeyPermission: true })).status).toBe(404);
    expect((await control(sandbox(), "PATCH", `/clients/${client}`, { billing: "free" })).status).toBe(400);
    expect((await control(sandbox(), "PATCH", `/clients/${client}`, { apiKeyPermission: "yes" })).status).toBe(400);
    expect((await control(sandbox(), "PATCH", `/clients/${client}`, { other: 1 })).status).toBe(400);
  });

  it("gives the sandbox's own origin as the messaging address", async () => {
    const { channels } = await onboard(sandbox(), { email: "addr@example.com" });
    await setStatus(channels[0] ?? "", "running");
    const key = (await (await createKey(channels[0] ?? "")).json()) as KeyBody;
    expect(key.address).toBe(sandbox().url);
  });

  it("allows one creation per channel per 30 s, answering 429 with Retry-After, and lists the working key", async () => {
    await control(sandbox(), "PATCH", "/config", { apiKeyMinIntervalSeconds: 30 });
    const { channels } = await onboard(sandbox(), { email: "rate@example.com" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "running");
    const created = (await (await createKey(channel)).json()) as KeyBody;
    const again = await createKey(channel);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(25);
    const listed = await api(sandbox(), `/partners/${PARTNER_ID}/channels/${channel}/api_keys`);
    expect(await listed.json()).toEqual({ api_keys: [created] });
    await control(sandbox(), "PATCH", "/config", { apiKeyMinIntervalSeconds: 0 });
  });

  it("switches to the wrapped {api_keys:[...]} shape on request", async () => {
    const { channels } = await onboard(sandbox(), { email: "w@example.com" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "running");
    expect((await control(sandbox(), "POST", "/api-keys-shape", { shape: "wrapped" })).status).toBe(200);
    const wrapped = (await (await createKey(channel)).json()) as { api_keys: KeyBody[] };
    expect(wrapped.api_keys).toHaveLength(1);
    expect(wrapped.api_keys[0]?.api_key).toMatch(/^[A-Za-z0-9]+$/);
    await control(sandbox(), "POST", "/api-keys-shape", { shape: "flat" });
    expect(((await (await createKey(channel)).json()) as KeyBody).api_key).toBeTruthy();
  });
});

describe("Partner API fault injection", () => {
  it("answers 500 for the next N calls, then recovers", async () => {
    await control(sandbox(), "POST", "/faults/api", { kind: "500", count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api(sandbox(), `/partners/${PARTNER_ID}`)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("answers 429 with Retry-After, only on matching paths", async () => {
    await control(sandbox(), "POST", "/faults/api", {
      kind: "429",
      count: 1,
      retryAfterSeconds: 7,
      pathContains: "/channels",
    });
    expect((await api(sandbox(), `/partners/${PARTNER_ID}`)).status).toBe(200);
    const limited = await api(sandbox(), `/partners/${PARTNER_ID}/channels`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(((await limited.json()) as ErrorBody).meta.http_code).toBe(429);
    expect((await api(sandbox(), `/partners/${PARTNER_ID}/channels`)).status).toBe(200);
  });

  it("answers 504 in the error envelope once a timeout fault's delay is over", async () => {
    await control(sandbox(), "POST", "/faults/api", { kind: "timeout", count: 1, delayMs: 50 });
    const started = Date.now();
    const response = await api(sandbox(), `/partners/${PARTNER_ID}`);
    expect(response.status).toBe(504);
    expect(((await response.json()) as ErrorBody).meta).toMatchObject({ success: false, http_code: 504 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("lets the change happen but loses the answer with an after-phase 500", async () => {
    const { channels } = await onboard(sandbox(), { email: "lost@example.com" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "running");
    await control(sandbox(), "POST", "/faults/api", { kind: "500", phase: "after", pathContains: "/api_keys" });
    const pending = (
      await control<{ faults: { api: { kind: string; phase: string; remaining: number }[] } }>(
        sandbox(),
        "GET",
        "/state",
      )
    ).json.faults.api;
    expect(pending).toEqual([expect.objectContaining({ kind: "500", phase: "after", remaining: 1 })]);

    const lost = await createKey(channel);
    expect(lost.status).toBe(500);
    const body = (await lost.json()) as ErrorBody & { api_key?: string };
    expect(body.meta).toMatchObject({ success: false, http_code: 500 });
    expect(body.api_key).toBeUndefined();
    const state = (
      await control<{ apiKeyCreations: Record<string, number>; apiKeys: unknown[] }>(sandbox(), "GET", "/state")
    ).json;
    expect(state.apiKeyCreations[channel]).toBe(1);
    expect(state.apiKeys).toHaveLength(1);
  });

  it("applies a fault before the handler by default, so nothing changes", async () => {
    const { channels } = await onboard(sandbox(), { email: "early@example.com" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "running");
    await control(sandbox(), "POST", "/faults/api", { kind: "500", pathContains: "/api_keys" });
    expect((await createKey(channel)).status).toBe(500);
    const state = (await control<{ apiKeyCreations: Record<string, number> }>(sandbox(), "GET", "/state")).json;
    expect(state.apiKeyCreations[channel]).toBeUndefined();
  });

  it("holds the answer after the change with an after-phase timeout, then answers 504", async () => {
    const { channels } = await onboard(sandbox(), { email: "hung@example.com" });
    const channel = channels[0] ?? "";
    await setStatus(channel, "running");
    await control(sandbox(), "POST", "/faults/api", {
      kind: "timeout",
      phase: "after",
      delayMs: 100,
      pathContains: "/api_keys",
    });
    const started = Date.now();
    const response = await createKey(channel);
    expect(response.status).toBe(504);
    expect(((await response.json()) as ErrorBody).meta.http_code).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    const state = (await control<{ apiKeyCreations: Record<string, number> }>(sandbox(), "GET", "/state")).json;
    expect(state.apiKeyCreations[channel]).toBe(1);
  });

  it("holds the answer on a timeout fault so the client's own timeout fires", async () => {
    await control(sandbox(), "POST", "/faults/api", { kind: "timeout", count: 1, delayMs: 5000 });
    const started = Date.now();
    await expect(api(sandbox(), `/partners/${PARTNER_ID}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await api(sandbox(), `/partners/${PARTNER_ID}`)).status).toBe(200);
  });
});
