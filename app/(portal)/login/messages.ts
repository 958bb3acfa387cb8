/** What /login says for an `?error=` code: Auth.js error types plus the portal's own. */
const messages: Record<string, string> = {
  InvalidEmail: "Enter a valid email address.",
  Verification: "That sign-in link is invalid, has expired or was already used. Request a new one below.",
  OAuthAccountNotLinked:
    "This email address already signs in another way. Use the email link (or the method you used first).",
  AccessDenied: "Sign-in was refused for this account.",
  Configuration: "We could not send the sign-in email right now. Please try again in a minute.",
  EmailSignInError: "We could not send the sign-in email right now. Please try again in a minute.",
  OAuthSignInError: "GitHub sign-in could not be started. Please try again.",
  OAuthCallbackError: "GitHub sign-in did not complete. Please try again.",
  SessionRequired: "Please sign in to continue.",
  TooManyEmails: "Too many sign-in emails were asked for. Please wait a quarter of an hour, then try again.",
};

export function loginErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return messages[code] ?? "Sign-in failed. Please try again.";
}
