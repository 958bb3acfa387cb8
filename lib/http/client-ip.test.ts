import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

describe("clientIp", () => {
  it("takes the first x-forwarded-for entry, else x-real-ip", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.2" }))).toBe("198.51.100.2");
  });

  it.each(["127.0.0.1", "::1", "::ffff:127.0.0.1"])("has no address to limit for loopback %s", (address) => {
    expect(clientIp(new Headers({ "x-forwarded-for": address }))).toBeNull();
  });

  it("has no address to limit without the headers", () => {
    expect(clientIp(new Headers())).toBeNull();
  });
});
