import { beforeEach, describe, expect, it, vi } from "vitest";
import { API_KEY, control, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { createUser, testDb } from "@/test/db";
import { ApiRequestError, isRetryable } from "@/lib/http/client-fetch";
import { localDefaults } from "@/lib/config/local-defaults";
import { log } from "@/lib/observability/log";
import { clickConnect } from "@/test/click-connect";
import { importRouteWith, signedInAs } from "@/test/route-harness";

const currentSandbox = startHubSandboxPerFile();
const loadRoute = () =>
  importRouteWith(() => import("./route"), {
    HUB_API_URL: `${currentSandbox().url}/api/v2`,
    HUB_PARTNER_ID: PARTNER_ID,
    HUB_API_KEY: API_KEY,
  });

const APP_ORIGIN = new URL(localDefaults.APP_URL).origin;
const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const { POST } = await loadRoute();
  const response = await POST(
    new Request(`${APP_ORIGIN}/api/onboarding`, {
      method: "POST",
      headers: { origin: APP_ORIGIN, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown> & { error?: { code: string } },
  };
};

beforeEach(() => {
  signedInAs.mockReset();
});

/** A signed-in user who has clicked Connect once (IO Signature is on here): one open attempt. */
async function signIn(email = "client@example.com") {
  const user = await createUser(email);
  signedInAs.mockResolvedValue({ id: user.id, email, name: null, role: "CLIENT" });
  await clickConnect(user.id);
  return user;
}

describe("POST /api/onboarding", () => {
  it("answers 401 JSON without a signed-in user", async () => {
    signedInAs.mockResolvedValue(null);
    const response = await post({ client: "abcdefCL", channels: ["abcdefCH"] });
    expect(response.status).toBe(401);
    expect(response.json.error?.code).toBe("unauthorized");
  });

  it.each([
    ["not JSON", "{", "invalid_json"],
    ["an empty channel id", { client: "abcdefCL", channels: [""] }, "invalid_request"],
    ["a malformed id", { client: "abc def", channels: ["abcdefCH"] }, "invalid_request"],
    ["a duplicated channel", { client: "abcdefCL", channels: ["abcdefCH", "abcdefCH"] }, "invalid_request"],
    ["an over-long id", { client: "a".repeat(65), channels: ["abcdefCH"] }, "invalid_request"],
    ["no channel at all", { client: "abcdefCL", channels: [] }, "invalid_request"],
    ["an unknown field", { client: "abcdefCL", channels: ["abcdefCH"], admin: true }, "invalid_request"],
  ])("refuses %s with 400 and writes nothing", async (_label, body, code) => {
    await signIn();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.json.error?.code).toBe(code);
    expect(await testDb().client.count()).toBe(0);
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }, 403, "cross_origin"],
    ["no origin", { origin: "" }, 403, "cross_origin"],
    ["a text/plain body", { "content-type": "text/plain" }, 415, "unsupported_media_type"],
    ["a form body", { "content-type": "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
  ])("refuses %s before reading it, writing nothing", async (_label, headers, status, code) => {
    await signIn();
    const redirect = await onboard(currentSandbox(), { email: "client@example.com" });
    const response = await post({ client: redirect.client, channels: redirect.channels }, headers);
    expect(response.status).toBe(status);
    expect(response.json.error?.code).toBe(code);
    expect(await testDb().client.count()).toBe(0);
  });

  it("answers the same for the same redirect twice and stores it once", async () => {
    await signIn();
    const redirect = await onboard(currentSandbox(), { email: "client@example.com", numbers: 2 });
    const body = { client: redirect.client, channels: redirect.channels };
    const first = await post(body);
    const second = await post(body);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    expect(await testDb().channel.count()).toBe(2);
  });

  it("refuses a redirect that follows no Connect click of the user's, writing nothing", async () => {
    const user = await createUser("never-clicked@example.com");
    signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role: "CLIENT" });
    const redirect = await onboard(currentSandbox(), { email: "never-clicked@example.com" });
    const response = await post({ client: redirect.client, channels: redirect.channels });
    expect(response.status).toBe(422);
    expect(response.json.error?.code).toBe("no_open_attempt");
    expect(await testDb().client.count()).toBe(0);
  });

  it("answers 422 for a forged channel and 409 for a client bound to someone else", async () => {
    await signIn("owner@example.com");
    const mine = await onboard(currentSandbox(), { email: "owner@example.com" });
    const theirs = await onboard(currentSandbox(), { email: "other@example.com" });
    expect((await post({ client: mine.client, channels: theirs.channels })).status).toBe(422);
    expect(await testDb().channel.count()).toBe(0);

    expect((await post({ client: mine.client, channels: mine.channels })).status).toBe(200);
    await signIn("intruder@example.com");
    const taken = await post({ client: mine.client, channels: mine.channels });
    expect(taken.status).toBe(409);
    expect(taken.json.error?.code).toBe("client_taken");
  });

  it("answers 502 without internals when the Partner API keeps failing", async () => {
    await signIn();
    const redirect = await onboard(currentSandbox(), { email: "client@example.com" });
    await control(currentSandbox(), "POST", "/faults/api", { kind: "500", count: 10 });
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const response = await post({ client: redirect.client, channels: redirect.channels });
    expect(logged).toHaveBeenCalledWith(expect.anything(), expect.stringContaining("answered 500"));
    expect(JSON.stringify(logged.mock.calls)).not.toContain(API_KEY);
    expect(response.status).toBe(502);
    expect(response.json.error?.code).toBe("hub_unavailable");
    expect(isRetryable(new ApiRequestError("hub_unavailable", response.status, ""))).toBe(true);
    expect(JSON.stringify(response.json)).not.toContain(API_KEY);
    expect(await testDb().client.count()).toBe(0);
  });

  it("answers hub_refused, which the browser does not retry, when 360dialog refuses our credentials", async () => {
    await signIn();
    const redirect = await onboard(currentSandbox(), { email: "client@example.com" });
    const { POST } = await importRouteWith(() => import("./route"), {
      HUB_API_URL: `${currentSandbox().url}/api/v2`,
      HUB_PARTNER_ID: PARTNER_ID,
      HUB_API_KEY: "not-the-partner-key",
    });
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const response = await POST(
      new Request(`${APP_ORIGIN}/api/onboarding`, {
        method: "POST",
        headers: { origin: APP_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ client: redirect.client, channels: redirect.channels }),
      }),
    );
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(502);
    expect(body.error.code).toBe("hub_refused");
    expect(JSON.stringify(body)).not.toContain("not-the-partner-key");
    expect(isRetryable(new ApiRequestError(body.error.code, response.status, body.error.message))).toBe(false);
    expect(await testDb().client.count()).toBe(0);
  });
});

describe("GET /api/onboarding?state=", () => {
  const get = async (state: string) => {
    const { GET } = await loadRoute();
    const response = await GET(new Request(`http://localhost/api/onboarding?state=${encodeURIComponent(state)}`));
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const startAttempt = (userId: string) => clickConnect(userId);

  it("reports pending, then the completed result, only to the attempt's owner", async () => {
    const owner = await signIn("owner@example.com");
    const state = await startAttempt(owner.id);
    expect(await get(state)).toEqual({ status: 200, json: { status: "pending" } });

    const redirect = await onboard(currentSandbox(), { email: "owner@example.com", state });
    expect((await post({ client: redirect.client, channels: redirect.channels, state })).status).toBe(200);
    const completed = await get(state);
    expect(completed.json).toMatchObject({ status: "completed", result: { client: { id: redirect.client } } });

    await signIn("intruder@example.com");
    expect((await get(state)).status).toBe(404);
  });

  it("refuses a malformed state with 400", async () => {
    await signIn();
    expect((await get("not a nonce")).status).toBe(400);
  });
});
