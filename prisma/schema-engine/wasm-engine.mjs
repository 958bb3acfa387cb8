// Loads Prisma's schema engine compiled to WebAssembly: the wasm is the prisma CLI's own
// (node_modules/prisma/build/schema_engine_bg.wasm, so engine and CLI versions always match); the
// JS glue is vendored, because the CLI package ships the wasm without it.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as glue from "./vendor/schema_engine_bg.mjs";

const GLUE_MODULE = "./schema_engine_bg.js";

/** @returns {string} the prisma CLI package's build directory */
export function prismaBuildDir() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("prisma/package.json")), "build");
}

/** @type {typeof glue | undefined} */
let loaded;

/**
 * Instantiates the wasm once per process. Fails with an explanation when a prisma upgrade brought
 * a wasm whose imports the vendored glue does not provide (then refresh vendor/ from
 * @prisma/schema-engine-wasm at the CLI's engine version, or the closest one with the same symbols).
 * @returns {typeof glue}
 */
export function loadWasmEngine() {
  if (loaded) return loaded;
  const wasmPath = path.join(prismaBuildDir(), "schema_engine_bg.wasm");
  const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const missing = WebAssembly.Module.imports(wasmModule)
    .filter((entry) => entry.module !== GLUE_MODULE || !(entry.name in glue))
    .map((entry) => `${entry.module}#${entry.name}`);
  if (missing.length > 0) {
    throw new Error(
      `The vendored schema engine glue (prisma/schema-engine/vendor) does not match ${wasmPath}; missing: ${missing.join(", ")}`,
    );
  }
  // The glue reports Rust panics through this global, as the prisma CLI's own wasm modules do.
  const registry = /** @type {any} */ (globalThis);
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    /** @param {string} message */
    set_message(message) {
      this.message = `RuntimeError: ${message}`;
    },
  };
  const instance = new WebAssembly.Instance(wasmModule, { [GLUE_MODULE]: /** @type {any} */ (glue) });
  glue.__wbg_set_wasm(instance.exports);
  /** @type {any} */ (instance.exports).__wbindgen_start();
  loaded = glue;
  return glue;
}

/** @returns {string | undefined} the last Rust panic message, if the engine panicked */
export function lastPanicMessage() {
  const message = /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY?.message;
  return message || undefined;
}
