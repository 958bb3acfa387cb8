import { describe, expect, it } from "vitest";
import { maskSecrets } from "./mask-secrets";

describe("maskSecrets", () => {
  it("keeps the last four characters of a long secret and hides a short one whole", () => {
    expect(maskSecrets({ api_key: "abcdefghijWXYZ", token: "short" })).toEqual({
      api_key: "••••WXYZ",
      token: "••••",
    });
  });

  it.each([
    "apiKey",
    "API_KEY",
    "D360-API-KEY",
    "access_token",
    "client_secret",
    "Password",
    "Authorization",
    "signature",
    "privateKey",
    "passwd",
    "credentials",
    "Cookie",
    "session_id",
    "pin",
    "key",
    "auth",
  ])("masks the value under %s", (key) => {
    expect(maskSecrets({ [key]: "123456789012" })).toEqual({ [key]: "••••9012" });
  });

  it("masks at any depth, inside arrays too, and leaves everything else as it was", () => {
    const payload = {
      type: "channel_created",
      entry: [{ id: "CH1", config: { webhook_token: "tok_0123456789", url: "https://example.com" } }],
      count: 3,
      nothing: null,
    };
    expect(maskSecrets(payload)).toEqual({
      type: "channel_created",
      entry: [{ id: "CH1", config: { webhook_token: "••••6789", url: "https://example.com" } }],
      count: 3,
      nothing: null,
    });
  });

  it("masks a whole object or a number held under a secret key", () => {
    expect(maskSecrets({ secret: { value: "x" }, pin_password: 12345678901 })).toEqual({
      secret: "••••",
      pin_password: "••••",
    });
  });

  it("does not change the value it was given", () => {
    const payload = { api_key: "abcdefghijWXYZ" };
    maskSecrets(payload);
    expect(payload.api_key).toBe("abcdefghijWXYZ");
  });
});
