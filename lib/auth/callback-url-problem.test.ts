import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { callbackUrlProblem } from "./callback-url-problem";

const request = (query: string, cookie?: string) =>
  new NextRequest(`http://localhost:3100/api/auth/signin?${query}`, cookie ? { headers: { cookie } } : undefined);
const overHttp = { secureCookies: false };
const overHttps = { secureCookies: true };

describe("callbackUrlProblem", () => {
  it.each(["", "callbackUrl=%2Fchannels", "callbackUrl=https%3A%2F%2Fportal.example.com%2Fx", "callbackUrl="])(
    "lets %s through to Auth.js",
    (query) => {
      expect(callbackUrlProblem(request(query), overHttp)).toBeNull();
    },
  );

  it.each([
    "callbackUrl=7xP_",
    "callbackUrl=__proto__",
    "callbackUrl=javascript%3Aalert(1)",
    "callbackUrl=%F0%9F%98%80",
    // Auth.js reads the last of repeated parameters; every one is checked.
    "callbackUrl=%2F&callbackUrl=javascript%3Ax",
  ])("refuses the query %s, which Auth.js would answer with a 500", (query) => {
    expect(callbackUrlProblem(request(query), overHttp)).toEqual({
      message: expect.stringMatching(/callbackUrl/),
      clearCookie: null,
    });
  });

  it("refuses and expires an unusable callback-URL cookie of the name Auth.js reads, and accepts a path", () => {
    expect(callbackUrlProblem(request("", "authjs.callback-url=nonsense"), overHttp)).toEqual({
      message: expect.stringMatching(/cookie/),
      clearCookie: expect.stringMatching(/^authjs\.callback-url=; Path=\/; Max-Age=0/),
    });
    const secure = callbackUrlProblem(request("", "__Secure-authjs.callback-url=ftp%3A%2F%2Fx"), overHttps);
    expect(secure?.clearCookie).toMatch(/^__Secure-authjs\.callback-url=;.*; Secure$/);
    // Repeated or malformed cookies: any bad one is refused.
    expect(
      callbackUrlProblem(request("", "authjs.callback-url=%2F; authjs.callback-url=%E0%A4%A"), overHttp),
    ).not.toBeNull();
    expect(callbackUrlProblem(request("", "authjs.callback-url=%2Fadmin"), overHttp)).toBeNull();
  });

  it("ignores the callback-URL cookie of the other scheme, which Auth.js does not read", () => {
    expect(callbackUrlProblem(request("", "authjs.callback-url=nonsense"), overHttps)).toBeNull();
    expect(callbackUrlProblem(request("", "__Secure-authjs.callback-url=nonsense"), overHttp)).toBeNull();
  });
});
