import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { listClients } from "./list-clients";

beforeEach(resetDatabase);

async function client(
  ownerEmail: string,
  hubId: string,
  data: { name?: string; contactEmail?: string; bindingState?: "BOUND" | "AWAITING_APPROVAL" | "REJECTED" } = {},
  numbers: string[] = [],
) {
  const owner = (await testDb().user.findUnique({ where: { email: ownerEmail } })) ?? (await createUser(ownerEmail));
  const created = await testDb().client.create({ data: { hubId, userId: owner.id, ...data } });
  for (const [index, phoneNumber] of numbers.entries()) {
    await testDb().channel.create({ data: { hubId: `${hubId}-ch${index}`, clientId: created.id, phoneNumber } });
  }
  return created;
}

describe("listClients", () => {
  it("shows each client's owner, binding, channels and full numbers, newest first", async () => {
    const older = await client("owner@example.com", "cl-old", { name: "Old Co", bindingState: "BOUND" }, [
      "+15550001111",
    ]);
    await testDb().client.update({ where: { id: older.id }, data: { createdAt: new Date("2026-01-01T00:00:00Z") } });
    const newer = await client("other@example.com", "cl-new", { contactEmail: "hub@example.com" }, [
      "+15550002222",
      "+15550003333",
    ]);
    const page = await listClients(testDb(), { page: 1 });
    expect(page.total).toBe(2);
    expect(page.rows).toEqual([
      {
        id: newer.id,
        hubId: "cl-new",
        name: null,
        ownerEmail: "other@example.com",
        contactEmail: "hub@example.com",
        bindingState: "AWAITING_APPROVAL",
        channelCount: 2,
        numbers: ["+15550002222", "+15550003333"],
        createdAt: newer.createdAt.toISOString(),
      },
      expect.objectContaining({ hubId: "cl-old", name: "Old Co", bindingState: "BOUND", channelCount: 1 }),
    ]);
  });

  it.each([
    ["hub id", "ACME-HUB"],
    ["name", "acme gmbh"],
    ["owner email", "boss@acme"],
    ["contact email", "contact@acme"],
  ])("finds a client by part of its %s, case-insensitively", async (_field, q) => {
    await client("boss@acme.example", "acme-hub-1", { name: "Acme GmbH", contactEmail: "contact@acme.example" });
    await client("someone@example.com", "other-1", { name: "Other" });
    const page = await listClients(testDb(), { q, page: 1 });
    expect(page.rows.map((row) => row.hubId)).toEqual(["acme-hub-1"]);
    expect(page.total).toBe(1);
  });

  it("filters by binding state", async () => {
    await client("a@example.com", "bound-1", { bindingState: "BOUND" });
    await client("a@example.com", "waiting-1", { bindingState: "AWAITING_APPROVAL" });
    await client("a@example.com", "rejected-1", { bindingState: "REJECTED" });
    const waiting = await listClients(testDb(), { binding: "AWAITING_APPROVAL", page: 1 });
    expect(waiting.rows.map((row) => row.hubId)).toEqual(["waiting-1"]);
  });

  it("pages by 25 with the total of every page", async () => {
    const owner = await createUser("many@example.com");
    await testDb().client.createMany({
      data: Array.from({ length: 27 }, (_, i) => ({
        hubId: `cl-${String(i).padStart(2, "0")}`,
        userId: owner.id,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    });
    const first = await listClients(testDb(), { page: 1 });
    const second = await listClients(testDb(), { page: 2 });
    expect(first).toMatchObject({ total: 27, page: 1, pageCount: 2 });
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]?.hubId).toBe("cl-26");
    expect(second.rows.map((row) => row.hubId)).toEqual(["cl-01", "cl-00"]);
    expect((await listClients(testDb(), { page: 9 })).rows).toEqual([]);
  });
});
