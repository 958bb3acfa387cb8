import { spawn } from "node:child_process";
import path from "node:path";
import { migrateJobQueue } from "./migrate-job-queue";

const repoRoot = path.resolve(__dirname, "../..");

export type PrismaRun = { code: number; stdout: string; stderr: string; output: string };

/**
 * Runs the project's prisma CLI and collects its output. The schema-engine bridge comes from
 * prisma.config.ts (or from `env` when a test passes PRISMA_SCHEMA_ENGINE_BINARY itself).
 */
export function runPrisma(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {},
): Promise<PrismaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/prisma"), args, {
      cwd: options.cwd ?? repoRoot,
      // No update check or telemetry: this machine reaches no Prisma host, and CI should not wait.
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr, output }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Applies prisma/migrations, then the job queue's schema, to the database at `databaseUrl`; throws
 * with the CLI's output on failure.
 */
export async function migrateDeploy(databaseUrl: string): Promise<void> {
  const result = await runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: databaseUrl } });
  if (result.code !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${result.code}):\n${result.output}`);
  }
  await migrateJobQueue(databaseUrl);
}
