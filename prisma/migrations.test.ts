import { describe, expect, it } from "vitest";
import { runPrisma } from "../scripts/lib/migrate";

// The run's database was created empty and migrated with `prisma migrate deploy` through the
// WebAssembly schema-engine bridge (test/global-setup.ts); these prove the result is complete.
describe("the committed migrations", () => {
  it("leave a fresh database up to date", async () => {
    const status = await runPrisma(["migrate", "status"]);
    expect(status.output).toContain("Database schema is up to date");
    expect(status.code).toBe(0);
  });

  it("match prisma/schema.prisma exactly (no drift)", async () => {
    const diff = await runPrisma([
      "migrate",
      "diff",
      "--from-migrations",
      "prisma/migrations",
      "--to-schema",
      "prisma/schema.prisma",
      "--exit-code",
    ]);
    expect(diff.output).toContain("No difference detected");
    expect(diff.code).toBe(0);
  });

  it("created the constraints later steps rely on", async () => {
    const sql = await runPrisma(["db", "execute", "--stdin"], {
      input: `DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'WebhookEvent_dedupeKey_key') THEN RAISE EXCEPTION 'missing WebhookEvent dedupe index'; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ApiKey_liveChannelId_key') THEN RAISE EXCEPTION 'missing one-live-key index'; END IF;
      END $$;`,
    });
    expect(sql.output).not.toContain("missing");
    expect(sql.code).toBe(0);
  });
});
