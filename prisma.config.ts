import path from "node:path";
import { defineConfig } from "prisma/config";
import { localDefaults } from "./lib/config/local-defaults";

// Prisma's CLI would download a native schema engine, which locked-down machines cannot.
// Our bridge runs Prisma's own WebAssembly engine instead; `PRISMA_SCHEMA_ENGINE_BINARY=`
// (set but empty) keeps the native engine.
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.resolve(__dirname, "prisma/schema-engine/bin.mjs");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // `prisma generate` needs no database; migrate commands get the embedded one by default.
    url: process.env.DATABASE_URL || localDefaults.DATABASE_URL,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
  },
});
