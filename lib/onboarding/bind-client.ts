import "server-only";
import { emailProvesOwnership } from "@/lib/clients/binding";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { HubClient } from "@/lib/hub";

type Claimant = { id: string; email: string; emailVerified: Date | null };

/**
 * Stores the Hub-confirmed client under the user who reported it, as BOUND when the Hub's contact
 * email proves the user owns it and AWAITING_APPROVAL otherwise. A proven owner takes a client
 * over from someone else's unproven claim, anyone may claim one whose claim was rejected, and
 * nobody takes over a bound client. Runs inside the
 * onboarding transaction with the client's row locked, so concurrent reports apply in turn.
 */
export async function bindClient(tx: Prisma.TransactionClient, hubClient: HubClient, claimant: Claimant) {
  const proven = emailProvesOwnership(claimant, hubClient.contactEmail);
  const contact = { contactEmail: hubClient.contactEmail, name: hubClient.name };
  await tx.client.createMany({
    data: [
      { hubId: hubClient.id, userId: claimant.id, ...contact, bindingState: proven ? "BOUND" : "AWAITING_APPROVAL" },
    ],
    skipDuplicates: true,
  });
  await tx.$executeRaw`SELECT 1 FROM "Client" WHERE "hubId" = ${hubClient.id} FOR UPDATE`;
  const client = await tx.client.findUniqueOrThrow({ where: { hubId: hubClient.id } });

  if (client.userId === claimant.id) {
    if (proven) return tx.client.update({ where: { id: client.id }, data: { ...contact, bindingState: "BOUND" } });
    if (client.bindingState === "REJECTED") throw bindingRejected();
    return tx.client.update({ where: { id: client.id }, data: contact });
  }
  if (proven && client.bindingState !== "BOUND") {
    return tx.client.update({
      where: { id: client.id },
      data: { ...contact, userId: claimant.id, bindingState: "BOUND", decidedAt: null, decidedById: null },
    });
  }
  // A claim an admin rejected holds nothing: the next claimant's waits for a decision in its place.
  if (client.bindingState === "REJECTED") {
    return tx.client.update({
      where: { id: client.id },
      data: { ...contact, userId: claimant.id, bindingState: "AWAITING_APPROVAL", decidedAt: null, decidedById: null },
    });
  }
  throw new AppError("client_taken", 409, "This 360dialog client is already connected to another account.");
}

function bindingRejected() {
  return new AppError(
    "binding_rejected",
    403,
    "The partner declined to connect this 360dialog client to your account. Please contact support.",
  );
}
