import { describe, expect, it } from "vitest";
import { loadSandboxConfig } from "../config";
import { appUsesLocalSandbox, sandboxEnvBesideApp } from "../dev-env";
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

  it("keeps the app's variables when the app uses the local sandbox", () => {
    const env = { ...REAL, HUB_API_URL: localDefaults.HUB_API_URL };
    expect(sandboxEnvBesideApp(env)).toEqual({ env, hubVariablesRemoved: false });
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
});
