import { normalizeEmail } from "@/lib/auth/roles";
import type { BindingState } from "@/lib/generated/prisma/enums";

/** How a client's binding reads outside the database (API answers, pages). */
export type BindingView = "bound" | "awaiting_approval" | "rejected";

export function bindingView(state: BindingState): BindingView {
  return state === "BOUND" ? "bound" : state === "REJECTED" ? "rejected" : "awaiting_approval";
}

/**
 * The ownership proof for binding a 360dialog client to a user without an ADMIN: the client's
 * contact email at the Hub equals the user's verified sign-in email. The Connect Button only
 * pre-fills the Hub's email, so a client who typed another one there waits for approval.
 */
export function emailProvesOwnership(
  user: { email: string; emailVerified: Date | null },
  contactEmail: string | null,
): boolean {
  if (!user.emailVerified || !contactEmail) return false;
  return normalizeEmail(user.email) === normalizeEmail(contactEmail);
}

/**
 * A phone number as shown while its binding is not proven: whoever reported the client's ids
 * must not learn someone else's numbers from the portal.
 */
export function maskPhoneNumber(phoneNumber: string | null): string | null {
  if (phoneNumber === null) return null;
  return `•••• ${phoneNumber.slice(-4)}`;
}
