import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { listAuditActions, listAuditLog } from "./list-audit-log";
import { recordAdminAction } from "./record-admin-action";

beforeEach(resetDatabase);

// Inserted with their times: the log refuses UPDATE, but an INSERT may say when it happened.
function entry(actorEmail: string, action: string, minute: number) {
  return {
    actorEmail,
    action,
    targetType: "channel",
    targetId: "t",
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  };
}

async function entries() {
  await testDb().auditLog.createMany({
    data: [
      entry("alice@example.com", "binding.approve", 1),
      entry("bob@example.com", "channel.rotate_key", 2),
      entry("alice@example.com", "channel.rotate_key", 3),
    ],
  });
}

describe("listAuditLog", () => {
  it("shows what recordAdminAction appended, with who, what and when", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    await recordAdminAction(testDb(), admin, {
      action: "job.retry",
      targetType: "job",
      targetId: "7",
      detail: { task: "t" },
    });
    expect((await listAuditLog(testDb(), { page: 1 })).rows).toEqual([
      {
        id: expect.any(String),
        actorEmail: "admin@example.com",
        action: "job.retry",
        targetType: "job",
        targetId: "7",
        detail: { task: "t" },
        createdAt: expect.any(String),
      },
    ]);
  });

  it("lists every entry newest first, with who, what and when", async () => {
    await entries();
    const page = await listAuditLog(testDb(), { page: 1 });
    expect(page.total).toBe(3);
    expect(page.rows.map((row) => [row.actorEmail, row.action])).toEqual([
      ["alice@example.com", "channel.rotate_key"],
      ["bob@example.com", "channel.rotate_key"],
      ["alice@example.com", "binding.approve"],
    ]);
    expect(page.rows[0]).toMatchObject({
      targetType: "channel",
      targetId: expect.any(String),
      createdAt: expect.any(String),
    });
  });

  it("filters by action and by part of the actor's email", async () => {
    await entries();
    const rotations = await listAuditLog(testDb(), { action: "channel.rotate_key", page: 1 });
    expect(rotations.rows.map((row) => row.actorEmail)).toEqual(["alice@example.com", "bob@example.com"]);
    const bobs = await listAuditLog(testDb(), { actor: "BOB@", page: 1 });
    expect(bobs.rows.map((row) => row.action)).toEqual(["channel.rotate_key"]);
    expect(await listAuditActions(testDb())).toEqual(["binding.approve", "channel.rotate_key"]);
  });

  it("pages by 25", async () => {
    await testDb().auditLog.createMany({
      data: Array.from({ length: 26 }, (_, i) => entry("admin@example.com", `a.${i}`, i)),
    });
    const second = await listAuditLog(testDb(), { page: 2 });
    expect(second).toMatchObject({ total: 26, page: 2, pageCount: 2 });
    expect(second.rows.map((row) => row.action)).toEqual(["a.0"]);
  });
});
