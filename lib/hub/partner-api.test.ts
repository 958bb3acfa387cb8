import { describe, expect, it } from "vitest";
import { API_KEY, control, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { HubApiError } from "./http";
import { createPartnerApi } from "./partner-api";

const currentSandbox = startHubSandboxPerFile();

function observedFetch() {
  const calls: Array<{ method: string; path: string; status: number; auth: string }> = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const call = {
      method: init?.method ?? "GET",
      path: new URL(String(input)).pathname,
      status: 0, // stays 0 when the request is aborted (our timeout) or fails
      auth: headers.has("X-API-Key") ? "key" : headers.get("Authorization")?.startsWith("Bearer ") ? "bearer" : "none",
    };
    calls.push(call);
    const response = await fetch(input, init);
    call.status = response.status;
    return response;
  };
  return { calls, fetchImpl };
}

describe("Partner API client against the sandbox", () => {
  it("falls back to a Bearer token from /token and reuses it while it is valid", async () => {
    const { calls, fetchImpl } = observedFetch();
    const api = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      username: "user",
      password: "pass",
      fetch: fetchImpl,
    });
    const redirect = await onboard(currentSandbox(), { email: "a@example.com" });
    expect(await api.findClient(redirect.client)).toMatchObject({ id: redirect.client });
    expect(await api.findChannel(redirect.channels[0]!)).toMatchObject({
      id: redirect.channels[0],
      clientId: redirect.client,
    });
    expect(calls.filter((c) => c.path.endsWith("/token"))).toHaveLength(1);
    expect(calls.filter((c) => !c.path.endsWith("/token")).every((c) => c.auth === "bearer" && c.status === 200)).toBe(
      true,
    );
  });

  it("logs in once for concurrent requests that find no token", async () => {
    const { calls, fetchImpl } = observedFetch();
    const api = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      username: "user",
      password: "pass",
      fetch: fetchImpl,
    });
    const redirect = await onboard(currentSandbox(), { email: "a@example.com", numbers: 3 });
    const found = await Promise.all(redirect.channels.map((id) => api.findChannel(id)));
    expect(found.map((channel) => channel?.clientId)).toEqual(redirect.channels.map(() => redirect.client));
    expect(calls.filter((c) => c.path.endsWith("/token"))).toHaveLength(1);
  });

  it("reads a channel that names only client_id, and does not reject a list for one odd item", async () => {
    const redirect = await onboard(currentSandbox(), { email: "odd@example.com" });
    // The sandbox's real answer, reshaped into forms public clients have seen from the real Hub.
    const reshapingFetch: typeof fetch = async (input, init) => {
      const body = (await (await fetch(input, init)).json()) as { partner_channels: Array<Record<string, unknown>> };
      const items = body.partner_channels.map((item) => ({ ...item, client: undefined }));
      return Response.json({ ...body, partner_channels: [{ id: "oddCH", status: 5 }, ...items] });
    };
    const api = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      apiKey: API_KEY,
      fetch: reshapingFetch,
    });
    expect(await api.findChannel(redirect.channels[0]!)).toMatchObject({
      id: redirect.channels[0],
      clientId: redirect.client,
    });
  });

  it("does not retry a 4xx and reports it without credentials", async () => {
    const { calls, fetchImpl } = observedFetch();
    const api = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      apiKey: "wrong-key",
      fetch: fetchImpl,
    });
    const error = await api.findClient("abcdefCL").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect((error as HubApiError).status).toBe(401);
    expect((error as HubApiError).message).not.toContain("wrong-key");
    expect(calls).toHaveLength(1);
  });

  it("waits out a 429 and a timeout before succeeding", async () => {
    const { calls, fetchImpl } = observedFetch();
    const api = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      apiKey: currentSandbox().config.apiKey,
      fetch: fetchImpl,
      timeoutMs: 300,
      retryBaseDelayMs: 10,
    });
    const redirect = await onboard(currentSandbox(), { email: "a@example.com" });
    await control(currentSandbox(), "POST", "/faults/api", { kind: "429", count: 1, retryAfterSeconds: 1 });
    await control(currentSandbox(), "POST", "/faults/api", { kind: "timeout", count: 1, delayMs: 2_000 });
    const started = Date.now();
    expect(await api.findChannel(redirect.channels[0]!)).toMatchObject({
      id: redirect.channels[0],
      clientId: redirect.client,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(calls.map((c) => c.status)).toEqual([429, 0, 200]);
  });
});

describe("Partner settings against the sandbox", () => {
  const apiFor = (partnerId: string) =>
    createPartnerApi({ baseUrl: `${currentSandbox().url}/api/v2`, partnerId, apiKey: API_KEY });

  it("reads the partner's URLs, and sets both in one write", async () => {
    const api = apiFor(PARTNER_ID);
    expect(await api.getPartnerSettings()).toEqual({
      partnerRedirectUrl: "http://portal.test:3000/onboarding",
      webhookUrl: null,
    });
    const urls = {
      partnerRedirectUrl: "https://portal.example.com/onboarding",
      webhookUrl: "https://portal.example.com/api/webhooks/360dialog",
    };
    expect(await api.updatePartnerUrls(urls)).toEqual(urls);
    expect(await api.getPartnerSettings()).toEqual(urls);
  });

  it("is refused with 403 for another partner's id", async () => {
    const error = await apiFor("someoneElsePA")
      .getPartnerSettings()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect((error as HubApiError).status).toBe(403);
  });
});
