import { describe, expect, it } from "vitest";
import { loadSandboxConfig } from "../config";
import { appUsesLocalSandbox, realHubCredentials, sandboxEnvBesideApp } from "../dev-env";
import { localDefaults } from "../../lib/config/local-defaults";

const REAL = {
  HUB_API_URL: "https://hub.360dialog.io/api/v2",
  HUB_PARTNER_ID: "realPA",
  HUB_PLATFORM_SECRET: "real-platform-secret",
  HUB_API_KEY: "real-api-key",
  HUB_USERNAME: "real-user",
  HUB_PASSWORD: "real-password",
  APP_URL: "http://localhost:3000",
  PATH: "/usr/bin",
};

describe("the sandbox beside the app in npm run dev", () => {
  it("counts an unset HUB_API_URL or one naming the local sandbox as local", () => {
    expect(appUsesLocalSandbox({})).toBe(true);
    expect(appUsesLocalSandbox({ HUB_API_URL: "" })).toBe(true);
    expect(appUsesLocalSandbox({ HUB_API_URL: localDefaults.HUB_API_URL })).toBe(true);
    expect(appUsesLocalSandbox({ HUB_API_URL: "http://127.0.0.1:8082/api/v2" })).toBe(true);
    expect(appUsesLocalSandbox({ HUB_API_URL: "http://localhost:9000/api/v2", SANDBOX_PORT: "9000" })).toBe(true);
  });

  it("counts any other Hub as real", () => {
    expect(appUsesLocalSandbox({ HUB_API_URL: REAL.HUB_API_URL })).toBe(false);
    expect(appUsesLocalSandbox({ HUB_API_URL: "http://localhost:9000/api/v2" })).toBe(false);
    expect(appUsesLocalSandbox({ HUB_API_URL: "http://hub.example.com:8082/api/v2" })).toBe(false);
    expect(appUsesLocalSandbox({ HUB_API_URL: "not a url" })).toBe(false);
  });

  it("keeps the app's variables when it uses the local sandbox with the local credentials", () => {
    const env = { ...localDefaults, PATH: "/usr/bin", HUB_IO_SIGNATURE: "off" };
    expect(sandboxEnvBesideApp(env)).toEqual({ env, hubVariablesRemoved: false, reason: null });
    const unset = { APP_URL: REAL.APP_URL, HUB_PLATFORM_SECRET: "", PATH: "/usr/bin" };
    expect(sandboxEnvBesideApp(unset)).toEqual({ env: unset, hubVariablesRemoved: false, reason: null });
  });

  it("counts any credential other than its local default as real", () => {
    expect(realHubCredentials(localDefaults)).toEqual([]);
    expect(realHubCredentials({})).toEqual([]);
    expect(realHubCredentials(REAL)).toEqual([
      "HUB_PLATFORM_SECRET",
      "HUB_API_KEY",
      "HUB_USERNAME",
      "HUB_PASSWORD",
      "HUB_PARTNER_ID",
    ]);
    expect(realHubCredentials({ ...localDefaults, HUB_PARTNER_ID: "realPA" })).toEqual(["HUB_PARTNER_ID"]);
  });

  // The app would default HUB_API_URL to the sandbox, but the real secret must not follow it there:
  // /__sandbox/sign-io would hand out real IO signatures.
  it.each([
    ["no HUB_API_URL", {}],
    ["HUB_API_URL on the local sandbox", { HUB_API_URL: localDefaults.HUB_API_URL }],
  ])("gives the sandbox no HUB_* variable when real ones are set, with %s", (_case, hubApiUrl) => {
    const { HUB_API_URL: _real, ...withoutUrl } = REAL;
    void _real;
    const { env, hubVariablesRemoved, reason } = sandboxEnvBesideApp({ ...withoutUrl, ...hubApiUrl });
    expect(hubVariablesRemoved).toBe(true);
    expect(env).toEqual({ APP_URL: REAL.APP_URL, PATH: REAL.PATH });
    expect(reason).toBe(
      "HUB_PLATFORM_SECRET, HUB_API_KEY, HUB_USERNAME, HUB_PASSWORD, HUB_PARTNER_ID hold real values",
    );
    expect(loadSandboxConfig(env).platformSecret).toBe(localDefaults.HUB_PLATFORM_SECRET);
  });

  it("removes them for a single real value too, and never names a value", () => {
    const { env, reason } = sandboxEnvBesideApp({ ...localDefaults, HUB_PLATFORM_SECRET: "real-platform-secret" });
    expect(Object.keys(env).filter((name) => name.startsWith("HUB_"))).toEqual([]);
    expect(reason).toBe("HUB_PLATFORM_SECRET holds a real value");
  });

  it("removes every HUB_* variable when the app talks to a real Hub, so the sandbox signs with local secrets", () => {
    const { env, hubVariablesRemoved } = sandboxEnvBesideApp(REAL);
    expect(hubVariablesRemoved).toBe(true);
    expect(env).toEqual({ APP_URL: REAL.APP_URL, PATH: REAL.PATH });
    const config = loadSandboxConfig(env);
    expect(config.platformSecret).toBe(localDefaults.HUB_PLATFORM_SECRET);
    expect(config.apiKey).toBe(localDefaults.HUB_API_KEY);
    expect(config.password).toBe(localDefaults.HUB_PASSWORD);
    expect(config.partnerId).toBe(localDefaults.HUB_PARTNER_ID);
  });

  it("still removes them when another Hub is used with the local credentials", () => {
    const { hubVariablesRemoved, reason } = sandboxEnvBesideApp({ ...localDefaults, HUB_API_URL: REAL.HUB_API_URL });
    expect(hubVariablesRemoved).toBe(true);
    expect(reason).toBe("HUB_API_URL is not the local sandbox");
  });
});
