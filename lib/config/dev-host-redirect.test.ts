import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD, PHASE_PRODUCTION_SERVER } from "next/constants";
import { afterEach, describe, expect, it, vi } from "vitest";
import nextConfig from "@/next.config";
import { devHostRedirects } from "./dev-host-redirect";
import { localDefaults } from "./local-defaults";

/** The test Next applies to a `host` condition: the Host header up to its first ":", lowercased. */
function hostMatches(value: string, hostHeader: string): boolean {
  return new RegExp(`^${value}$`).test(hostHeader.split(":", 1)[0]!.toLowerCase());
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("devHostRedirects", () => {
  it("sends every other host to APP_URL's origin, same path, temporarily", () => {
    expect(devHostRedirects("http://localhost:3000")).toEqual([
      {
        source: "/:path*",
        missing: [{ type: "host", value: "localhost" }],
        destination: "http://localhost:3000/:path*",
        permanent: false,
      },
    ]);
  });

  it("matches APP_URL's host literally, whatever the port", () => {
    const [rule] = devHostRedirects("http://127.0.0.1:3000");
    const value = rule?.missing?.[0]?.value ?? "";
    expect(hostMatches(value, "127.0.0.1:3000")).toBe(true);
    expect(hostMatches(value, "127.0.0.1")).toBe(true);
    // Unescaped, the dots would match any character.
    expect(hostMatches(value, "127a0b0c1:3000")).toBe(false);
    expect(hostMatches(value, "localhost:3000")).toBe(false);
    expect(hostMatches(value, "127.0.0.10:3000")).toBe(false);
  });

  it("keeps https and the host's case-insensitivity", () => {
    const [rule] = devHostRedirects("https://Dev.Portal.example:8443/ignored/path");
    expect(rule?.destination).toBe("https://dev.portal.example:8443/:path*");
    expect(hostMatches(rule?.missing?.[0]?.value ?? "", "DEV.portal.example:8443")).toBe(true);
  });

  it("has no rule for an IPv6 APP_URL (Next cannot match it: it would redirect to itself) or a malformed one", () => {
    expect(devHostRedirects("http://[::1]:3000")).toEqual([]);
    expect(devHostRedirects("not a url")).toEqual([]);
  });
});

describe("next.config.ts", () => {
  it("redirects other hosts in the development server only", async () => {
    vi.stubEnv("APP_URL", "http://localhost:4321");
    const redirects = await nextConfig(PHASE_DEVELOPMENT_SERVER).redirects?.();
    expect(redirects).toEqual(devHostRedirects("http://localhost:4321"));
    expect(nextConfig(PHASE_PRODUCTION_BUILD).redirects).toBeUndefined();
    expect(nextConfig(PHASE_PRODUCTION_SERVER).redirects).toBeUndefined();
  });

  it("falls back to the local APP_URL like the app does", async () => {
    vi.stubEnv("APP_URL", "");
    expect(await nextConfig(PHASE_DEVELOPMENT_SERVER).redirects?.()).toEqual(devHostRedirects(localDefaults.APP_URL));
  });
});
