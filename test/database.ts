import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateDeploy } from "../scripts/lib/migrate";
import { startPgliteServer } from "../scripts/lib/pglite-server";
import { findPostgresBinaries, startThrowawayPostgres } from "../scripts/lib/throwaway-postgres";

export type TestDatabase = { url: string; kind: string; dispose(): Promise<void> };

/**
 * A fresh, migrated database for one test run: a new database on DATABASE_URL's server when
 * given, else a throwaway local PostgreSQL cluster, else PGlite.
 */
export async function provisionTestDatabase(): Promise<TestDatabase> {
  const database = await createDatabase();
  try {
    await migrateDeploy(database.url);
  } catch (error) {
    await database.dispose();
    throw error;
  }
  return database;
}

async function createDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createDatabaseOn(serverUrl);
  if (findPostgresBinaries()) {
    const server = await startThrowawayPostgres();
    return { url: server.url, kind: "throwaway PostgreSQL cluster", dispose: server.stop };
  }
  const server = await startPgliteServer({ port: 0 });
  return { url: server.url, kind: "PGlite", dispose: server.stop };
}

async function createDatabaseOn(serverUrl: string): Promise<TestDatabase> {
  const name = `portal_test_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: `database ${name} on the server of DATABASE_URL`,
    dispose: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
