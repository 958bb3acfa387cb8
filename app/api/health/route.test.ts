import { afterEach, describe, expect, it, vi } from "vitest";

const realDatabaseUrl = process.env.DATABASE_URL;

async function loadRouteWith(databaseUrl: string | undefined) {
  vi.resetModules();
  delete (globalThis as { prisma?: unknown }).prisma;
  process.env.DATABASE_URL = databaseUrl;
  return import("./route");
}

afterEach(() => {
  process.env.DATABASE_URL = realDatabaseUrl;
  delete (globalThis as { prisma?: unknown }).prisma;
});

describe("GET /api/health", () => {
  it("answers 200 ok after a real query", async () => {
    const { GET } = await loadRouteWith(realDatabaseUrl);
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 degraded when the database cannot be reached", async () => {
    const { GET } = await loadRouteWith("postgresql://postgres@127.0.0.1:1/nowhere");
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "degraded", db: "down" });
  });
});
