import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type ThrowawayPostgres = { url: string; stop(): Promise<void> };

/**
 * The directory holding `initdb`, `pg_ctl` and `postgres`, or null when PostgreSQL is not installed.
 * Debian keeps server binaries off PATH (/usr/lib/postgresql/<major>/bin), so look there first.
 */
export function findPostgresBinaries(): string | null {
  const hasServer = (dir: string) =>
    ["initdb", "pg_ctl", "postgres"].every((bin) => fs.existsSync(path.join(dir, bin)));
  const debianRoot = "/usr/lib/postgresql";
  if (fs.existsSync(debianRoot)) {
    const majors = fs
      .readdirSync(debianRoot)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const dir = path.join(debianRoot, major, "bin");
      if (hasServer(dir)) return dir;
    }
  }
  try {
    const dir = execFileSync("pg_config", ["--bindir"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (dir && hasServer(dir)) return dir;
  } catch {
    // No pg_config on PATH.
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && hasServer(dir)) return dir;
  }
  return null;
}

/**
 * Starts a private PostgreSQL cluster in a temp dir: trust auth, no fsync (its data is thrown away),
 * listening on 127.0.0.1 on a free port with its unix socket inside the temp dir, so it never
 * collides with a system server. About 2 s to start.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install -y postgresql)");
  const owner = serverUser();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "throwaway-pg-"));
  const dataDir = path.join(root, "data");
  // PostgreSQL refuses to run as root: hand the dir to the postgres user and run the tools as it.
  if (owner) fs.chownSync(root, owner.uid, owner.gid);
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const pgCtl = path.join(bin, "pg_ctl");

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", stopSync);
    if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
      spawnSync(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"], { cwd: root, stdio: "ignore", ...asOwner });
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  // A crashed or interrupted caller must not leave a server running.
  process.on("exit", stopSync);

  try {
    await exec(
      path.join(bin, "initdb"),
      ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
      { cwd: root, ...asOwner },
    );
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${root}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
    ];
    await exec(
      pgCtl,
      ["-D", dataDir, "-l", path.join(root, "server.log"), "-o", options.join(" "), "-w", "-t", "30", "start"],
      { cwd: root, ...asOwner },
    );
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => stopSync(),
    };
  } catch (error) {
    const log = readIfExists(path.join(root, "server.log"));
    stopSync();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${log ? `\nserver log:\n${log}` : ""}`);
  }
}

/** The account to run the server as when we are root (it refuses root); null when we are not. */
export function serverUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(
        execFileSync("id", ["-u", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
      );
      const gid = Number(
        execFileSync("id", ["-g", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
      );
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
    } catch {
      // No such user; try the next.
    }
  }
  throw new Error("Running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as");
}

function exec(command: string, args: string[], options: { cwd: string; uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    // pg_ctl's server keeps inherited pipes open, so collect output only until the command exits.
    const child = spawn(command, args, {
      ...options,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").slice(-4000);
  } catch {
    return "";
  }
}
