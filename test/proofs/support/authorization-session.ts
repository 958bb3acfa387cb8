import { afterEach, vi } from "vitest";
import { signedInAs } from "@/test/route-harness";

/**
 * The request context the authorization matrix stands in for, and nothing more.
 *
 * test/route-harness.ts replaces all of lib/auth with `getCurrentUser`, which leaves the pages'
 * guards (`requireUser`, `requireAdminPage`) without the function they call. The matrix needs the
 * real lib/auth instead, so the seam moves one level down: Auth.js's `auth()` (the session read from
 * the cookie) answers with whoever `signedInAs` names, and the portal's own getCurrentUser,
 * requireUser, requireApiUser and requireAdmin* run unchanged on it.
 *
 * Next's request-scoped functions throw outside a request; the two the endpoints reach get the
 * smallest stand-in: `headers()` carries only the path the proxy would have set, and
 * `revalidatePath` records what an action asked to refresh. `after()` is route-harness's.
 */
export const revalidatedPaths: string[] = [];

// Typed as lib/auth's constant, so a rename there fails the type check here; importing the value
// would load the module route-harness has stubbed.
const REQUEST_PATH_HEADER: typeof import("@/lib/auth").REQUEST_PATH_HEADER = "x-portal-request-path";

let requestPath = "/";

afterEach(() => {
  revalidatedPaths.length = 0;
  requestPath = "/";
});

/** The path the proxy would have put in REQUEST_PATH_HEADER for the request being made. */
export function visiting(path: string): void {
  requestPath = path;
}

function sessionUnused(name: string) {
  return () => {
    throw new Error(`The authorization matrix does not call Auth.js's ${name}`);
  };
}

/** Call at the top of the test file, after the imports: every module imported later sees these. */
export function standInSessionForRealAuth(): void {
  vi.doUnmock("@/lib/auth");
  // Not importOriginal: next-auth's entry imports "next/server" the way only Next's bundler resolves.
  // lib/auth needs its default export (the stand-in) and AuthError (which it re-exports from core).
  vi.doMock("next-auth", async () => ({
    AuthError: (await import("@auth/core/errors")).AuthError,
    default: () => ({
      auth: async () => {
        const user = await signedInAs();
        return user ? { user, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
      },
      handlers: { GET: sessionUnused("handlers.GET"), POST: sessionUnused("handlers.POST") },
      signIn: sessionUnused("signIn"),
      signOut: sessionUnused("signOut"),
    }),
  }));
  vi.doMock("next/headers", async (importOriginal) => ({
    ...(await importOriginal<typeof import("next/headers")>()),
    headers: async () => new Headers({ [REQUEST_PATH_HEADER]: requestPath }),
  }));
  vi.doMock("next/cache", async (importOriginal) => ({
    ...(await importOriginal<typeof import("next/cache")>()),
    revalidatePath: (path: string) => {
      revalidatedPaths.push(path);
    },
  }));
}
