import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, serverUser } from "../lib/throwaway-postgres";

/** PgBouncer's binary: Debian's package, else the first on PATH. */
export function findPgBouncer(): string {
  const candidates = [
    "/usr/sbin/pgbouncer",
    ...(process.env.PATH ?? "")
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, "pgbouncer")),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      'PgBouncer not found (looked at /usr/sbin/pgbouncer and on PATH). Install it with "apt-get install -y pgbouncer".',
    );
  }
  return found;
}

export type RunningPgBouncer = { url: string; stop(): Promise<void> };

// Names go into PgBouncer's ini unquoted; a throwaway test database never needs more than this.
const PLAIN = /^[A-Za-z0-9_.:-]+$/;

/**
 * PgBouncer in transaction mode in front of the database at `directUrl`, as a deployment's pooled
 * DATABASE_URL would be (Neon's pooler is PgBouncer in this mode): a free loopback port, loopback
 * clients trusted, the server logged in to with the direct URL's own credentials. The pooled URL
 * names the same user and database. Stopped with the calling process at the latest.
 */
export async function startPgBouncer(directUrl: string): Promise<RunningPgBouncer> {
  const binary = findPgBouncer();
  const direct = new URL(directUrl);
  const server = {
    host: direct.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: direct.port || "5432",
    user: decodeURIComponent(direct.username) || "postgres",
    database: decodeURIComponent(direct.pathname.slice(1)) || "postgres",
  };
  for (const [name, value] of Object.entries(server)) {
    if (!PLAIN.test(value))
      throw new Error(`pgbouncer: the database URL's ${name} has characters this setup does not quote`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pgbouncer-"));
  const port = await freePort();
  const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;
  // Trusted clients, so PgBouncer logs in to the server with the password it finds here.
  fs.writeFileSync(
    path.join(root, "userlist.txt"),
    `${quoted(server.user)} ${quoted(decodeURIComponent(direct.password))}\n`,
    { mode: 0o600 },
  );
  const ini = path.join(root, "pgbouncer.ini");
  fs.writeFileSync(
    ini,
    [
      "[databases]",
      `${server.database} = host=${server.host} port=${server.port} dbname=${server.database}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      // No unix socket: nothing here uses one, and it could collide with another PgBouncer's.
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(root, "userlist.txt")}`,
      "pool_mode = transaction",
      // Every job drain opens a small pool of its own, and the fuzzing specs drain a lot at once.
      "max_client_conn = 1000",
      // Sent by some PostgreSQL clients at startup; a pooler that refuses them refuses the client.
      "ignore_startup_parameters = extra_float_digits,options",
      "log_connections = 0",
      "log_disconnections = 0",
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root, like PostgreSQL.
  const owner = serverUser();
  if (owner) {
    for (const file of [root, ini, path.join(root, "userlist.txt")]) fs.chownSync(file, owner.uid, owner.gid);
  }

  const child = spawn(binary, [ini], { cwd: root, stdio: ["ignore", "pipe", "pipe"], ...(owner ?? {}) });
  let output = "";
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      if (!stopping) console.error(`pgbouncer exited unexpectedly (${signal ?? `exit ${code}`}):\n${output}`);
      resolve();
    }),
  );
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  };
  // An e2e run that crashes must not leave a pooler behind.
  process.on("exit", killNow);

  const url = `postgresql://${encodeURIComponent(server.user)}@127.0.0.1:${port}/${encodeURIComponent(server.database)}`;
  const stop = async () => {
    stopping = true;
    process.removeListener("exit", killNow);
    if (child.exitCode === null && child.signalCode === null) {
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(force);
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, exited);
  } catch (error) {
    await stop();
    throw new Error(`pgbouncer: ${error instanceof Error ? error.message : String(error)}\n${output}`);
  }
  return { url, stop };
}

/** Resolves once a query goes through the pooler to the server; fails if PgBouncer exits first. */
async function waitUntilServing(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 15_000;
  let last = "no answer";
  while (Date.now() < deadline && !gone) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(gone ? "exited while starting" : `not serving within 15 s (${last})`);
}
