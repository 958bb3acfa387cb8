import { afterEach, describe, expect, it, vi } from "vitest";
import { localDefaults } from "./local-defaults";
import { validateConfigAtStartup } from "./validate-at-startup";

const PUBLISHED = ["AUTH_SECRET", "HUB_PLATFORM_SECRET", "ENCRYPTION_KEYS", "CRON_SECRET"] as const;

/** Runs the startup check on `env`; returns the exit code it asked for (null: none) and what it printed. */
function startWith(env: Record<string, string>): { exitCode: number | null; printed: string } {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  let exitCode: number | null = null;
  let printed = "";
  vi.spyOn(process, "exit").mockImplementation((code) => {
    exitCode = Number(code);
    return undefined as never;
  });
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    printed += args.map(String).join(" ");
  });
  validateConfigAtStartup();
  return { exitCode, printed };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("validateConfigAtStartup", () => {
  it("refuses a production start on the local defaults, naming each published secret and no value", () => {
    const { exitCode, printed } = startWith({ ...localDefaults, NODE_ENV: "production" });
    expect(exitCode).toBe(1);
    expect(printed).toContain("Invalid configuration:");
    for (const name of PUBLISHED) {
      expect(printed).toContain(`${name}: is the published development default`);
      expect(printed).not.toContain(localDefaults[name]);
    }
  });

  it("lets a production start on loopback with fresh secrets through (how the e2e suite runs)", () => {
    const { exitCode, printed } = startWith({
      ...localDefaults,
      NODE_ENV: "production",
      APP_URL: "http://localhost:3100",
      AUTH_SECRET: "e".repeat(43),
      HUB_PLATFORM_SECRET: "p".repeat(43),
      ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 5).toString("base64")}`,
      CRON_SECRET: "c".repeat(43),
    });
    expect(printed).toBe("");
    expect(exitCode).toBeNull();
  });
});
