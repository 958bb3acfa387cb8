import "server-only";

const USER_EMAILS_URL = "https://api.github.com/user/emails";

// Only case and surrounding spaces: any broader normalisation could equate different mailboxes.
const sameAddress = (email: string) => email.trim().toLowerCase();

type GitHubEmail = { email: string; primary: boolean; verified: boolean };

function isGitHubEmail(value: unknown): value is GitHubEmail {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.email === "string" && typeof entry.primary === "boolean" && typeof entry.verified === "boolean";
}

/**
 * Whether `email` is the GitHub account's primary address and GitHub has verified it. The profile
 * Auth.js reads may carry an address nobody proved to own; signing in with it would pre-create a
 * portal account that a later magic link to the real owner joins. Needs the `user:email` scope,
 * which Auth.js's GitHub provider requests. Any failure counts as "not verified".
 */
export async function isVerifiedGitHubEmail(
  accessToken: string,
  email: string,
  fetchImpl: typeof fetch = fetch,
): Promise<boolean> {
  try {
    const response = await fetchImpl(USER_EMAILS_URL, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        Accept: "application/vnd.github+json",
        "User-Agent": "360dialog-onboarding-portal",
      },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    if (!Array.isArray(body)) return false;
    const wanted = sameAddress(email);
    return body.some(
      (entry) => isGitHubEmail(entry) && entry.primary && entry.verified && sameAddress(entry.email) === wanted,
    );
  } catch {
    return false;
  }
}
