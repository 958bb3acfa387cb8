import { describe, expect, it } from "vitest";
import { buildMagicLink, isLocalPath, isProtocolRelative, rebaseUrl, resolveRedirect, safeCallbackPath } from "./urls";

const APP = "https://portal.example.com";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths with query and hash", () => {
    expect(safeCallbackPath("/onboarding?client=1#top", APP)).toBe("/onboarding?client=1#top");
    expect(safeCallbackPath("https://portal.example.com/channels", APP)).toBe("/channels");
  });

  it.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "https://evil.example/onboarding",
    "http://portal.example.com/channels",
    "https://portal.example.com.evil.example/",
    "javascript:alert(1)",
    "data:text/html,hi",
  ])("falls back for %s", (value) => {
    expect(safeCallbackPath(value, APP)).toBe("/");
  });

  // Each stays on APP_URL's origin once resolved, but dot segments, encodings or backslashes turn
  // it into a path starting with `//`, which a browser reads as another host in a Location header.
  it.each([
    "/.//evil.example/x",
    "/%2e//evil.example/x",
    "/%2E%2E//evil.example/x",
    "/a/..//evil.example/x",
    "/./\\evil.example/x",
    "/.\\\\evil.example/x",
  ])("falls back for %s, which resolves to a protocol-relative path", (value) => {
    expect(safeCallbackPath(value, APP)).toBe("/");
    expect(safeCallbackPath(value, "http://localhost:3000", "/onboarding")).toBe("/onboarding");
  });

  it.each(["//x", "/\\x", "/\\\\x", "\\\\x", "/\t/x", "/\n/x"])("falls back for %j", (value) => {
    expect(safeCallbackPath(value, APP)).toBe("/");
  });

  it("keeps encoded slashes and backslashes encoded: they stay one path segment", () => {
    expect(safeCallbackPath("%2F%2Fx", APP)).toBe("/%2F%2Fx");
    expect(safeCallbackPath("/%2F%2Fx", APP)).toBe("/%2F%2Fx");
    expect(safeCallbackPath("/%5C%5Cx", APP)).toBe("/%5C%5Cx");
  });

  it("keeps ordinary paths with queries, doubled slashes after the first segment included", () => {
    expect(safeCallbackPath("/onboarding?client=a&channels=[b]", APP)).toBe("/onboarding?client=a&channels=[b]");
    expect(safeCallbackPath("/channels//x", APP)).toBe("/channels//x");
    expect(safeCallbackPath("/onboarding/../channels", APP)).toBe("/channels");
  });

  it("falls back for non-strings and empty values", () => {
    expect(safeCallbackPath(undefined, APP)).toBe("/");
    expect(safeCallbackPath(null, APP, "/onboarding")).toBe("/onboarding");
    expect(safeCallbackPath("", APP)).toBe("/");
  });
});

describe("resolveRedirect", () => {
  it("makes relative and same-origin URLs absolute on APP_URL", () => {
    expect(resolveRedirect("/onboarding", APP)).toBe("https://portal.example.com/onboarding");
    expect(resolveRedirect("https://portal.example.com/channels?x=1", APP)).toBe(
      "https://portal.example.com/channels?x=1",
    );
  });

  it("sends foreign destinations to APP_URL's root", () => {
    expect(resolveRedirect("https://evil.example/phish", APP)).toBe("https://portal.example.com/");
    expect(resolveRedirect("//evil.example", APP)).toBe("https://portal.example.com/");
  });

  it("sends paths that resolve to `//host` to APP_URL's root, not to a double-slash path", () => {
    for (const url of ["/.//evil.example/x", "/%2e//evil.example/x", "/a/..//evil.example/x", "/./\\evil.example"]) {
      expect(resolveRedirect(url, APP)).toBe("https://portal.example.com/");
    }
  });
});

describe("buildMagicLink", () => {
  const token = "3f1c0ffee";
  const authJsLink = (origin: string, callbackUrl: string) =>
    `${origin}/api/auth/callback/nodemailer?${new URLSearchParams({ callbackUrl, token, email: "a@b.co" })}`;

  it("keeps a link that is already on APP_URL", () => {
    const link = authJsLink(APP, `${APP}/onboarding`);
    expect(buildMagicLink(link, APP)).toBe(link);
  });

  it("puts a link built from a forged Host back on APP_URL, token intact", () => {
    const mailed = new URL(buildMagicLink(authJsLink("https://attacker.example", "https://attacker.example/x"), APP));
    expect(mailed.origin).toBe(APP);
    expect(mailed.pathname).toBe("/api/auth/callback/nodemailer");
    expect(mailed.searchParams.get("token")).toBe(token);
    expect(mailed.searchParams.get("email")).toBe("a@b.co");
    // A foreign callbackUrl cannot survive either: it becomes APP_URL's root.
    expect(mailed.searchParams.get("callbackUrl")).toBe(`${APP}/`);
  });

  it("ignores the forged origin's port and protocol too", () => {
    const mailed = new URL(buildMagicLink(authJsLink("http://portal.example.com:8080", "/channels"), APP));
    expect(mailed.origin).toBe(APP);
    expect(mailed.searchParams.get("callbackUrl")).toBe(`${APP}/channels`);
  });

  it("keeps a path that looks protocol-relative a path", () => {
    expect(new URL(buildMagicLink("https://attacker.example//evil.example/x?token=t", APP)).origin).toBe(APP);
  });

  it("works with an http APP_URL with a port (local and e2e)", () => {
    const mailed = buildMagicLink(authJsLink("http://127.0.0.1:3100", "/onboarding"), "http://localhost:3100");
    expect(mailed.startsWith("http://localhost:3100/api/auth/callback/nodemailer?")).toBe(true);
  });
});

describe("isProtocolRelative", () => {
  it("spots `//` and `/\\` at the start only", () => {
    for (const path of ["//x", "/\\x", "\\\\x", "\\/x"]) expect(isProtocolRelative(path), path).toBe(true);
    for (const path of ["/x", "/x//y", "/", ""]) expect(isProtocolRelative(path), path).toBe(false);
  });
});

describe("isLocalPath", () => {
  it("accepts relative paths that stay on the origin", () => {
    expect(isLocalPath("/onboarding?client=a&channels=[b]")).toBe(true);
    expect(isLocalPath("/")).toBe(true);
  });

  it.each(["//x", "/\\x", "/.//x", "/%2e//x", "/a/..//x", "/\t/x", "https://evil.example", "x", ""])(
    "refuses %j",
    (path) => {
      expect(isLocalPath(path)).toBe(false);
    },
  );
});

describe("rebaseUrl", () => {
  it("moves path and query onto APP_URL's origin", () => {
    expect(rebaseUrl("http://evil.example:1234/api/auth/signin/nodemailer?x=1", APP)).toBe(
      `${APP}/api/auth/signin/nodemailer?x=1`,
    );
  });
});
