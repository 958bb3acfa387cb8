// The driver adapter the wasm schema engine talks to: @prisma/adapter-pg, with the fixes the
// engine's migration workload needs (each one was reproduced against PostgreSQL 15).
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { log } from "./log.mjs";

const OID_CHAR = 18; // Postgres' internal one-byte "char" (pg_class.relkind, pg_constraint.contype…)
const OID_TEXT = 25;

/**
 * adapter-pg rejects column type OID 18 as unsupported, yet the engine's catalog queries return it
 * and read it as a Rust `char`. pg has already decoded the value to a one-letter string: relabel
 * the column as text so adapter-pg accepts it, then report it to the engine as Character.
 * @param {any} queryable an adapter-pg adapter or transaction
 */
function decodeCharColumns(queryable) {
  /** @type {WeakMap<object, number[]>} */
  const charColumns = new WeakMap();
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (/** @type {any} */ query) => {
    const result = await performIO(query);
    /** @type {number[]} */
    const indexes = [];
    result?.fields?.forEach((/** @type {any} */ field, /** @type {number} */ index) => {
      if (field.dataTypeID !== OID_CHAR) return;
      field.dataTypeID = OID_TEXT;
      indexes.push(index);
    });
    if (indexes.length > 0) charColumns.set(query, indexes);
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (/** @type {any} */ query) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(query) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

/**
 * pg settings for a Prisma-style URL. `?schema=` is Prisma's, not libpq's: it becomes the adapter's
 * schema and the session's search_path, as the native engine does.
 * @param {string} url
 */
export function poolConfig(url) {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  // A timeout fails like the native engine (P1001) instead of hanging on a dead host.
  /** @type {import("pg").PoolConfig} */
  const config = { connectionString: parsed.toString(), connectionTimeoutMillis: 10_000 };
  if (schema) config.options = `-c search_path="${schema.replaceAll('"', '""')}"`;
  return { config, schema };
}

/** @param {string} url @param {string} database */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** @param {string} name */
const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * One short-lived connection for administrative statements (CREATE/DROP DATABASE, probes).
 * @template T @param {string} url @param {(client: pg.Client) => Promise<T>} work @returns {Promise<T>}
 */
export async function withClient(url, work) {
  const client = new pg.Client(poolConfig(url).config);
  client.on("error", () => {}); // a dropped idle connection must not crash the bridge
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Every adapter still open, so the bridge can close pools (then drop shadow databases) on exit. */
const liveAdapters = new Set();

/** Disposes of every adapter the engine left open. */
async function disposeAll() {
  for (const adapter of [...liveAdapters]) await adapter.dispose().catch(() => {});
}

/**
 * Connects adapter-pg to `url` and patches what the engine trips over.
 * @param {string} url
 * @param {() => Promise<void>} [afterDispose] runs once the pool is closed
 */
async function connectAdapter(url, afterDispose) {
  const { config, schema } = poolConfig(url);
  // One connection, as the native engine has: the engine takes a session-level advisory lock
  // (pg_advisory_lock) and expects its later statements on that same session; with a pool, a
  // second acquisition on another connection would wait on the first for ever.
  const adapter = /** @type {any} */ (
    await new PrismaPg({ ...config, max: 1 }, schema ? { schema } : undefined).connect()
  );
  decodeCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (/** @type {any[]} */ ...args) => decodeCharColumns(await startTransaction(...args));
  const pool = adapter.underlyingDriver();
  pool.on("error", () => {});
  // adapter-pg splits scripts on every `;` and runs the pieces one by one outside a transaction,
  // which breaks `$$` bodies and leaves half a migration applied on failure. One simple-protocol
  // query runs the whole script in one implicit transaction, as the native engine does.
  adapter.executeScript = async (/** @type {string} */ script) => {
    log("DEBUG", "executeScript", { bytes: script.length });
    // A failure is rethrown as pg's own error, not adapter-pg's mapped one ("No such table: X"):
    // the engine reports it as an external error, and errors.mjs restores Postgres' message and code.
    await pool.query(script);
  };
  const dispose = adapter.dispose.bind(adapter);
  let disposed = false;
  adapter.dispose = async () => {
    if (disposed) return;
    disposed = true;
    liveAdapters.delete(adapter);
    await dispose();
    await afterDispose?.();
  };
  liveAdapters.add(adapter);
  return adapter;
}

/** @param {() => Error} error */
function unconnectedAdapter(error) {
  const fail = async () => {
    throw error();
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    queryRaw: fail,
    executeRaw: fail,
    executeScript: fail,
    startTransaction: fail,
    getConnectionInfo: () => ({ schemaName: undefined, supportsRelationJoins: true }),
    dispose: async () => {},
  };
}

/**
 * The factory handed to the wasm engine: the main database, and a shadow database the engine uses
 * to replay migrations (migrate dev, migrate diff --from-migrations, drift checks).
 * @param {{ url?: string; shadowDatabaseUrl?: string }} datasource
 */
export function createAdapterFactory({ url, shadowDatabaseUrl }) {
  /** @type {Set<() => Promise<void>>} */
  const cleanups = new Set();
  const missingUrl = () =>
    new Error(
      "The datasource URL is not set. Set `datasource.url` in prisma.config.ts (https://pris.ly/d/config-url).",
    );
  const requireUrl = () => {
    if (!url) throw missingUrl();
    return url;
  };

  const factory = {
    provider: /** @type {const} */ ("postgres"),
    adapterName: "@prisma/adapter-pg",
    // Without a URL, fail on the first query with a message that says what to set (the wasm
    // engine reads the server version even for schema-to-schema diffs, so those need a URL too).
    connect: async () => (url ? connectAdapter(url) : unconnectedAdapter(missingUrl)),
    async connectToShadowDb() {
      if (shadowDatabaseUrl) return connectDedicatedShadow(shadowDatabaseUrl, url);
      return connectTemporaryShadow(requireUrl(), cleanups);
    },
  };
  const bound = bindMigrationAwareSqlAdapterFactory(/** @type {any} */ (factory));
  return {
    bound,
    /** @param {number} id */
    lookupError: (id) => /** @type {any} */ (bound).errorRegistry.consumeError(id)?.error,
    /** Drops whatever shadow databases the engine did not dispose of (on exit or error). */
    async cleanup() {
      await disposeAll();
      for (const cleanup of [...cleanups]) await cleanup().catch(() => {});
    },
  };
}

/**
 * A configured shadow database is the user's: empty it (the engine expects a blank one) but keep it.
 * @param {string} shadowUrl @param {string | undefined} mainUrl
 */
async function connectDedicatedShadow(shadowUrl, mainUrl) {
  if (mainUrl && sameDatabase(shadowUrl, mainUrl)) {
    throw new Error(
      "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
    );
  }
  await withClient(shadowUrl, async (client) => {
    // A server with a single database may answer any database name with it, the main database:
    // emptying that would wipe the main data.
    const reached = (await client.query("SELECT current_database() AS db")).rows[0]?.db;
    const named = decodeURIComponent(new URL(shadowUrl).pathname.replace(/^\//, "")) || "postgres";
    if (reached !== named) {
      throw new Error(
        `The shadow database URL names \`${named}\` but the server answered with \`${reached}\` (a single-database server?). Please specify another shadow database.`,
      );
    }
    const { rows } = await client.query(
      `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`,
    );
    const drops = rows.map((row) => `DROP SCHEMA ${quoteIdent(row.nspname)} CASCADE;`).join("\n");
    await client.query(`${drops}\nCREATE SCHEMA IF NOT EXISTS public;`);
  });
  return connectAdapter(shadowUrl);
}

/** @param {string} a @param {string} b */
function sameDatabase(a, b) {
  const key = (/** @type {string} */ url) => {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}?schema=${parsed.searchParams.get("schema") ?? "public"}`;
  };
  return key(a) === key(b);
}

/**
 * A temporary database next to the main one, created and dropped here because adapter-pg's own
 * version connects back to the main database (pg lets `connectionString` override `database`),
 * and drops the database while its pool is still open. When it cannot be created, or the server
 * keeps serving the main database under the new name (a single-database server), the command fails
 * as the native engine's does: replaying migrations on the main database would wipe it.
 * @param {string} mainUrl @param {Set<() => Promise<void>>} cleanups
 */
async function connectTemporaryShadow(mainUrl, cleanups) {
  const name = `prisma_shadow_${process.pid}_${randomBytes(4).toString("hex")}`;
  const created = await withClient(mainUrl, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return true;
    } catch (error) {
      log("DEBUG", "cannot create a temporary shadow database", { error: String(error) });
      return false;
    }
  });
  if (!created) throw shadowUnavailable("the database user may not create databases");
  const drop = async () => {
    cleanups.delete(drop);
    await withClient(mainUrl, (client) => dropDatabase(client, name));
  };
  cleanups.add(drop);
  log("DEBUG", `created temporary shadow database ${name}`);
  const shadowUrl = withDatabase(mainUrl, name);
  const reached = await withClient(
    shadowUrl,
    async (client) => (await client.query("SELECT current_database() AS db")).rows[0]?.db,
  ).catch(() => undefined);
  if (reached !== name) {
    await drop();
    throw shadowUnavailable("the server serves a single database");
  }
  return connectAdapter(shadowUrl, drop);
}

/** @param {pg.Client} client @param {string} name */
async function dropDatabase(client, name) {
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } catch {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`); // PostgreSQL < 13 has no FORCE
  }
}

/**
 * The native engine's P3014 message, for a server where no temporary shadow database can be used.
 * @param {string} reason
 */
function shadowUnavailable(reason) {
  return new Error(
    `Prisma Migrate could not create the shadow database (${reason}). Please make sure the database user has permission to create databases, or set \`shadowDatabaseUrl\` to a database of its own. Read more about the shadow database (and workarounds) at https://pris.ly/d/migrate-shadow`,
  );
}
