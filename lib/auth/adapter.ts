import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isVerifiedGitHubEmail } from "./github-email";
import { normalizeEmail, roleForEmail } from "./roles";

/**
 * The Prisma adapter with the portal's rules: emails stored lowercased, the role set from
 * ADMIN_EMAILS when a user is created, and OAuth tokens never stored (a token that is not kept
 * cannot leak). The GitHub token is used once, while linking, to ask GitHub whether the user's
 * address is its verified primary one; if so the user's address counts as verified.
 */
export function portalAdapter(
  db: PrismaClient,
  adminEmails: readonly string[],
  verifyGitHubEmail: typeof isVerifiedGitHubEmail = isVerifiedGitHubEmail,
): Adapter {
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
    // Auth.js ignores what linkAccount returns.
    linkAccount: async (account): Promise<void> => {
      const kept: AdapterAccount = {
        userId: account.userId,
        type: account.type,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        ...(account.token_type ? { token_type: account.token_type } : {}),
        ...(account.scope ? { scope: account.scope } : {}),
      };
      await linkAccount(kept);
      if (account.provider === "github" && account.access_token) {
        await markVerifiedByGitHub(db, account.userId, account.access_token, verifyGitHubEmail);
      }
    },
  };
}

/** Records that a user's address is proven: sets `emailVerified` once, never moves it. Unknown ids are ignored. */
export async function markEmailVerified(db: PrismaClient, userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId, emailVerified: null }, data: { emailVerified: new Date() } });
}

// A new GitHub user is created with `emailVerified: null` (Auth.js cannot know better); the sign-in
// callback already checked the address, but the user did not exist then. Asked again here, for the
// address actually stored: when a signed-in user links GitHub, it is their own, not GitHub's.
async function markVerifiedByGitHub(
  db: PrismaClient,
  userId: string,
  accessToken: string,
  verify: typeof isVerifiedGitHubEmail,
): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!user || user.emailVerified) return;
  if (await verify(accessToken, user.email)) await markEmailVerified(db, userId);
}

/** Brings an existing user's stored role in line with ADMIN_EMAILS. New users get it at creation. */
export async function syncRole(db: PrismaClient, email: string, adminEmails: readonly string[]): Promise<void> {
  const normalized = normalizeEmail(email);
  const role = roleForEmail(normalized, adminEmails);
  await db.user.updateMany({ where: { email: normalized, NOT: { role } }, data: { role } });
}
