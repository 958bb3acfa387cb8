import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type DatabaseHealth = "ok" | "down";

/** Runs a real query; any failure or a reply slower than `timeoutMs` counts as down. */
export async function checkDatabase(db: PrismaClient, timeoutMs = 3_000): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database health check timed out")), timeoutMs);
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return "ok";
  } catch {
    return "down";
  } finally {
    clearTimeout(timer);
  }
}
