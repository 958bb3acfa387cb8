import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { normalizeEmail, roleForEmail } from "./roles";

/**
 * The Prisma adapter with the portal's rules: emails stored lowercased, the role set from
 * ADMIN_EMAILS when a user is created, and OAuth tokens never stored (the portal makes no calls
 * on the user's behalf, and a token that is not kept cannot leak).
 */
export function portalAdapter(db: PrismaClient, adminEmails: readonly string[]): Adapter {
  const base = PrismaAdapter(db as unknown as Parameters<typeof PrismaAdapter>[0]);
  const { createUser, getUserByEmail, linkAccount } = base;
  if (!createUser || !getUserByEmail || !linkAccount) throw new Error("The Prisma adapter lacks user methods.");
  return {
    ...base,
    createUser: (user) => {
      const email = normalizeEmail(user.email);
      // ADMIN only for a verified address (a magic link); an OAuth provider's email may be unverified.
      const role = user.emailVerified ? roleForEmail(email, adminEmails) : "CLIENT";
      return createUser({ ...user, email, role } as AdapterUser);
    },
    getUserByEmail: (email) => getUserByEmail(normalizeEmail(email)),
    linkAccount: (account) => {
      const kept: AdapterAccount = {
        userId: account.userId,
        type: account.type,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        ...(account.token_type ? { token_type: account.token_type } : {}),
        ...(account.scope ? { scope: account.scope } : {}),
      };
      return linkAccount(kept);
    },
  };
}

/** Brings an existing user's stored role in line with ADMIN_EMAILS. New users get it at creation. */
export async function syncRole(db: PrismaClient, email: string, adminEmails: readonly string[]): Promise<void> {
  const normalized = normalizeEmail(email);
  const role = roleForEmail(normalized, adminEmails);
  await db.user.updateMany({ where: { email: normalized, NOT: { role } }, data: { role } });
}
