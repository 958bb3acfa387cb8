/**
 * Who may finish signing in, as Auth.js's `signIn` callback asks (lib/auth.ts). Side effects come
 * in as functions, so the decision is testable without Auth.js or a database.
 */

/** The parts of Auth.js's `signIn` callback parameters the decision reads. */
export type SignInAttempt = {
  /** For a returning OAuth user, the stored user; for a new one, the provider's profile. */
  user: { id?: string; email?: string | null };
  account?: { provider: string; type: string; access_token?: string } | null;
  email?: { verificationRequest?: boolean };
};

export type SignInEffects = {
  /** Counts a magic-link request against the per-address and per-network limits. */
  allowMagicLink(email: string): Promise<boolean>;
  /** Brings the stored role of a proven address in line with ADMIN_EMAILS. */
  syncRole(email: string): Promise<void>;
  isVerifiedGitHubEmail(accessToken: string, email: string): Promise<boolean>;
  /** Records that a stored user's address is verified; unknown ids are ignored. */
  markEmailVerified(userId: string): Promise<void>;
};

/** Where a throttled magic-link request lands: /login with the error (Auth.js redirects to a string). */
export const MAGIC_LINK_THROTTLED = "/login?error=TooManyEmails";

export async function decideSignIn(
  { user, account, email }: SignInAttempt,
  effects: SignInEffects,
): Promise<boolean | string> {
  // Asking for a link proves nothing about the address: roles sync once it is verified. Every
  // request mails someone, so it is throttled here, where the form and Auth.js's own endpoint meet.
  if (email?.verificationRequest) {
    if (!user.email) return false;
    return (await effects.allowMagicLink(user.email)) ? true : MAGIC_LINK_THROTTLED;
  }
  // A followed magic link proves the address.
  if (account?.type === "email") {
    if (user.email) await effects.syncRole(user.email);
    return true;
  }
  if (account?.provider === "github") return decideGitHub(user, account.access_token, effects);
  return true;
}

/**
 * GitHub's profile may carry an address its user never verified. Signing in with it would create
 * a portal account under someone else's address, which their first magic link would then join
 * (ADMIN_EMAILS promoting it) while the GitHub account stays linked. So only GitHub's verified
 * primary address gets in, returning users included (their stored address is what is checked).
 */
async function decideGitHub(
  user: SignInAttempt["user"],
  accessToken: string | undefined,
  effects: SignInEffects,
): Promise<boolean> {
  if (!accessToken || !user.email) return false;
  if (!(await effects.isVerifiedGitHubEmail(accessToken, user.email))) return false;
  // A returning user's row; a new user does not exist yet (the adapter marks it when it links the account).
  if (user.id) await effects.markEmailVerified(user.id);
  return true;
}
