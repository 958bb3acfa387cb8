/** Auth.js's callback-URL cookie, over http and over https. */
const CALLBACK_URL_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

/** Auth.js's own test of a callback URL: a path, or an absolute http(s) URL. */
function isHttpUrlOrPath(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * Auth.js answers a `callbackUrl` query parameter or cookie it cannot use with a 500 ("a problem
 * with the server configuration"): the visitor's input, not the server's. Checked first by the
 * same rule, so such a request gets a 400 instead. Null when there is nothing to refuse.
 */
export function callbackUrlProblem(request: {
  nextUrl: URL;
  cookies: { get(name: string): { value: string } | undefined };
}): string | null {
  const origin = request.nextUrl.origin;
  const param = request.nextUrl.searchParams.get("callbackUrl");
  if (param && !isHttpUrlOrPath(param, origin)) return "The callbackUrl parameter must be a path or an http(s) URL.";
  for (const name of CALLBACK_URL_COOKIES) {
    const cookie = request.cookies.get(name)?.value;
    if (cookie && !isHttpUrlOrPath(cookie, origin)) return "The callback-URL cookie must be a path or an http(s) URL.";
  }
  return null;
}
