import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { decideBinding, listPendingBindings } from "./pending-bindings";

beforeEach(resetDatabase);

async function claim(userId: string, hubId: string, bindingState: "BOUND" | "AWAITING_APPROVAL") {
  const client = await testDb().client.create({
    data: { hubId, userId, bindingState, contactEmail: "hub-contact@example.com" },
  });
  await testDb().channel.create({ data: { hubId: `${hubId}CH`, clientId: client.id, phoneNumber: "+15550001234" } });
  return client;
}

describe("pending bindings", () => {
  it("lists only waiting clients, with the claimant and the Hub's contact email", async () => {
    const user = await createUser("claimant@example.com");
    await claim(user.id, "boundCL", "BOUND");
    const waiting = await claim(user.id, "waitingCL", "AWAITING_APPROVAL");
    expect(await listPendingBindings(testDb())).toEqual([
      {
        id: waiting.id,
        hubClientId: "waitingCL",
        clientName: null,
        claimantEmail: "claimant@example.com",
        contactEmail: "hub-contact@example.com",
        requestedAt: waiting.createdAt.toISOString(),
        channels: [{ id: "waitingCLCH", phoneNumber: "+15550001234", status: "PENDING" }],
      },
    ]);
  });

  it("records who approved or rejected, once", async () => {
    const user = await createUser("claimant@example.com");
    const admin = await createUser("admin@example.com", "ADMIN");
    const approved = await claim(user.id, "aCL", "AWAITING_APPROVAL");
    const rejected = await claim(user.id, "bCL", "AWAITING_APPROVAL");
    await decideBinding(testDb(), { clientId: approved.id, decision: "approve", admin });
    await decideBinding(testDb(), { clientId: rejected.id, decision: "reject", admin });
    expect(await testDb().client.findUniqueOrThrow({ where: { id: approved.id } })).toMatchObject({
      bindingState: "BOUND",
      decidedById: admin.id,
    });
    expect((await testDb().client.findUniqueOrThrow({ where: { id: rejected.id } })).bindingState).toBe("REJECTED");
    await expect(decideBinding(testDb(), { clientId: rejected.id, decision: "approve", admin })).rejects.toMatchObject({
      code: "binding_not_waiting",
      status: 409,
    });
    expect(await listPendingBindings(testDb())).toEqual([]);
    const audit = await testDb().auditLog.findMany({ orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => [entry.actorEmail, entry.action, entry.targetId])).toEqual([
      ["admin@example.com", "binding.approve", approved.id],
      ["admin@example.com", "binding.reject", rejected.id],
    ]);
  });
});
