import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Integration: a real `next dev` with the project's next.config.ts, on a free port and loopback only.
// It takes the `.next/dev` lock, so it fails if another `next dev` runs in this directory.

let server: ChildProcess | undefined;
let port = 0;
let output = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** GET on 127.0.0.1 with a chosen Host header, redirects not followed. */
function get(path: string, host: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    req.once("error", reject);
    req.end();
  });
}

async function waitUntilListening(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`next dev exited early:\n${output}`);
    try {
      await get("/", `127.0.0.1:${port}`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`next dev did not answer within ${timeoutMs} ms:\n${output}`);
}

beforeAll(async () => {
  port = await freePort();
  const child = spawn("node_modules/.bin/next", ["dev", "-p", String(port), "-H", "127.0.0.1"], {
    // DATABASE_URL comes through process.env, from vitest's global setup.
    env: { ...process.env, NODE_ENV: "development", APP_URL: `http://localhost:${port}` },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  await waitUntilListening(45_000);
}, 60_000);

afterAll(async () => {
  const pid = server?.pid;
  if (!server || pid === undefined || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server?.once("exit", resolve));
  process.kill(-pid, "SIGTERM");
  const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}, 15_000);

describe("next dev on another host of this machine", () => {
  it("redirects 127.0.0.1 to APP_URL's origin, path and query kept", async () => {
    const response = await get("/channels?x=1", `127.0.0.1:${port}`);
    expect(response).toEqual({ status: 307, location: `http://localhost:${port}/channels?x=1` });
  }, 60_000);

  it("leaves requests on APP_URL's host to the app (here: the proxy's sign-in redirect)", async () => {
    const response = await get("/channels?x=1", `localhost:${port}`);
    expect(response.location).not.toBe(`http://localhost:${port}/channels?x=1`);
    expect(response.location).toMatch(/\/login\?callbackUrl=%2Fchannels%3Fx%3D1$/);
  }, 60_000);
});
