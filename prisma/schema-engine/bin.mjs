#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` binary, which the prisma CLI would download from
// Prisma's servers. It runs the CLI's own WebAssembly schema engine with @prisma/adapter-pg and
// speaks the binary's protocol (read from prisma's build/cli.js), so that the stock CLI's
// `migrate …` and `db …` commands work offline. Point the CLI at it with
// PRISMA_SCHEMA_ENGINE_BINARY=<this file> (prisma.config.ts does so by default).
//
//   bin.mjs --version
//   bin.mjs [--datamodels <schema file>]… [--datasource '{"url":…,"shadowDatabaseUrl":…}']
//       JSON-RPC 2.0 over stdio, one message per line; logs are JSON lines on stderr
//   bin.mjs --datasource '{"url":…}' cli can-connect-to-database|create-database|drop-database
//       one-shot; a failure is an ERROR log line with a Prisma error code and a non-zero exit
import { log } from "./log.mjs";
import { loadWasmEngine } from "./wasm-engine.mjs";

/**
 * @param {string[]} argv
 * @returns {{ version: boolean; datamodels: string[]; datasource: { url?: string; shadowDatabaseUrl?: string }; cli?: string }}
 */
function parseArgs(argv) {
  /** @type {ReturnType<typeof parseArgs>} */
  const options = { version: false, datamodels: [], datasource: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--version" || arg === "-V") options.version = true;
    else if (arg === "--datamodels") options.datamodels.push(value());
    else if (arg === "--datasource") options.datasource = JSON.parse(value());
    else if (arg === "--enabled-preview-features" || arg === "--extension-types")
      value(); // nothing to enable for postgres
    else if (arg === "cli") options.cli = argv[++i] ?? "";
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write(
        `Usage: ${process.argv[1]} [--version] [--datamodels FILE]… [--datasource JSON] [cli can-connect-to-database|create-database|drop-database]\n`,
      );
      process.exit(0);
    } else throw new Error(`Unknown argument: ${arg}`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.version) {
    // Same shape as the native binary's; `prisma version` shows it.
    process.stdout.write(`schema-engine-cli ${loadWasmEngine().version()}\n`);
    return;
  }
  if (options.cli !== undefined) {
    const { runCliCommand } = await import("./cli-commands.mjs");
    process.exitCode = await runCliCommand(options.cli, options.datasource.url);
    return;
  }
  const { serveJsonRpc } = await import("./rpc.mjs");
  await serveJsonRpc(options);
}

main().catch((error) => {
  log("ERROR", String(error?.message ?? error));
  process.exit(1);
});
