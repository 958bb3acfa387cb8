import { execFile } from "node:child_process";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPrisma } from "../../scripts/lib/migrate";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { findPostgresBinaries, startThrowawayPostgres } from "../../scripts/lib/throwaway-postgres";

// The stock prisma CLI driving the wasm schema-engine bridge, end to end, on a schema and
// migrations of the bridge's own (fixtures/). The installed PostgreSQL's binaries when there are
// any, else the embedded PostgreSQL (TEST_DATABASE=embedded forces it, as in test/database.ts).

const bridge = path.join(__dirname, "bin.mjs");
const fixtures = path.join(__dirname, "fixtures");
const config = path.join(fixtures, "prisma.config.ts");
const useEmbedded = process.env.TEST_DATABASE?.trim() === "embedded" || findPostgresBinaries() === null;
const startServer = () => (useEmbedded ? startEmbeddedPostgres() : startThrowawayPostgres());

let server: { url: string; stop(): Promise<void> };
let workDir: string;

beforeAll(async () => {
  server = await startServer();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "bridge-test-"));
});

afterAll(async () => {
  await server?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

// One database for the whole file, used by the scenarios in order.
function prisma(args: string[]) {
  return runPrisma([...args, "--config", config], {
    env: { DATABASE_URL: server.url, SHADOW_DATABASE_URL: "", PRISMA_SCHEMA_ENGINE_BINARY: bridge },
  });
}

/** A copy of the fixtures to alter, so the committed ones stay untouched. */
function copyFixtures(name: string) {
  const dir = path.join(workDir, name);
  fs.cpSync(fixtures, dir, { recursive: true });
  return { schema: path.join(dir, "schema.prisma"), migrations: path.join(dir, "migrations") };
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe(`prisma CLI through the wasm schema-engine bridge (${useEmbedded ? "embedded PostgreSQL" : "PostgreSQL"})`, () => {
  it("migrate deploy applies the migrations, a `$$` function body in one piece", async () => {
    const result = await prisma(["migrate", "deploy", "--schema", path.join(fixtures, "schema.prisma")]);
    expect(result.output).toContain("All migrations have been successfully applied");
    expect(result.code).toBe(0);

    const [author] = await query<{ id: number }>(
      `INSERT INTO "Author" ("email") VALUES ('a@example.com') RETURNING "id"`,
    );
    const [post] = await query<{ id: number }>(
      `INSERT INTO "Post" ("title", "authorId") VALUES ('Hello', $1) RETURNING "id"`,
      [author!.id],
    );
    const [bumped] = await query<{ views: number }>(`SELECT "post_bump_views"($1, 5) AS "views"`, [post!.id]);
    expect(bumped!.views).toBe(5);
  });

  it("migrate status then says the database is up to date", async () => {
    const result = await prisma(["migrate", "status", "--schema", path.join(fixtures, "schema.prisma")]);
    expect(result.output).toContain("Database schema is up to date!");
    expect(result.code).toBe(0);
  });

  it("migrate diff --exit-code finds no drift between the migrations and the schema", async () => {
    const { migrations, schema } = copyFixtures("in-sync");
    const result = await prisma([
      "migrate",
      "diff",
      "--from-migrations",
      migrations,
      "--to-schema",
      schema,
      "--exit-code",
    ]);
    expect(result.output).toContain("No difference detected");
    expect(result.code).toBe(0);
  });

  it("migrate diff --exit-code exits 2 when the schema has a field the migrations lack", async () => {
    const { migrations, schema } = copyFixtures("drifted");
    fs.writeFileSync(
      schema,
      fs.readFileSync(schema, "utf8").replace("  views    Int", "  subtitle String?\n  views    Int"),
    );
    const result = await prisma([
      "migrate",
      "diff",
      "--from-migrations",
      migrations,
      "--to-schema",
      schema,
      "--exit-code",
    ]);
    expect(result.output).toContain("subtitle");
    expect(result.code).toBe(2);
  });

  it("a failing migration leaves nothing half-applied", async () => {
    const { migrations, schema } = copyFixtures("broken");
    const broken = path.join(migrations, "20240103000000_broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);\nALTER TABLE "Post" ADD COLUMN "extra" TEXT;\nINSERT INTO "Missing" VALUES (1);\n`,
    );
    const result = await prisma(["migrate", "deploy", "--schema", schema]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("P3018");
    expect(result.output).toContain('relation "Missing" does not exist');

    const [leftovers] = await query<{ half: string | null; extra: number }>(
      `SELECT to_regclass('"Half"')::text AS "half",
              (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'Post' AND column_name = 'extra') AS "extra"`,
    );
    expect(leftovers).toEqual({ half: null, extra: 0 });
    const history = await query<{ migration_name: string; finished: boolean }>(
      `SELECT "migration_name", "finished_at" IS NOT NULL AS "finished" FROM "_prisma_migrations" ORDER BY "migration_name"`,
    );
    expect(history).toEqual([
      { migration_name: "20240101000000_init", finished: true },
      { migration_name: "20240102000000_counter_function", finished: true },
      { migration_name: "20240103000000_broken", finished: false },
    ]);
  });
});

describe("migrate dev on top of existing migrations", () => {
  let fresh: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    fresh = await startServer();
  });
  afterAll(() => fresh?.stop());

  // The engine forgets the shadow schema between requests; `migrate dev` applies the existing
  // migrations, then evaluates data loss and creates the new one, each needing it. That took 5-8 s
  // on a loaded 2-core machine (PostgreSQL 15 and the embedded 17 alike), hence more than the default 20 s.
  it("creates and applies the next migration from a schema change", async () => {
    const { migrations, schema } = copyFixtures("evolved");
    fs.writeFileSync(
      schema,
      fs.readFileSync(schema, "utf8").replace("  views    Int", "  subtitle String?\n  views    Int"),
    );
    const result = await runPrisma(
      ["migrate", "dev", "--name", "add_subtitle", "--schema", schema, "--config", config],
      {
        env: { DATABASE_URL: fresh.url, SHADOW_DATABASE_URL: "", PRISMA_SCHEMA_ENGINE_BINARY: bridge },
      },
    );
    expect(result.output).toContain("Your database is now in sync with your schema");
    expect(result.code).toBe(0);
    const created = fs.readdirSync(migrations).find((name) => name.endsWith("_add_subtitle"));
    expect(created).toBeDefined();
    expect(fs.readFileSync(path.join(migrations, created!, "migration.sql"), "utf8")).toContain(
      'ADD COLUMN     "subtitle" TEXT',
    );
  }, 40_000);
});

describe("the bridge's engine protocol", () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bridge, ...args], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it("--version prints the engine version", async () => {
    const result = await run(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^schema-engine-cli [0-9a-f]{40}$/);
  });

  it("cli can-connect-to-database reports an unreachable server as P1001 and fails", async () => {
    const result = await run([
      "--datasource",
      JSON.stringify({ url: "postgresql://postgres@127.0.0.1:1/postgres" }),
      "cli",
      "can-connect-to-database",
    ]);
    expect(result.code).not.toBe(0);
    const errors = result.stderr
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((line) => line.level === "ERROR");
    expect(errors).toEqual([
      expect.objectContaining({
        target: "schema_engine::logger",
        fields: expect.objectContaining({ error_code: "P1001" }),
      }),
    ]);
  });

  it("answers JSON-RPC requests on stdio with the same id", async () => {
    const child = spawn(process.execPath, [bridge, "--datasource", JSON.stringify({ url: server.url })], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 7, method: "getDatabaseVersion", params: null })}\n`);
    await expect.poll(() => stdout.includes("\n"), { timeout: 15_000 }).toBe(true);
    child.stdin.end();
    expect(await exited).toBe(0);
    const response = JSON.parse(stdout.split("\n")[0]!);
    expect(response).toMatchObject({ jsonrpc: "2.0", id: 7 });
    expect(response.result).toMatch(/PostgreSQL/);
  });
});
