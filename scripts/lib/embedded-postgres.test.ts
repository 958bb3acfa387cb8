import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from "./embedded-postgres";

// What the embedded database replaced (PGlite behind a socket) got wrong: every connection shared
// one session, so NOTIFY never reached another connection and advisory locks did not exclude.

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function backendPid(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

describe("the embedded PostgreSQL", () => {
  let server: EmbeddedPostgresServer;
  const clients: pg.Client[] = [];
  const client = async () => {
    const connected = await connect(server.url);
    clients.push(connected);
    return connected;
  };

  beforeAll(async () => {
    server = await startEmbeddedPostgres();
  });

  afterAll(async () => {
    await Promise.all(clients.map((connected) => connected.end().catch(() => undefined)));
    await server?.stop();
  });

  it("gives each connection a session of its own", async () => {
    const [a, b] = [await client(), await client()];
    expect(await backendPid(a)).not.toBe(await backendPid(b));
  });

  it("delivers a NOTIFY sent on one connection to a LISTEN on another", async () => {
    const [listener, sender] = [await client(), await client()];
    await listener.query("LISTEN embedded_test");
    const received = new Promise<pg.Notification>((resolve) => listener.once("notification", resolve));
    await sender.query("NOTIFY embedded_test, 'hello'");
    const notification = await Promise.race([
      received,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no notification within 5 s")), 5_000)),
    ]);
    expect(notification).toMatchObject({
      channel: "embedded_test",
      payload: "hello",
      processId: await backendPid(sender),
    });
  });

  it("makes pg_advisory_lock exclude other connections until released", async () => {
    const [holder, contender] = [await client(), await client()];
    await holder.query("SELECT pg_advisory_lock(4242)");
    const tried = await contender.query<{ got: boolean }>("SELECT pg_try_advisory_lock(4242) AS got");
    expect(tried.rows[0]!.got).toBe(false);

    let acquired = false;
    const waiting = contender.query("SELECT pg_advisory_lock(4242)").then(() => (acquired = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acquired).toBe(false);
    await holder.query("SELECT pg_advisory_unlock(4242)");
    await waiting;
    expect(acquired).toBe(true);
  });

  it("frees its port and removes its temp data on stop, and stopping twice is harmless", async () => {
    const port = Number(new URL(server.url).port);
    await Promise.all(clients.splice(0).map((connected) => connected.end()));
    await server.stop();
    await server.stop();
    expect(await portIsFree(port)).toBe(true);
    expect(fs.existsSync(server.dataDir)).toBe(false);
  });
});

describe("the embedded PostgreSQL with a data dir", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-pg-test-"));
  // As root the server runs as a `postgres` user, which must be able to reach the data dir.
  fs.chmodSync(root, 0o711);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("keeps its data across restarts and takes the requested port when it is free", async () => {
    const dataDir = path.join(root, "postgres");
    const first = await startEmbeddedPostgres({ dataDir });
    const port = Number(new URL(first.url).port);
    try {
      const c = await connect(first.url);
      await c.query("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
      await c.end();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(new URL(second.url).port).toBe(String(port));
      const c = await connect(second.url);
      const { rows } = await c.query<{ value: string }>("SELECT value FROM kept");
      await c.end();
      expect(rows).toEqual([{ value: "still here" }]);
    } finally {
      await second.stop();
    }
    expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
  });
});
