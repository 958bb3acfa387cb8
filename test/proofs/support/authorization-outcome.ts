import {
  getAccessFallbackHTTPStatus,
  isHTTPAccessFallbackError,
} from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";

/**
 * How a page or server action ended, as Next itself tells: `notFound()` and `redirect()` throw
 * errors whose digest Next's own predicates recognise (`NEXT_HTTP_ERROR_FALLBACK;404`,
 * `NEXT_REDIRECT;…`). Anything else thrown is a real failure and propagates.
 */
export type Outcome =
  { kind: "returned"; value: unknown } | { kind: "denied"; status: number } | { kind: "redirected"; location: string };

export async function settle(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { kind: "returned", value: await work() };
  } catch (error) {
    if (isHTTPAccessFallbackError(error)) return { kind: "denied", status: getAccessFallbackHTTPStatus(error) };
    if (isRedirectError(error)) return { kind: "redirected", location: getURLFromRedirectError(error) };
    throw error;
  }
}

/**
 * A returned value as text: a page's element tree with every prop it hands down (the data a client
 * component would receive and the HTML would carry). React's private bookkeeping (`_owner`,
 * `_store`, `_debug*`) and component functions are left out; nested async server components are
 * not rendered, so a page's own data is what this sees.
 */
export function serialise(value: unknown): string {
  // Client references and module objects can point back at themselves: each object is written once.
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(value, (key, inner: unknown) => {
      if (key.startsWith("_") || typeof inner === "function" || typeof inner === "symbol") return undefined;
      if (typeof inner === "object" && inner !== null) {
        if (seen.has(inner)) return undefined;
        seen.add(inner);
      }
      return inner;
    }) ?? ""
  );
}

/** Which of `secrets` appear in `text`. */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}

/**
 * Which of `secrets` appear in `text` although the request did not carry them: echoing the id a
 * caller sent (a login redirect's callbackUrl naming the page asked for) tells them nothing new.
 */
export function leakedBeyond(request: string, text: string, secrets: readonly string[]): string[] {
  return leaked(
    text,
    secrets.filter((secret) => !request.includes(secret) && !request.includes(encodeURIComponent(secret))),
  );
}
