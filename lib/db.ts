import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

export function createPrismaClient(connectionString: string): PrismaClient {
  // A short connect timeout lets /api/health answer "down" quickly instead of hanging.
  const adapter = new PrismaPg({ connectionString, connectionTimeoutMillis: 3_000 });
  return new PrismaClient({ adapter });
}

// One client per process, kept across dev hot reloads so connections are not leaked.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= createPrismaClient(getEnv().DATABASE_URL);
  return globalForPrisma.prisma;
}
