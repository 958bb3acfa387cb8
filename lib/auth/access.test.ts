import { describe, expect, it } from "vitest";
import {
  classifyPath,
  decideAccess,
  hasSessionCookie,
  loginRedirectLocation,
  normalizePathname,
  SESSION_COOKIE_NAMES,
  unauthorizedResponse,
} from "./access";

const redirectTo = (callbackUrl: string) => ({
  action: "redirect",
  location: `/login?${new URLSearchParams({ callbackUrl })}`,
});

describe("decideAccess", () => {
  it.each([
    "/onboarding",
    "/onboarding/",
    "/onboarding/step/2",
    "/channels",
    "/channels/abc",
    "/admin",
    "/admin/users",
  ])("redirects the page %s to /login with a callbackUrl when there is no session cookie", (path) => {
    expect(decideAccess(path, false)).toEqual(redirectTo(path));
  });

  it("keeps the query string in the callbackUrl", () => {
    expect(decideAccess("/onboarding", false, "?client=c1&channels=[x]")).toEqual(
      redirectTo("/onboarding?client=c1&channels=[x]"),
    );
  });

  it.each([
    "/api/sign_io",
    "/api/sign_io/",
    "/api/onboarding",
    "/api/onboarding/complete",
    "/api/channels",
    "/api/channels/ch1/key",
  ])("answers 401 for the API %s when there is no session cookie", (path) => {
    expect(decideAccess(path, false)).toEqual({ action: "unauthorized" });
  });

  it.each(["/onboarding", "/admin/x", "/api/sign_io", "/api/channels/ch1"])(
    "lets %s through with a session cookie (checked server-side)",
    (path) => {
      expect(decideAccess(path, true)).toEqual({ action: "allow" });
    },
  );

  it.each([
    "/",
    "/login",
    "/login/check-email",
    "/login/sign-out",
    "/api/auth/session",
    "/api/auth/callback/nodemailer",
    "/api/auth/signin/github",
    "/api/webhooks/360dialog",
    "/api/webhooks",
    "/api/cron/reconcile",
    "/api/health",
    "/_next/static/chunks/app.js",
    "/_next/image",
    "/favicon.ico",
    "/robots.txt",
  ])("never gates the public path %s", (path) => {
    expect(decideAccess(path, false)).toEqual({ action: "allow" });
  });

  it("matches whole segments only", () => {
    expect(decideAccess("/onboardingfoo", false)).toEqual({ action: "allow" });
    expect(decideAccess("/channels-public", false)).toEqual({ action: "allow" });
    expect(decideAccess("/api/sign_iox", false)).toEqual({ action: "allow" });
    expect(decideAccess("/administrator", false)).toEqual({ action: "allow" });
  });

  it("is not fooled by encoding, case, doubled slashes or backslashes", () => {
    expect(decideAccess("/api/%73ign_io", false)).toEqual({ action: "unauthorized" });
    expect(decideAccess("/API/Sign_IO", false)).toEqual({ action: "unauthorized" });
    expect(decideAccess("//api//channels", false)).toEqual({ action: "unauthorized" });
    expect(decideAccess("/api\\channels", false)).toEqual({ action: "unauthorized" });
    expect(decideAccess("/%4Fnboarding", false).action).toBe("redirect");
    expect(decideAccess("/onboarding/%E0%A4%A", false).action).toBe("redirect");
  });
});

describe("classifyPath", () => {
  it("sorts protected pages, protected APIs and everything else", () => {
    expect(classifyPath("/channels")).toBe("page");
    expect(classifyPath("/api/onboarding")).toBe("api");
    expect(classifyPath("/api/webhooks/x")).toBe("public");
    expect(classifyPath("/api/unknown")).toBe("public");
  });
});

describe("normalizePathname", () => {
  it("decodes, lowercases and collapses slashes", () => {
    expect(normalizePathname("/A//b/%43/")).toBe("/a/b/c");
    expect(normalizePathname("/")).toBe("/");
  });
});

describe("loginRedirectLocation", () => {
  it("only carries a relative callbackUrl", () => {
    expect(loginRedirectLocation("/channels?x=1")).toBe("/login?callbackUrl=%2Fchannels%3Fx%3D1");
    expect(loginRedirectLocation("//evil.example/x")).toBe("/login?callbackUrl=%2F");
    expect(loginRedirectLocation("https://evil.example")).toBe("/login?callbackUrl=%2F");
  });

  it.each([
    "/\\evil.example/x",
    "/.//evil.example/x",
    "/%2e//evil.example/x",
    "/a/..//evil.example/x",
    "/\t/evil.example",
  ])("never carries %j, which resolves to another host", (path) => {
    expect(loginRedirectLocation(path)).toBe("/login?callbackUrl=%2F");
  });

  it("keeps ordinary paths with their query as written", () => {
    expect(loginRedirectLocation("/onboarding?client=a&channels=[b]")).toBe(
      `/login?${new URLSearchParams({ callbackUrl: "/onboarding?client=a&channels=[b]" })}`,
    );
  });
});

describe("hasSessionCookie", () => {
  it("accepts the http and https session cookie names, non-empty only", () => {
    expect(SESSION_COOKIE_NAMES).toEqual(["authjs.session-token", "__Secure-authjs.session-token"]);
    expect(hasSessionCookie((name) => (name === "authjs.session-token" ? "abc" : undefined))).toBe(true);
    expect(hasSessionCookie((name) => (name === "__Secure-authjs.session-token" ? "abc" : undefined))).toBe(true);
    expect(hasSessionCookie((name) => (name === "authjs.session-token" ? "" : undefined))).toBe(false);
    expect(hasSessionCookie((name) => (name === "authjs.csrf-token" ? "abc" : undefined))).toBe(false);
    expect(hasSessionCookie(() => undefined)).toBe(false);
  });
});

describe("API error responses", () => {
  it("401 has the portal's error shape and is not cached", async () => {
    const response = unauthorizedResponse();
    expect(response.status).toBe(401);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toEqual(expect.any(String));
  });
});
