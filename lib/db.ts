import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

/**
 * Sized for serverless hosts, where every instance has a pool of its own and many run at once:
 * - max 10 (pg's default, now explicit): Fluid compute serves many requests on one instance, and
 *   test/proofs/concurrent-onboarding-under-burst.test.ts (50 onboardings at once on one process)
 *   answered 29 of them 503 with 5, their wait for a connection passing the timeout below; 10 holds.
 *   So many per instance is what the pooled DATABASE_URL is for: a pooler's client costs the database
 *   nothing between transactions (Neon's takes 10,000), whereas Neon's smallest compute allows 104
 *   direct connections in all.
 * - idleTimeoutMillis 5 s (pg's default is 10 s), as Vercel advises for Fluid compute: a suspended
 *   instance's timers stand still while the pooler may close its idle sockets, so the sooner an idle
 *   connection is closed, the less often a resumed instance finds one dead.
 * - connectionTimeoutMillis 3 s lets /api/health answer "down" quickly instead of hanging; pg applies
 *   it to the wait for a free connection of the pool as well.
 */
const POOL = { max: 10, idleTimeoutMillis: 5_000, connectionTimeoutMillis: 3_000 };

export function createPrismaClient(connectionString: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString, ...POOL });
  return new PrismaClient({ adapter });
}

// One client per process, kept across dev hot reloads so connections are not leaked.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= createPrismaClient(getEnv().DATABASE_URL);
  return globalForPrisma.prisma;
}
