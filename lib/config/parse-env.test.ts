import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./parse-env";
import { localDefaults } from "./local-defaults";

const validProduction = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://portal:pw@db.example.com:5432/portal",
  AUTH_SECRET: "a".repeat(40),
  APP_URL: "https://portal.example.com/",
  HUB_ENV: "prod",
  HUB_PARTNER_ID: "aAbBcCPA",
  HUB_PLATFORM_SECRET: "p".repeat(32),
  HUB_API_KEY: "partner-key",
  ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")},2:${Buffer.alloc(32, 9).toString("base64")}`,
  CRON_SECRET: "c".repeat(24),
  SMTP_URL: "smtps://user:pw@smtp.example.com:465",
  EMAIL_FROM: "Portal <portal@example.com>",
  ADMIN_EMAILS: "Ops@Example.com, boss@example.com",
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseEnv", () => {
  it("needs nothing in development: every value points at the sandbox and embedded database", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.HUB_API_URL).toBe(localDefaults.HUB_API_URL);
    expect(env.DATABASE_URL).toBe(localDefaults.DATABASE_URL);
    expect(env.HUB_ENV).toBe("local");
    expect(env.ENCRYPTION_KEYS.get(1)).toHaveLength(32);
  });

  it("treats empty strings as missing", () => {
    expect(parseEnv({ NODE_ENV: "test", HUB_PARTNER_ID: "" }).HUB_PARTNER_ID).toBe(localDefaults.HUB_PARTNER_ID);
  });

  it("parses a complete production configuration", () => {
    const env = parseEnv(validProduction);
    expect(env.APP_URL).toBe("https://portal.example.com");
    expect(env.HUB_API_URL).toBe("https://hub.360dialog.io/api/v2");
    expect(env.ADMIN_EMAILS).toEqual(["ops@example.com", "boss@example.com"]);
    expect([...env.ENCRYPTION_KEYS.keys()]).toEqual([1, 2]);
    expect(env.HUB_IO_SIGNATURE).toBe("on");
  });

  it("names every missing variable in production and never defaults to the sandbox", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    for (const name of [
      "DATABASE_URL",
      "AUTH_SECRET",
      "APP_URL",
      "HUB_ENV",
      "HUB_PARTNER_ID",
      "HUB_PLATFORM_SECRET",
      "HUB_API_KEY",
      "ENCRYPTION_KEYS",
      "CRON_SECRET",
      "SMTP_URL",
      "EMAIL_FROM",
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${name}:`)),
        name,
      ).toBe(true);
    }
  });

  it("reports malformed values without echoing them", () => {
    const secret = "short-secret";
    const error = (() => {
      try {
        parseEnv({
          ...validProduction,
          HUB_PLATFORM_SECRET: secret,
          DATABASE_URL: "mysql://x/y",
          ENCRYPTION_KEYS: "1:dG9vc2hvcnQ=",
          HUB_ENV: "dev",
        });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toHaveLength(4);
    expect(error?.message).not.toContain(secret);
    expect(error?.message).toContain("ENCRYPTION_KEYS");
  });

  it("takes a job lock timeout of whole seconds, at least 120 against the real Hub, and leaves it unset by default", () => {
    expect(parseEnv(validProduction).JOB_LOCK_TIMEOUT_SECONDS).toBeUndefined();
    expect(parseEnv({ ...validProduction, JOB_LOCK_TIMEOUT_SECONDS: "120" }).JOB_LOCK_TIMEOUT_SECONDS).toBe(120);
    expect(problemsOf({ ...validProduction, JOB_LOCK_TIMEOUT_SECONDS: "60" })).toEqual([
      expect.stringMatching(/^JOB_LOCK_TIMEOUT_SECONDS: must be at least 120 seconds against the real Hub/),
    ]);
    expect(parseEnv({ NODE_ENV: "test", JOB_LOCK_TIMEOUT_SECONDS: "20" }).JOB_LOCK_TIMEOUT_SECONDS).toBe(20);
    for (const value of ["5", "1.5", "soon"]) {
      expect(problemsOf({ ...validProduction, JOB_LOCK_TIMEOUT_SECONDS: value })).toEqual([
        expect.stringMatching(/^JOB_LOCK_TIMEOUT_SECONDS: /),
      ]);
    }
  });

  it("takes an optional direct PostgreSQL URL beside a pooled DATABASE_URL, validated like it", () => {
    expect(parseEnv(validProduction).DIRECT_URL).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "development" }).DIRECT_URL).toBeUndefined();
    expect(parseEnv({ ...validProduction, DIRECT_URL: "" }).DIRECT_URL).toBeUndefined();
    const direct = "postgres://portal:pw@db.example.com:5432/portal?sslmode=require";
    const env = parseEnv({
      ...validProduction,
      DATABASE_URL: "postgresql://portal:pw@db-pooler.example.com:6432/portal",
      DIRECT_URL: ` ${direct} `,
    });
    expect(env.DIRECT_URL).toBe(direct);
    expect(env.DATABASE_URL).toBe("postgresql://portal:pw@db-pooler.example.com:6432/portal");
    const secret = "direct-secret-password";
    for (const value of [`mysql://portal:${secret}@db.example.com/portal`, `not a url ${secret}`]) {
      const problems = problemsOf({ ...validProduction, DIRECT_URL: value });
      expect(problems).toEqual([expect.stringMatching(/^DIRECT_URL: /)]);
      expect(problems.join("\n")).not.toContain(secret);
    }
    expect(problemsOf({ ...validProduction, DATABASE_URL: "not a url" })).toEqual([
      expect.stringMatching(/^DATABASE_URL: must be a URL/),
    ]);
  });

  describe("in production, refuses what only a local run may use", () => {
    const PUBLISHED = ["AUTH_SECRET", "HUB_PLATFORM_SECRET", "ENCRYPTION_KEYS", "CRON_SECRET"] as const;

    it("refuses each published development secret, naming the variable and never the value", () => {
      const error = (() => {
        try {
          parseEnv({ ...validProduction, ...Object.fromEntries(PUBLISHED.map((name) => [name, localDefaults[name]])) });
        } catch (e) {
          return e as ConfigError;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.problems.map((p) => p.split(":")[0]).sort()).toEqual([...PUBLISHED].sort());
      for (const name of PUBLISHED) expect(error?.message).not.toContain(localDefaults[name]);
    });

    it.each(PUBLISHED)("refuses %s alone, padded with spaces too", (name) => {
      expect(problemsOf({ ...validProduction, [name]: ` ${localDefaults[name]} ` })).toEqual([
        expect.stringMatching(new RegExp(`^${name}: `)),
      ]);
    });

    it("refuses the published encryption key under another version, unless a newer key encrypts", () => {
      const publishedKey = localDefaults.ENCRYPTION_KEYS.split(":")[1];
      const ownKey = Buffer.alloc(32, 3).toString("base64");
      expect(problemsOf({ ...validProduction, ENCRYPTION_KEYS: `7:${publishedKey}` })).toEqual([
        expect.stringMatching(/^ENCRYPTION_KEYS: /),
      ]);
      expect(problemsOf({ ...validProduction, ENCRYPTION_KEYS: `1:${ownKey},2:${publishedKey}` })).toEqual([
        expect.stringMatching(/^ENCRYPTION_KEYS: /),
      ]);
      // Rotating away from it: still needed to decrypt what it encrypted.
      expect(() => parseEnv({ ...validProduction, ENCRYPTION_KEYS: `1:${publishedKey},2:${ownKey}` })).not.toThrow();
    });

    it("accepts the development defaults outside production", () => {
      expect(() => parseEnv({ ...validProduction, NODE_ENV: "test", ...localDefaults })).not.toThrow();
    });

    it("refuses HUB_ENV=local unless APP_URL is on a loopback host", () => {
      expect(problemsOf({ ...validProduction, HUB_ENV: "local" })).toEqual([expect.stringMatching(/^HUB_ENV: /)]);
      expect(problemsOf({ ...validProduction, HUB_ENV: "local", APP_URL: "https://localhost.example.com" })).toEqual([
        expect.stringMatching(/^HUB_ENV: /),
      ]);
      for (const appUrl of [
        "http://localhost:3100",
        "http://127.0.0.1:3000",
        "http://[::1]:3000",
        "https://localhost",
      ]) {
        expect(() => parseEnv({ ...validProduction, HUB_ENV: "local", APP_URL: appUrl }), appUrl).not.toThrow();
      }
    });

    it("refuses a plain-http APP_URL other than loopback", () => {
      expect(problemsOf({ ...validProduction, APP_URL: "http://portal.example.com" })).toEqual([
        expect.stringMatching(/^APP_URL: /),
      ]);
      expect(problemsOf({ ...validProduction, APP_URL: "http://127.0.0.2:3000" })).toEqual([
        expect.stringMatching(/^APP_URL: /),
      ]);
      expect(() => parseEnv({ ...validProduction, APP_URL: "http://localhost:3100" })).not.toThrow();
    });

    it("lists these problems together with the others", () => {
      const problems = problemsOf({
        ...validProduction,
        AUTH_SECRET: localDefaults.AUTH_SECRET,
        HUB_ENV: "local",
        APP_URL: "http://portal.example.com",
        SMTP_URL: "",
      });
      expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["APP_URL", "AUTH_SECRET", "HUB_ENV", "SMTP_URL"]);
    });
  });

  it("checks MESSAGING_WEBHOOK_URL the way 360dialog will, naming the variable and not the value", () => {
    expect(
      parseEnv({ ...validProduction, MESSAGING_WEBHOOK_URL: "https://hooks.example.com/wa" }).MESSAGING_WEBHOOK_URL,
    ).toBe("https://hooks.example.com/wa");
    expect(problemsOf({ ...validProduction, MESSAGING_WEBHOOK_URL: "https://hooks.example.com:8443/wa" })).toEqual([
      "MESSAGING_WEBHOOK_URL: 360dialog refuses webhook URLs with a port: serve it on 443",
    ]);
    expect(problemsOf({ ...validProduction, MESSAGING_WEBHOOK_URL: "https://my_hooks.example.com/" })).toEqual([
      "MESSAGING_WEBHOOK_URL: 360dialog refuses webhook hosts with an underscore",
    ]);
    // Unset, the portal's own receiver under APP_URL gets the messages: a port there would fail every number.
    expect(problemsOf({ ...validProduction, APP_URL: "https://portal.example.com:8443" })).toEqual([
      "MESSAGING_WEBHOOK_URL: unset, so https://portal.example.com:8443/api/webhooks/messages receives messages, but 360dialog refuses webhook URLs with a port: serve it on 443",
    ]);
    // The sandbox reaches a local receiver on its port.
    expect(
      parseEnv({ NODE_ENV: "development", MESSAGING_WEBHOOK_URL: "http://localhost:4000/wa" }).MESSAGING_WEBHOOK_URL,
    ).toBe("http://localhost:4000/wa");
  });

  it("accepts legacy username/password instead of a Partner API key", () => {
    const { HUB_API_KEY: _unused, ...rest } = validProduction;
    void _unused;
    expect(() => parseEnv({ ...rest, HUB_USERNAME: "u", HUB_PASSWORD: "p" })).not.toThrow();
    expect(problemsOf({ ...rest, HUB_USERNAME: "u" })).toEqual([
      "HUB_API_KEY: is required (or HUB_USERNAME and HUB_PASSWORD)",
    ]);
  });
});
