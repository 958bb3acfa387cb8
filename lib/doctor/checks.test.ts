import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, testDb } from "@/test/db";
import { checkCron } from "./checks/cron";
import { checkJobQueue } from "./checks/job-queue";
import { checkMigrations } from "./checks/migrations";
import { formatReport } from "./format-report";
import { recordHeartbeat } from "./heartbeats";
import { readEnvironment } from "./read-environment";

const MIGRATIONS = path.join(process.cwd(), "prisma", "migrations");
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

const tempDirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "doctor-migrations-"));
  tempDirs.push(dir);
  return dir;
};

beforeEach(resetDatabase);
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("checkCron", () => {
  it("is red before the first run and after 30 minutes of silence, green after a run", async () => {
    expect(await checkCron(testDb(), new Date())).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("/api/cron/reconcile"),
    });
    await recordHeartbeat(testDb(), "cron.reconcile");
    expect(await checkCron(testDb(), new Date())).toMatchObject({ status: "pass" });
    await testDb().heartbeat.update({ where: { key: "cron.reconcile" }, data: { at: minutesAgo(31) } });
    const stale = await checkCron(testDb(), new Date());
    expect(stale).toMatchObject({ status: "fail", detail: expect.stringContaining("31 minutes ago") });
    expect(stale.fix).toContain("npm run worker");
  });
});

describe("checkJobQueue", () => {
  const addJob = (runAt: Date) =>
    testDb()
      .$queryRaw`SELECT graphile_worker.add_job('process_webhook_event', '{"eventId":"x"}'::json, run_at => ${runAt})`;

  it("is red only when a job that could run has waited over ten minutes", async () => {
    expect(await checkJobQueue(testDb())).toMatchObject({ status: "pass", detail: "No job is waiting to run." });
    await addJob(minutesAgo(2));
    expect(await checkJobQueue(testDb())).toMatchObject({ status: "pass" });
    // Locked by a live worker, or scheduled for later: not waiting.
    await addJob(new Date(Date.now() + 60 * 60_000));
    await testDb()
      .$executeRaw`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'w', run_at = now() - interval '1 hour' WHERE run_at < now()`;
    expect(await checkJobQueue(testDb())).toMatchObject({ status: "pass" });
    await addJob(minutesAgo(11));
    expect(await checkJobQueue(testDb())).toMatchObject({
      status: "fail",
      detail: "1 job(s) are due, the oldest for 11 minutes.",
    });
  });
});

describe("checkMigrations", () => {
  it("passes when every shipped migration is applied, and names one that is not", async () => {
    expect(await checkMigrations(testDb(), MIGRATIONS)).toMatchObject({ status: "pass" });
    const shipped = await tempDir();
    await cp(MIGRATIONS, shipped, { recursive: true });
    await mkdir(path.join(shipped, "29991231000000_next"));
    await writeFile(path.join(shipped, "29991231000000_next", "migration.sql"), "SELECT 1;");
    expect(await checkMigrations(testDb(), shipped)).toMatchObject({
      status: "fail",
      detail: "1 migration(s) not applied: 29991231000000_next.",
      fix: expect.stringContaining("npm run db:migrate"),
    });
  });

  it("names migrations the database has but this build does not ship", async () => {
    const shipped = await tempDir();
    const [first] = (await readdir(MIGRATIONS)).filter((name) => /^\d/.test(name)).sort();
    await cp(path.join(MIGRATIONS, first!), path.join(shipped, first!), { recursive: true });
    expect(await checkMigrations(testDb(), shipped)).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("Deploy the code"),
    });
  });

  it("fails with the tracing fix when the directory is not there", async () => {
    expect(await checkMigrations(testDb(), path.join(tmpdir(), "no-such-migrations"))).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("outputFileTracingIncludes"),
    });
  });
});

describe("readEnvironment", () => {
  it("names each broken variable and still parses the others with their real values", () => {
    const environment = readEnvironment({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://u:p@db.example.com:5432/portal",
      APP_URL: "https://portal.example.com",
      HUB_ENV: "prod",
      HUB_PARTNER_ID: "realPA",
      HUB_API_KEY: "real-key",
      ADMIN_EMAILS: "admin@example.com,not-an-email",
    });
    expect([...environment.broken].sort()).toEqual(
      [
        "ADMIN_EMAILS",
        "AUTH_SECRET",
        "CRON_SECRET",
        "EMAIL_FROM",
        "ENCRYPTION_KEYS",
        "HUB_PLATFORM_SECRET",
        "SMTP_URL",
      ].sort(),
    );
    expect(environment.env).toMatchObject({
      DATABASE_URL: "postgresql://u:p@db.example.com:5432/portal",
      APP_URL: "https://portal.example.com",
      HUB_PARTNER_ID: "realPA",
      HUB_API_KEY: "real-key",
      HUB_API_URL: "https://hub.360dialog.io/api/v2",
    });
    expect(environment.problems.join("\n")).not.toContain("real-key");
  });
});

describe("formatReport", () => {
  it("prints one line per check with its symbol, and the fix under a failure", () => {
    const report = formatReport([
      { id: "variables", title: "Environment variables", status: "pass", detail: "fine" },
      { id: "database", title: "Database connection", status: "fail", detail: "down", fix: "Start it." },
      {
        id: "migrations",
        title: "Database migrations",
        status: "skipped",
        detail: "not run",
        fix: "Fix the database.",
      },
    ]);
    expect(report.split("\n")).toEqual([
      "✓ Environment variables  fine",
      "✗ Database connection    down",
      "                         fix: Start it.",
      "– Database migrations    not run",
      "                         fix: Fix the database.",
      "",
      "1 of 3 checks fail.",
    ]);
  });
});
