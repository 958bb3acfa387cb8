export type Role = "CLIENT" | "ADMIN";

/** Emails compare case-insensitively; ADMIN_EMAILS is already lowercased by lib/env.ts. */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

/** The role ADMIN_EMAILS prescribes for an address: ADMIN when listed, CLIENT otherwise. */
export function roleForEmail(email: string | null | undefined, adminEmails: readonly string[]): Role {
  if (!email) return "CLIENT";
  const normalized = normalizeEmail(email);
  return adminEmails.some((admin) => normalizeEmail(admin) === normalized) ? "ADMIN" : "CLIENT";
}

/**
 * The role the app acts on. The stored role is synced from ADMIN_EMAILS at each sign-in; in
 * between, an address removed from ADMIN_EMAILS loses admin rights at once rather than when its
 * session (up to 30 days) ends. Promotion still waits for the next sign-in.
 */
export function effectiveRole(storedRole: Role, email: string, adminEmails: readonly string[]): Role {
  return storedRole === "ADMIN" && roleForEmail(email, adminEmails) === "ADMIN" ? "ADMIN" : "CLIENT";
}
