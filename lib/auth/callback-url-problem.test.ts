import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { callbackUrlProblem } from "./callback-url-problem";

const request = (query: string, cookie?: string) =>
  new NextRequest(`http://localhost:3100/api/auth/signin?${query}`, cookie ? { headers: { cookie } } : undefined);

describe("callbackUrlProblem", () => {
  it.each(["", "callbackUrl=%2Fchannels", "callbackUrl=https%3A%2F%2Fportal.example.com%2Fx", "callbackUrl="])(
    "lets %s through to Auth.js",
    (query) => {
      expect(callbackUrlProblem(request(query))).toBeNull();
    },
  );

  it.each([
    "callbackUrl=7xP_",
    "callbackUrl=__proto__",
    "callbackUrl=javascript%3Aalert(1)",
    "callbackUrl=%F0%9F%98%80",
  ])("refuses the query %s, which Auth.js would answer with a 500", (query) => {
    expect(callbackUrlProblem(request(query))).toMatch(/callbackUrl/);
  });

  it("refuses an unusable callback-URL cookie, over http and https, and accepts a path", () => {
    expect(callbackUrlProblem(request("", "authjs.callback-url=nonsense"))).toMatch(/cookie/);
    expect(callbackUrlProblem(request("", "__Secure-authjs.callback-url=ftp%3A%2F%2Fx"))).toMatch(/cookie/);
    expect(callbackUrlProblem(request("", "authjs.callback-url=%2Fadmin"))).toBeNull();
  });
});
