import "server-only";
import NextAuth, { AuthError, type NextAuthConfig } from "next-auth";
import type { AdapterUser } from "next-auth/adapters";
import GitHub from "next-auth/providers/github";
import Nodemailer from "next-auth/providers/nodemailer";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { NextRequest } from "next/server";
import { createTransport } from "nodemailer";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { errorResponse } from "@/lib/http/error-response";
import { LOGIN_PATH, loginRedirectLocation } from "./auth/access";
import { callbackUrlProblem } from "./auth/callback-url-problem";
import { markEmailVerified, portalAdapter, syncRole } from "./auth/adapter";
import { isVerifiedGitHubEmail } from "./auth/github-email";
import { describeAuthError } from "./auth/redact";
import { effectiveRole, type Role } from "./auth/roles";
import { sendMagicLink } from "./auth/send-magic-link";
import { allowMagicLink } from "./auth/throttle-magic-link";
import { decideSignIn } from "./auth/sign-in-policy";
import { rebaseUrl, resolveRedirect, safeCallbackPath } from "./auth/urls";
import { log } from "@/lib/observability/log";

/**
 * Sign-in for the portal: Auth.js (next-auth v5) with database sessions through the Prisma
 * adapter, email magic links over SMTP and, when configured, GitHub. The only module that knows
 * the auth library; the rest of the app uses the helpers exported here.
 *
 * Origins: every URL Auth.js builds is anchored on APP_URL. Requests to /api/auth/* are rebased
 * onto APP_URL before Auth.js sees them; the mailed magic link is rebuilt on APP_URL (server-action
 * sign-ins derive their origin from the Host header); the redirect callback only lets through
 * APP_URL destinations. That is what makes `trustHost: true` safe here.
 */

export type { Role };
export type CurrentUser = { id: string; email: string; name: string | null; role: Role };

/** Set by proxy.ts on protected requests: the path (with query) being visited, for callbackUrl. */
export const REQUEST_PATH_HEADER = "x-portal-request-path";

const MAGIC_LINK_MAX_AGE_SECONDS = 30 * 60;

function isRole(value: unknown): value is Role {
  return value === "CLIENT" || value === "ADMIN";
}

/** Built on each use from validated env, never at import: `next build` imports this without it. */
function authConfig(): NextAuthConfig {
  const env = getEnv();
  const db = getDb();
  const providers: NextAuthConfig["providers"] = [
    Nodemailer({
      server: env.SMTP_URL,
      from: env.EMAIL_FROM,
      maxAge: MAGIC_LINK_MAX_AGE_SECONDS,
      sendVerificationRequest: ({ identifier, url, expires }) =>
        sendMagicLink(
          { identifier, url, expires },
          { appUrl: env.APP_URL, from: env.EMAIL_FROM, transport: createTransport(env.SMTP_URL) },
        ),
    }),
  ];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }

  return {
    adapter: portalAdapter(db, env.ADMIN_EMAILS),
    providers,
    secret: env.AUTH_SECRET,
    basePath: "/api/auth",
    session: { strategy: "database" },
    // Safe: see the module comment. Without it Auth.js refuses every request in production
    // unless AUTH_URL or AUTH_TRUST_HOST is set.
    trustHost: true,
    // Cookie names and flags follow the public origin, not whatever protocol a TLS-terminating
    // proxy forwards: `__Secure-authjs.session-token` on https, `authjs.session-token` on http.
    useSecureCookies: env.APP_URL.startsWith("https:"),
    pages: {
      signIn: LOGIN_PATH,
      error: LOGIN_PATH,
      verifyRequest: `${LOGIN_PATH}/check-email`,
      signOut: `${LOGIN_PATH}/sign-out`,
    },
    callbacks: {
      redirect: ({ url }) => resolveRedirect(url, env.APP_URL),
      // Magic links sync the role; GitHub needs a verified primary address (lib/auth/sign-in-policy.ts).
      signIn: ({ user, account, email }) =>
        decideSignIn(
          { user, account, email },
          {
            syncRole: (address) => syncRole(db, address, env.ADMIN_EMAILS),
            isVerifiedGitHubEmail,
            markEmailVerified: (userId) => markEmailVerified(db, userId),
            allowMagicLink: async (address) => allowMagicLink(db, address, clientIp(await headers())),
          },
        ),
      session({ session, user }) {
        const stored = (user as AdapterUser & { role?: unknown }).role;
        const role = isRole(stored) ? effectiveRole(stored, user.email, env.ADMIN_EMAILS) : "CLIENT";
        // Only these fields: /api/auth/session serves this to the browser, and the database
        // session row carries the (httpOnly) session token itself.
        const expires: unknown = session.expires;
        return {
          expires: expires instanceof Date ? expires.toISOString() : String(expires),
          user: { id: user.id, email: user.email, name: user.name ?? null, image: user.image ?? null, role },
        };
      },
    },
    logger: {
      error: (error) => log.error(describeAuthError(error)),
      warn: (code) => log.warn(`[auth] ${code}`),
      debug: () => {},
    },
  };
}

const nextAuth = NextAuth(() => authConfig());

/** Reads the session of the current request (server components, route handlers, server actions). */
export const auth = nextAuth.auth;
/** Server-action sign-in, e.g. `signIn("nodemailer", { email, redirectTo })` or `signIn("github", { redirectTo })`. */
export const signIn = nextAuth.signIn;
/** Server-action sign-out: deletes the database session and clears the cookie. */
export const signOut = nextAuth.signOut;

/** The /api/auth/* route handlers, fed requests rebased onto APP_URL; an unusable callback URL is a 400. */
export const handlers = {
  GET: (request: NextRequest) => refuseBadCallbackUrl(request) ?? nextAuth.handlers.GET(onAppOrigin(request)),
  POST: (request: NextRequest) => refuseBadCallbackUrl(request) ?? nextAuth.handlers.POST(onAppOrigin(request)),
};

function refuseBadCallbackUrl(request: NextRequest): Response | null {
  const problem = callbackUrlProblem(request, { secureCookies: getEnv().APP_URL.startsWith("https:") });
  if (!problem) return null;
  return errorResponse(
    "invalid_callback_url",
    400,
    problem.message,
    problem.clearCookie ? { "Set-Cookie": problem.clearCookie } : {},
  );
}

function onAppOrigin(request: NextRequest): NextRequest {
  return new NextRequest(rebaseUrl(request.url, getEnv().APP_URL), request);
}

export type SignInOutcome = { ok: true } | { ok: false; error: string };

/** The Auth.js error type in a redirect target such as `/login?error=Verification`, if any. */
function errorInTarget(target: unknown): string | null {
  if (typeof target !== "string") return null;
  try {
    return new URL(target, getEnv().APP_URL).searchParams.get("error");
  } catch {
    return null;
  }
}

/**
 * For a server action: mails a magic link to `email` that signs in and lands on `callbackPath`
 * (a same-origin path; anything else lands on APP_URL's root). Failures come back as an Auth.js
 * error type (e.g. "AccessDenied", "Configuration" when the mail could not be sent) for /login.
 */
export async function sendSignInLink(email: string, callbackPath: string): Promise<SignInOutcome> {
  try {
    const target: unknown = await signIn("nodemailer", { email, redirectTo: callbackPath, redirect: false });
    const error = errorInTarget(target);
    return error ? { ok: false, error } : { ok: true };
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, error: error.type };
    throw error;
  }
}

/** For a server action: starts GitHub sign-in (redirects to GitHub), or redirects to /login with the error. */
export async function signInWithGitHub(callbackPath: string): Promise<never> {
  try {
    await signIn("github", { redirectTo: callbackPath });
  } catch (error) {
    // redirect() throws too; only Auth.js errors are handled here.
    if (!(error instanceof AuthError)) throw error;
    redirect(`${LOGIN_PATH}?${new URLSearchParams({ error: error.type, callbackUrl: callbackPath })}`);
  }
  redirect(LOGIN_PATH);
}

/** For a server action: ends the session (database row and cookie) and goes to `redirectTo`. */
export async function signOutAndRedirect(redirectTo = "/"): Promise<never> {
  await signOut({ redirectTo });
  redirect(redirectTo);
}

/** Whether GitHub sign-in is configured (both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET set). */
export function isGitHubEnabled(): boolean {
  const env = getEnv();
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}

/**
 * The signed-in user, or null. Reads the database session (one query, deduplicated per request).
 * The role already accounts for ADMIN_EMAILS (see lib/auth/roles.ts).
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const user = session?.user as Record<string, unknown> | undefined;
  if (!user || typeof user.id !== "string" || typeof user.email !== "string" || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: typeof user.name === "string" ? user.name : null, role: user.role };
});

/**
 * For pages and server actions: the signed-in user, or a redirect to /login that comes back to
 * `callbackPath` (default: the path the proxy saw, else "/"). Only same-origin paths are kept.
 */
export async function requireUser(callbackPath?: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user) return user;
  const requested = callbackPath ?? (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
  redirect(loginRedirectLocation(safeCallbackPath(requested, getEnv().APP_URL)));
}
