import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";
import { PROTECTED_API_PREFIXES, PROTECTED_PAGE_PREFIXES } from "./access";

// Next's own compiler for `config.matcher` (internal, but what `next build` runs), so these tests
// see exactly the paths the proxy runs on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getMiddlewareMatchers } = require("next/dist/build/analysis/get-page-static-info") as {
  getMiddlewareMatchers: (
    matcher: unknown,
    nextConfig: Record<string, unknown>,
  ) => Array<{ regexp: string; has?: Array<{ type: string; key: string }> }>;
};
const matchers = getMiddlewareMatchers(config.matcher, {}).map(({ regexp, has }) => ({
  re: new RegExp(regexp),
  headers: (has ?? []).filter((condition) => condition.type === "header").map((condition) => condition.key),
}));
const runsOn = (path: string, headers: string[] = []) =>
  matchers.some(({ re, headers: needed }) => re.test(path) && needed.every((name) => headers.includes(name)));
const prefixPatterns = config.matcher.filter((entry) => typeof entry === "string");

describe("proxy matcher", () => {
  it("lists exactly the protected prefixes of lib/auth/access.ts", () => {
    expect([...prefixPatterns].sort()).toEqual(
      [...PROTECTED_PAGE_PREFIXES, ...PROTECTED_API_PREFIXES].map((p) => `${p}/:path*`).sort(),
    );
  });

  it.each([
    "/onboarding",
    "/onboarding/x",
    "/channels",
    "/channels/ch_1",
    "/admin",
    "/admin/users/1",
    "/api/sign_io",
    "/api/onboarding",
    "/api/onboarding/complete",
    "/api/channels",
    "/api/channels/ch_1/key",
  ])("runs on %s", (path) => {
    expect(runsOn(path)).toBe(true);
  });

  it.each([
    "/",
    "/login",
    "/login/check-email",
    "/api/auth/session",
    "/api/auth/callback/nodemailer",
    "/api/webhooks/360dialog",
    "/api/cron/reconcile",
    "/api/health",
    "/_next/static/chunks/main.js",
    "/_next/image",
    "/favicon.ico",
    "/onboardingx",
  ])("stays off %s", (path) => {
    expect(runsOn(path)).toBe(false);
  });

  it.each(["/", "/login", "/login/check-email", "/admin/setup"])(
    "runs on %s when the request carries an Origin",
    (path) => {
      expect(runsOn(path, ["origin"])).toBe(true);
    },
  );

  it.each(["/api/auth/signin/nodemailer", "/api/webhooks/360dialog", "/_next/static/chunks/main.js"])(
    "stays off %s even with an Origin",
    (path) => {
      expect(runsOn(path, ["origin"])).toBe(false);
    },
  );
});

const request = (path: string, cookie?: string) =>
  new NextRequest(`http://localhost:3100${path}`, cookie ? { headers: { cookie } } : undefined);
const post = (path: string, headers: Record<string, string>) =>
  new NextRequest(`http://localhost:3100${path}`, { method: "POST", headers: { host: "localhost:3100", ...headers } });

describe("proxy", () => {
  it("redirects a page visit without a session cookie to /login with the callbackUrl", () => {
    const response = proxy(request("/onboarding?client=c1"));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!);
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("callbackUrl")).toBe("/onboarding?client=c1");
  });

  it("answers 401 JSON to an API call without a session cookie", async () => {
    const response = proxy(request("/api/channels"));
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it.each(["authjs.session-token", "__Secure-authjs.session-token"])("lets requests carrying %s through", (name) => {
    const response = proxy(request("/api/sign_io", `${name}=abc`));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("is not fooled by other auth cookies", () => {
    expect(proxy(request("/channels", "authjs.csrf-token=x; authjs.callback-url=y")).status).toBe(307);
  });

  it("passes the requested path on to the page as a request header", () => {
    const response = proxy(request("/channels?tab=live", "authjs.session-token=abc"));
    expect(response.headers.get("x-middleware-request-x-portal-request-path")).toBe("/channels?tab=live");
  });

  it.each(["https://evil.example", "null", "http://localhost:3100.evil.example", "not a url"])(
    "refuses a POST to a page from origin %s with 403 JSON, before Next's own check answers 500",
    async (origin) => {
      const response = proxy(post("/login", { origin, "next-action": "40ab" }));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "cross_origin", message: expect.any(String) } });
    },
  );

  it("lets a page's own POST through, and judges a proxied one by x-forwarded-host", () => {
    expect(proxy(post("/login", { origin: "http://localhost:3100" })).status).toBe(200);
    expect(
      proxy(post("/login", { origin: "https://portal.example.com", "x-forwarded-host": "portal.example.com" })).status,
    ).toBe(200);
    expect(proxy(post("/login", {})).status).toBe(200);
  });
});
