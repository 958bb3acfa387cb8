import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { migrateDeploy } from "@/scripts/lib/migrate";
import { findPostgresBinaries, startThrowawayPostgres } from "@/scripts/lib/throwaway-postgres";

/** A migrated PostgreSQL cluster of the test's own that it may stop and start again at will. */
export type StoppablePostgres = {
  url: string;
  /** A fast shutdown, as an operator or a crash of the database host would cause: sessions are cut. */
  stop(): Promise<void>;
  /** Starts the same cluster again, same data, port and options. */
  start(): Promise<void>;
  dispose(): Promise<void>;
};

/**
 * The run's shared database (DATABASE_URL) cannot be stopped without breaking other tests, and
 * provisionTestDatabase() makes a new database on that very server when DATABASE_URL is set: this
 * starts a cluster of its own instead, with the same two kinds provisionTestDatabase() falls back to.
 * Stopping and starting go through the server's own `pg_ctl`, with the command line the server
 * recorded in `postmaster.opts`, so either kind comes back exactly as it was.
 */
export async function startStoppablePostgres(): Promise<StoppablePostgres> {
  const server = findPostgresBinaries() ? await startThrowawayPostgres() : await startEmbeddedPostgres();
  try {
    await migrateDeploy(server.url);
    const cluster = await describeCluster(server.url);
    let running = true;
    return {
      url: server.url,
      stop: async () => {
        await pgCtl(cluster, ["stop", "-m", "fast", "-w", "-t", "30"]);
        running = false;
      },
      start: async () => {
        await pgCtl(cluster, ["start", "-w", "-t", "30", "-l", cluster.logFile, "-o", cluster.serverOptions]);
        running = true;
      },
      dispose: async () => {
        // A restarted server is not the child the starter tracks: stop it here before it cleans up.
        if (running) await pgCtl(cluster, ["stop", "-m", "immediate", "-w"]).catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

type Cluster = { dataDir: string; pgCtl: string; serverOptions: string; logFile: string; uid: number; gid: number };

async function describeCluster(url: string): Promise<Cluster> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const dataDir = await client
    .query<{ data_directory: string }>("SHOW data_directory")
    .then((result) => result.rows[0]!.data_directory)
    .finally(() => client.end());
  // `/path/to/postgres "-D" "/data" "-p" "5432" …`: the binary, then its arguments, shell-quoted.
  const recorded = fs.readFileSync(path.join(dataDir, "postmaster.opts"), "utf8").trim();
  const binaryEnd = recorded.indexOf(" ");
  const owner = fs.statSync(dataDir);
  return {
    dataDir,
    pgCtl: path.join(path.dirname(recorded.slice(0, binaryEnd)), "pg_ctl"),
    serverOptions: recorded.slice(binaryEnd + 1),
    logFile: path.join(dataDir, "restart.log"),
    uid: owner.uid,
    gid: owner.gid,
  };
}

/** pg_ctl as the cluster's owner (PostgreSQL refuses to run as root). */
function pgCtl(cluster: Cluster, args: string[]): Promise<void> {
  const asOwner = process.getuid?.() === 0 ? { uid: cluster.uid, gid: cluster.gid } : {};
  return new Promise((resolve, reject) => {
    const child = spawn(cluster.pgCtl, ["-D", cluster.dataDir, ...args], {
      cwd: cluster.dataDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
      ...asOwner,
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    // The started server inherits the pipes: settle on the command's exit, not on the pipes' end.
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} exited with ${code}: ${output.trim()}`)),
    );
  });
}
