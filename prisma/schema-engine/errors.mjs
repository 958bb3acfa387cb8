// Turns failures into the shapes the prisma CLI prints well: JSON-RPC errors carrying a Prisma error
// code (P1001…) and message, as the native engine sends them.
import { lastPanicMessage } from "./wasm-engine.mjs";

/** @typedef {{ code: string; message: string }} KnownError */

/** @param {string | undefined} url */
function describe(url) {
  try {
    const parsed = new URL(url ?? "");
    return {
      host: parsed.hostname || "localhost",
      port: parsed.port || "5432",
      user: decodeURIComponent(parsed.username) || "postgres",
      database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
    };
  } catch {
    return { host: "localhost", port: "5432", user: "postgres", database: "postgres" };
  }
}

/**
 * Maps a pg connection failure to the native engine's user-facing error, or null.
 * @param {any} error @param {string | undefined} url @returns {KnownError | null}
 */
export function connectionError(error, url) {
  const { host, port, user, database } = describe(url);
  const code = error?.code ?? error?.cause?.code;
  const network = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"];
  if (network.includes(code) || /timeout|terminated unexpectedly/i.test(String(error?.message))) {
    return {
      code: "P1001",
      message: `Can't reach database server at \`${host}:${port}\`\n\nPlease make sure your database server is running at \`${host}:${port}\`.`,
    };
  }
  if (code === "3D000") {
    return {
      code: "P1003",
      message: `Database \`${database}\` does not exist on the database server at \`${host}:${port}\`.`,
    };
  }
  if (code === "28P01" || code === "28000") {
    return {
      code: "P1000",
      message: `Authentication failed against database server at \`${host}\`, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${host}\`.`,
    };
  }
  if (code === "42501") {
    return { code: "P1010", message: `User \`${user}\` was denied access on the database \`${database}\`` };
  }
  if (code === "42P04") {
    return {
      code: "P1009",
      message: `Database \`${database}\` already exists on the database server at \`${host}:${port}\``,
    };
  }
  return null;
}

/**
 * Replaces the engine's `External error id#N` (a JS error it only holds an id for) with that error.
 * @param {string} message @param {(id: number) => any} lookup
 * @returns {{ message: string; external?: any }}
 */
export function resolveExternalErrors(message, lookup) {
  /** @type {any} */
  let external;
  const resolved = message.replace(/External error id#(\d+)/g, (whole, id) => {
    const error = lookup(Number(id));
    if (!error) return whole;
    external = error;
    const detail = [error.message ?? String(error), error.detail, error.hint && `HINT: ${error.hint}`]
      .filter(Boolean)
      .join("\n");
    return error.code ? `${detail} (${error.code})` : detail;
  });
  return { message: resolved, external };
}

/**
 * The wasm build appends a span trace ("   0: module::function\n   with …\n   at file.rs:1") that
 * the native binary does not print; keep it out of user-facing messages, but read the failing
 * migration's name from it.
 * @param {string} message
 */
function splitSpanTrace(message) {
  const lines = message.split("\n");
  const start = lines.findIndex((line) => /^\s+\d+: \S+::/.test(line));
  if (start === -1) return { text: message, trace: "" };
  return { text: lines.slice(0, start).join("\n").trimEnd(), trace: lines.slice(start).join("\n") };
}

/**
 * The JSON-RPC `error` member for a failure, in the native engine's layout.
 * @param {any} error @param {{ lookup: (id: number) => any; url?: string }} context
 */
export function toRpcError(error, { lookup, url }) {
  const envelope = { code: 4466, message: "An error happened. Check the data field for details." };
  const panic = error instanceof WebAssembly.RuntimeError || error?.name === "RuntimeError";
  if (panic) {
    const message = lastPanicMessage() ?? String(error?.message ?? error);
    // The CLI shows `data.error.message` for a panic.
    return { ...envelope, data: { is_panic: true, message, error: { message }, backtrace: error?.stack ?? null } };
  }
  let code = typeof error?.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
  let meta = error?.meta ?? {};
  const resolved = resolveExternalErrors(String(error?.message ?? error), lookup);
  const { text, trace } = splitSpanTrace(resolved.message);
  let message = text;
  const failedMigration = /apply_script\s+with migration_name="([^"]+)"/.exec(trace)?.[1];
  if (!code && failedMigration) {
    // What the native engine reports for a migration script the database rejected.
    const database = resolved.external;
    const databaseCode = database?.code ?? "";
    const databaseError = database
      ? [
          `ERROR: ${database.message}`,
          database.detail && `DETAIL: ${database.detail}`,
          database.hint && `HINT: ${database.hint}`,
        ]
          .filter(Boolean)
          .join("\n")
      : message.replace(/^external connector error\n/, "");
    code = "P3018";
    meta = { migration_name: failedMigration, database_error_code: databaseCode, database_error: databaseError };
    message = [
      "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve",
      `Migration name: ${failedMigration}`,
      databaseCode && `Database error code: ${databaseCode}`,
      `Database error:\n${databaseError}`,
    ]
      .filter(Boolean)
      .join("\n\n");
  }
  if (!code) {
    const known = connectionError(resolved.external ?? error, url);
    if (known) ({ code, message } = known);
  }
  const data = code
    ? { is_panic: false, message, meta, error_code: code }
    : { is_panic: false, message, backtrace: null };
  return { ...envelope, data };
}
