import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type PgliteServer = { url: string; stop(): Promise<void> };

/**
 * PGlite (PostgreSQL in WebAssembly, in this process) behind a Postgres wire-protocol socket, so
 * `pg`, Prisma Client and the Prisma CLI reach it like a server. Persisted under `dataDir` when
 * given, in memory otherwise. `port: 0` picks a free port; the URL carries the real one.
 *
 * Caveats: one database only; every connection shares a single backend (advisory locks, NOTIFY and
 * SKIP LOCKED do not behave as on a server), so concurrency is only ever tested on real PostgreSQL.
 */
export async function startPgliteServer({
  dataDir,
  port,
  host = "127.0.0.1",
}: {
  dataDir?: string;
  port: number;
  host?: string;
}): Promise<PgliteServer> {
  // PGlite creates its own folder but not the parents (a fresh clone has no .data/).
  if (dataDir) await mkdir(path.dirname(dataDir), { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  // The socket server admits one connection by default: a pool's second connection then waits
  // and times out after 60 s. Allow many; queries are serialised on the single backend anyway.
  const server = new PGLiteSocketServer({ db, port, host, maxConnections: 100 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const actualPort = Number(server.getServerConn().split(":").pop());
  let stopped = false;
  return {
    // PGlite speaks no TLS; psql and some clients would try it first.
    url: `postgresql://postgres:postgres@${host}:${actualPort}/postgres?sslmode=disable`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
