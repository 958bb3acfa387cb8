/** Auth.js's own test of a callback URL: a path, or an absolute http(s) URL. */
function isHttpUrlOrPath(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** The callback-URL cookie Auth.js reads: `__Secure-` prefixed when the portal is served over https. */
function callbackUrlCookieName(secureCookies: boolean): string {
  return secureCookies ? "__Secure-authjs.callback-url" : "authjs.callback-url";
}

/** Every value a cookie header carries under `name`, decoded as Auth.js decodes them (raw when malformed). */
function cookieValues(header: string | null, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const raw = part.slice(separator + 1).trim();
    try {
      values.push(decodeURIComponent(raw));
    } catch {
      values.push(raw);
    }
  }
  return values;
}

export type CallbackUrlProblem = { message: string; clearCookie: string | null };

/**
 * Auth.js answers a `callbackUrl` query parameter or callback-URL cookie it cannot use with a 500
 * ("a problem with the server configuration"): the visitor's input, not the server's. Checked
 * first by the same rule, over every value the request carries (Auth.js reads one of them), so
 * such a request gets a 400 instead; a bad cookie is also expired, so a planted one cannot keep
 * sign-in refused. Null when there is nothing to refuse.
 */
export function callbackUrlProblem(
  request: { nextUrl: URL; headers: Headers },
  { secureCookies }: { secureCookies: boolean },
): CallbackUrlProblem | null {
  const origin = request.nextUrl.origin;
  const params = request.nextUrl.searchParams.getAll("callbackUrl");
  if (params.some((value) => value && !isHttpUrlOrPath(value, origin))) {
    return { message: "The callbackUrl parameter must be a path or an http(s) URL.", clearCookie: null };
  }
  const name = callbackUrlCookieName(secureCookies);
  const cookies = cookieValues(request.headers.get("cookie"), name);
  if (cookies.some((value) => value && !isHttpUrlOrPath(value, origin))) {
    return {
      message: "The callback-URL cookie must be a path or an http(s) URL.",
      clearCookie: `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secureCookies ? "; Secure" : ""}`,
    };
  }
  return null;
}
