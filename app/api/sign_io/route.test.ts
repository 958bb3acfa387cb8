import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { importRouteWith, signedInAs } from "@/test/route-harness";
import { localDefaults } from "@/lib/config/local-defaults";

const APP_ORIGIN = new URL(localDefaults.APP_URL).origin;
const loadRoute = (ioSignature: "on" | "off") =>
  importRouteWith(() => import("./route"), { HUB_IO_SIGNATURE: ioSignature });
const request = (body: unknown = {}, headers: Record<string, string> = {}) =>
  new Request(`${APP_ORIGIN}/api/sign_io`, {
    method: "POST",
    headers: { origin: APP_ORIGIN, "content-type": "application/json", "x-forwarded-for": "203.0.113.1", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeEach(async () => {
  await resetDatabase();
  signedInAs.mockReset();
});

async function signIn() {
  const user = await createUser("client@example.com");
  signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role: "CLIENT" });
  return user;
}

describe("POST /api/sign_io", () => {
  it("answers 401 JSON without a signed-in user", async () => {
    signedInAs.mockResolvedValue(null);
    const response = await (await loadRoute("on")).POST(request());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("returns a verifiable, uncached signature with its state and expiry", async () => {
    await signIn();
    const response = await (await loadRoute("on")).POST(request());
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "signature", "state", "timestamp"]);
    const expected = createHmac("sha512", localDefaults.HUB_PLATFORM_SECRET)
      .update(`${localDefaults.HUB_PARTNER_ID}|${String(body.timestamp)}`)
      .digest("hex");
    expect(body.signature).toBe(expected);
  });

  it("hands out the same signature until the page reports it spent", async () => {
    await signIn();
    const { POST } = await loadRoute("on");
    const first = (await (await POST(request())).json()) as { state: string };
    const again = (await (await POST(request())).json()) as { state: string };
    const fresh = (await (await POST(request({ spent: first.state }))).json()) as { state: string };
    expect(again.state).toBe(first.state);
    expect(fresh.state).not.toBe(first.state);
    expect(await testDb().onboardingAttempt.count()).toBe(2);
  });

  it("answers 429 with Retry-After once the user has clicked through the limit", async () => {
    await signIn();
    const { POST } = await loadRoute("on");
    const statuses: number[] = [];
    let spent: string | undefined;
    for (let i = 0; i < 11; i++) {
      const response = await POST(request(spent ? { spent } : {}));
      statuses.push(response.status);
      if (response.ok) spent = ((await response.json()) as { state: string }).state;
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const limited = await POST(request({ spent }));
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
  });

  it.each([
    ["another origin", {}, { origin: "https://evil.example" }, 403],
    ["a text/plain body", {}, { "content-type": "text/plain" }, 415],
    ["an unknown field", { spent: "x".repeat(32), extra: 1 }, {}, 400],
    ["a malformed spent state", { spent: "not a nonce" }, {}, 400],
  ])("refuses %s and issues nothing", async (_label, body, headers, status) => {
    await signIn();
    const response = await (await loadRoute("on")).POST(request(body, headers));
    expect(response.status).toBe(status);
    expect(await testDb().onboardingAttempt.count()).toBe(0);
  });

  it("answers 404 with a clear error when IO Signature is switched off", async () => {
    await signIn();
    const response = await (await loadRoute("off")).POST(request());
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("io_signature_disabled");
  });
});
