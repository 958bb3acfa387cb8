import { spawn } from "node:child_process";
import { expect, test } from "./support/test";

// Runs the same production build as the rest of the suite, started with no configuration at all.
test("a production start without configuration fails fast and names every missing variable", async () => {
  const child = spawn("node_modules/.bin/next", ["start", "-p", "3199", "-H", "127.0.0.1"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      resolve(null);
    }, 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

  expect(exitCode).toBe(1);
  expect(output).toContain("Invalid configuration:");
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
    expect(output).toContain(`${name}:`);
  }
});
