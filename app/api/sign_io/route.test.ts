import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase } from "@/test/db";
import { importRouteWith, signedInAs } from "@/test/route-harness";
import { localDefaults } from "@/lib/config/local-defaults";

const loadRoute = (ioSignature: "on" | "off") =>
  importRouteWith(() => import("./route"), { HUB_IO_SIGNATURE: ioSignature });

beforeEach(async () => {
  await resetDatabase();
  signedInAs.mockReset();
});

describe("POST /api/sign_io", () => {
  it("answers 401 JSON without a signed-in user", async () => {
    signedInAs.mockResolvedValue(null);
    const response = await (await loadRoute("on")).POST();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("returns a verifiable, uncached signature with its state and expiry", async () => {
    const user = await createUser("client@example.com");
    signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role: "CLIENT" });
    const response = await (await loadRoute("on")).POST();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "signature", "state", "timestamp"]);
    const expected = createHmac("sha512", localDefaults.HUB_PLATFORM_SECRET)
      .update(`${localDefaults.HUB_PARTNER_ID}|${String(body.timestamp)}`)
      .digest("hex");
    expect(body.signature).toBe(expected);
  });

  it("answers 429 with Retry-After once the user's limit is spent", async () => {
    const user = await createUser("client@example.com");
    signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role: "CLIENT" });
    const { POST } = await loadRoute("on");
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await POST()).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const limited = await POST();
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
  });

  it("answers 404 with a clear error when IO Signature is switched off", async () => {
    const user = await createUser("client@example.com");
    signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role: "CLIENT" });
    const response = await (await loadRoute("off")).POST();
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("io_signature_disabled");
  });
});
