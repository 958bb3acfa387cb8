/**
 * Auth.js error messages can embed request URLs (magic-link callbacks carry `token` and `email`)
 * and adapter errors can echo query values. Everything the auth logger prints goes through here.
 */
const SECRET_PARAMS =
  /([?&](?:token|code|state|email|callbackUrl|csrfToken|sessionToken|session_state|id_token|access_token|refresh_token)=)[^&\s"'#]*/gi;
const SESSION_TOKEN_FIELD =
  /("?(?:sessionToken|token|access_token|refresh_token|id_token)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}]+)/gi;

export function redactSecrets(message: string): string {
  return message.replace(SECRET_PARAMS, "$1[redacted]").replace(SESSION_TOKEN_FIELD, "$1[redacted]");
}

type LoggableError = Error & { type?: string; cause?: unknown };

/** One line per error: its type and redacted message, plus the redacted cause when there is one. */
export function describeAuthError(error: LoggableError): string {
  const name = error.type ?? error.name;
  const parts = [`[auth][error] ${name}: ${redactSecrets(error.message)}`];
  const cause = error.cause;
  const inner = cause && typeof cause === "object" && "err" in cause ? (cause as { err: unknown }).err : cause;
  if (inner instanceof Error) parts.push(`cause ${inner.name}: ${redactSecrets(inner.message)}`);
  return parts.join(" | ");
}
