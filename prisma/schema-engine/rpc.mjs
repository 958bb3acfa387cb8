// JSON-RPC 2.0 over stdio, one message per line, as the prisma CLI speaks to the native engine.
// Most methods go to the wasm engine unchanged (same names, same params); the rest are answered here.
import fs from "node:fs";
import readline from "node:readline";
import { createAdapterFactory } from "./adapter.mjs";
import { createDatabase } from "./cli-commands.mjs";
import { toRpcError } from "./errors.mjs";
import { forwardEngineLog, log } from "./log.mjs";
import { loadWasmEngine } from "./wasm-engine.mjs";

const FORWARDED = new Set([
  "applyMigrations",
  "createMigration",
  "dbExecute",
  "debugPanic",
  "devDiagnostic",
  "diagnoseMigrationHistory",
  "ensureConnectionValidity",
  "evaluateDataLoss",
  "introspect",
  "introspectSql",
  "markMigrationApplied",
  "markMigrationRolledBack",
  "reset",
  "schemaPush",
]);

/**
 * @param {{ datamodels: string[]; datasource: { url?: string; shadowDatabaseUrl?: string } }} options
 */
export async function serveJsonRpc({ datamodels, datasource }) {
  const adapters = createAdapterFactory(datasource);
  const send = (/** @type {unknown} */ message) => process.stdout.write(`${JSON.stringify(message)}\n`);

  /** @type {Promise<any> | undefined} */
  let enginePromise;
  const engine = () =>
    (enginePromise ??= (async () => {
      const glue = loadWasmEngine();
      const files = datamodels.map((file) => /** @type {[string, string]} */ ([file, fs.readFileSync(file, "utf8")]));
      return glue.SchemaEngine.new(
        { datamodels: files.length > 0 ? files : undefined },
        forwardEngineLog,
        adapters.bound,
      );
    })());

  // Requests the bridge sends to the CLI (`print`), waiting for its answer.
  let nextOwnId = 1_000_000_000;
  /** @type {Map<number, () => void>} */
  const awaitingCli = new Map();
  /** @param {string} content */
  const print = (content) =>
    new Promise((resolve) => {
      const id = nextOwnId++;
      awaitingCli.set(id, () => resolve(undefined));
      send({ jsonrpc: "2.0", id, method: "print", params: { content } });
    });

  // createMigration and evaluateDataLoss read the shadow schema that devDiagnostic computes, and
  // the wasm engine keeps it only until the next request (`migrate dev` applies migrations in
  // between): compute it again right before each of them.

  /** @param {string} method @param {any} params */
  async function handle(method, params) {
    switch (method) {
      case "getDatabaseVersion":
        return (await engine()).version(params ?? null);
      case "createDatabase": {
        const source = params?.datasource;
        const url = source?.tag === "ConnectionString" ? source.url : datasource.url;
        if (!url) throw new Error("createDatabase: no datasource URL");
        return { databaseName: await createDatabase(url) };
      }
      case "diff": {
        const result = await (await engine()).diff(params);
        // The native engine prints the diff through the CLI (which also honours --output) and
        // returns no stdout itself.
        if (result?.stdout) await print(result.stdout.replace(/\n$/, ""));
        return { ...result, stdout: null };
      }
      case "createMigration":
      case "evaluateDataLoss":
        await (await engine()).devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
        return (await engine())[method](params);
      default:
        if (!FORWARDED.has(method)) throw new Error(`The wasm schema engine bridge does not support \`${method}\`.`);
        return (await engine())[method](params);
    }
  }

  const errorFor = (/** @type {unknown} */ error) =>
    toRpcError(error, { lookup: adapters.lookupError, url: datasource.url });

  // A Rust panic (or a JS error inside a callback the engine drives) escapes as an uncaught
  // exception, and leaves the engine unusable: answer the request in flight, clean up, and exit
  // with the native engine's panic status.
  /** @type {{ id: unknown } | undefined} */
  let inFlight;
  process.on("uncaughtException", (error) => {
    log("ERROR", String(error?.stack ?? error));
    if (inFlight) send({ jsonrpc: "2.0", id: inFlight.id, error: errorFor(error) });
    adapters.cleanup().finally(() => process.exit(101));
  });

  // The wasm engine is not re-entrant: run requests one after another, in arrival order.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    /** @type {any} */
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (message.method === undefined && message.id !== undefined) {
      awaitingCli.get(message.id)?.();
      awaitingCli.delete(message.id);
      return;
    }
    queue = queue.then(async () => {
      log("DEBUG", `request ${message.method}`, { id: message.id });
      inFlight = { id: message.id };
      try {
        const result = await handle(message.method, message.params);
        send({ jsonrpc: "2.0", id: message.id, result: result ?? null });
      } catch (error) {
        log("DEBUG", `request ${message.method} failed`, { error: String(/** @type {any} */ (error)?.stack ?? error) });
        send({ jsonrpc: "2.0", id: message.id, error: errorFor(error) });
      } finally {
        inFlight = undefined;
      }
    });
  });

  // The CLI ends stdin when it is done and, on Linux, sends SIGTERM right after (`stop()`):
  // either way close the pools and drop any temporary shadow database before exiting.
  let exiting = false;
  const shutdown = async (/** @type {number} */ code) => {
    if (exiting) return;
    exiting = true;
    await adapters.cleanup();
    process.exit(code);
  };
  for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT", "SIGHUP"]))
    process.on(signal, () => void shutdown(0));
  await new Promise((resolve) => lines.on("close", () => resolve(undefined)));
  await queue;
  await shutdown(0);
}
