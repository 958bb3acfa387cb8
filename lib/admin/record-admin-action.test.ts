import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, testDb } from "@/test/db";
import { recordAdminAction } from "./record-admin-action";

describe("recordAdminAction", () => {
  beforeEach(resetDatabase);

  it("appends an entry that can be neither changed nor removed", async () => {
    await recordAdminAction(
      testDb(),
      { id: "u1", email: "admin@example.com" },
      {
        action: "channel.rotate_key",
        targetType: "channel",
        targetId: "ch1",
        detail: { reason: "leaked" },
      },
    );
    const [entry] = await testDb().auditLog.findMany();
    expect(entry).toMatchObject({ actorEmail: "admin@example.com", action: "channel.rotate_key", targetId: "ch1" });

    await expect(
      testDb().auditLog.update({ where: { id: entry!.id }, data: { action: "nothing happened" } }),
    ).rejects.toThrow(/append-only/);
    await expect(testDb().auditLog.delete({ where: { id: entry!.id } })).rejects.toThrow(/append-only/);
    await expect(testDb().$executeRaw`TRUNCATE "AuditLog"`).rejects.toThrow(/append-only/);
    expect(await testDb().auditLog.count()).toBe(1);
  });
});
