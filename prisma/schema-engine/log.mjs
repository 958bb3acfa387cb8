// Logs as the native engine does: one JSON object per line on stderr, with a `level`. The prisma CLI
// parses these lines (an ERROR line's `fields.message` and `fields.error_code` become the error
// it shows), so nothing else may be written to stderr.

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
const threshold = (() => {
  const wanted = (process.env.PRISMA_SCHEMA_ENGINE_BRIDGE_LOG ?? process.env.RUST_LOG ?? "info").toUpperCase();
  const index = LEVELS.findIndex((level) => wanted.includes(level));
  return index === -1 ? 2 : index;
})();

/**
 * @param {"TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR"} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 * @param {string} [target]
 */
export function log(level, message, fields = {}, target = "schema_engine_bridge") {
  if (LEVELS.indexOf(level) < threshold) return;
  writeLine({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target });
}

/** @param {unknown} entry */
export function writeLine(entry) {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

/**
 * The wasm engine's own log lines are already in that format (one JSON document per call).
 * @param {unknown} line
 */
export function forwardEngineLog(line) {
  const text = String(line).trim();
  if (!text) return;
  try {
    const entry = JSON.parse(text);
    if (LEVELS.indexOf(String(entry.level).toUpperCase()) >= threshold) process.stderr.write(`${text}\n`);
  } catch {
    log("INFO", text, {}, "schema_engine_wasm");
  }
}
