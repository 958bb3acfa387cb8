import { AsyncLocalStorage } from "node:async_hooks";
import type { RunningSandbox } from "@/sandbox/server";
import { onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { issueIoSignature } from "@/lib/onboarding/issue-io-signature";
import { createUser, testDb } from "@/test/db";
import { signedInAs } from "@/test/route-harness";

type SignedIn = NonNullable<Awaited<ReturnType<typeof signedInAs>>>;

/**
 * How each user typed their email at the Hub: as signed in, in other letters (the same address,
 * so still a proof of ownership), or another address altogether (waits for an admin).
 */
export type TypedEmail = "own" | "own-in-capitals" | "other";

export type PreparedUser = {
  user: SignedIn;
  typed: TypedEmail;
  expectedBinding: "BOUND" | "AWAITING_APPROVAL";
  body: { client: string; channels: string[]; state: string };
};

/**
 * A click on Connect, as test/click-connect.ts makes it, from the user's own network: fifty clients
 * behind one address would meet the per-network limit on signatures, which is not what is tested here.
 */
async function clickConnectFrom(userId: string, clientIp: string): Promise<string> {
  const signing = { db: testDb(), partnerId: PARTNER_ID, platformSecret: "x".repeat(16) };
  const { state } = await issueIoSignature(userId, { clientIp }, signing);
  await issueIoSignature(userId, { clientIp, spentState: state }, signing);
  return state;
}

/**
 * A user who signed in, clicked Connect (an open attempt) and went through the Hub's page, which
 * redirected with their client, numbers and the attempt's state: everything up to the moment the
 * browser reports the redirect to POST /api/onboarding.
 */
export async function prepareUser(
  sandbox: RunningSandbox,
  { email, typed, numbers, clientIp }: { email: string; typed: TypedEmail; numbers: number; clientIp: string },
): Promise<PreparedUser> {
  const user = await createUser(email);
  const state = await clickConnectFrom(user.id, clientIp);
  const typedEmail = { own: email, "own-in-capitals": email.toUpperCase(), other: `hub-contact-of-${email}` }[typed];
  const redirect = await onboard(sandbox, { email, typedEmail, numbers, state });
  return {
    user: { id: user.id, email, name: null, role: "CLIENT" },
    typed,
    expectedBinding: typed === "other" ? "AWAITING_APPROVAL" : "BOUND",
    body: { client: redirect.client, channels: redirect.channels, state },
  };
}

/**
 * route-harness's `signedInAs` is one mock for the whole file; concurrent requests each need their
 * own user. Each call runs in its own async context, which Node carries across every await, so the
 * handler's session lookup answers with the user of the request it serves.
 */
export function signedInPerRequest(): <T>(user: SignedIn, request: () => Promise<T>) => Promise<T> {
  const storage = new AsyncLocalStorage<SignedIn>();
  signedInAs.mockImplementation(async () => storage.getStore() ?? null);
  return (user, request) => storage.run(user, request);
}
