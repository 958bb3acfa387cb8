// The one-shot `cli …` forms the prisma CLI runs before migrate commands (does the database exist?
// create it?). Plain pg is enough for these; the wasm engine is not loaded.
import { withClient, withDatabase } from "./adapter.mjs";
import { connectionError } from "./errors.mjs";
import { log, writeLine } from "./log.mjs";

/** @param {string} name */
const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/** @param {string} url */
function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

/**
 * Runs `work` on a maintenance database of the same server, since a database cannot create or
 * drop itself.
 * @template T @param {string} url @param {(client: import("pg").Client) => Promise<T>} work
 */
async function onMaintenanceDatabase(url, work) {
  try {
    return await withClient(withDatabase(url, "postgres"), work);
  } catch (error) {
    if (/** @type {any} */ (error)?.code !== "3D000") throw error;
    return withClient(withDatabase(url, "template1"), work);
  }
}

/**
 * Creates the database a URL names, unless it exists. Shared with the JSON-RPC `createDatabase`.
 * @param {string} url
 */
export async function createDatabase(url) {
  const name = databaseName(url);
  await onMaintenanceDatabase(url, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  return name;
}

/**
 * @param {string} command
 * @param {string | undefined} url
 * @returns {Promise<number>} the exit code
 */
export async function runCliCommand(command, url) {
  // The CLI drops the first stderr line before parsing the rest, as the native binary starts
  // with one: keep that line harmless.
  writeLine({
    timestamp: new Date().toISOString(),
    level: "INFO",
    fields: { message: `Starting schema engine CLI (${command})` },
    target: "schema_engine_bridge",
  });
  try {
    if (!url)
      throw Object.assign(new Error("The datasource URL is missing (--datasource '{\"url\":…}')"), {
        prismaCode: "P1012",
      });
    switch (command) {
      case "can-connect-to-database":
        await withClient(url, (client) => client.query("SELECT 1"));
        break;
      case "create-database":
        await createDatabase(url);
        break;
      case "drop-database": {
        const name = databaseName(url);
        await onMaintenanceDatabase(url, async (client) => {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
          } catch {
            await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`); // PostgreSQL < 13
          }
        });
        break;
      }
      default:
        throw new Error(`Unknown cli command: ${command}`);
    }
    return 0;
  } catch (error) {
    const known = connectionError(error, url);
    const anyError = /** @type {any} */ (error);
    const message = known?.message ?? String(anyError?.message ?? error);
    const errorCode = known?.code ?? anyError?.prismaCode;
    // Same target as the native engine: the CLI looks for it. Without a code it shows the message.
    log("ERROR", message, errorCode ? { error_code: errorCode } : {}, "schema_engine::logger");
    return 1;
  }
}
