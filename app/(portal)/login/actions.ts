"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { sendSignInLink, signInWithGitHub, signOutAndRedirect } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/urls";
import { getEnv } from "@/lib/env";
import { actionForm } from "@/lib/http/action-form";

const emailSchema = z.string().trim().max(254).pipe(z.email());

function loginUrl(params: Record<string, string>): string {
  return `/login?${new URLSearchParams(params)}`;
}

/** The email form: mails a magic link, then shows "check your email" (or /login with the error). */
export async function requestMagicLink(input: FormData): Promise<void> {
  const formData = actionForm(input);
  const callbackUrl = safeCallbackPath(formData.get("callbackUrl"), getEnv().APP_URL);
  const email = emailSchema.safeParse(formData.get("email"));
  if (!email.success) redirect(loginUrl({ error: "InvalidEmail", callbackUrl }));
  const outcome = await sendSignInLink(email.data, callbackUrl);
  if (!outcome.ok) redirect(loginUrl({ error: outcome.error, callbackUrl }));
  redirect("/login/check-email");
}

export async function continueWithGitHub(input: FormData): Promise<void> {
  const formData = actionForm(input);
  await signInWithGitHub(safeCallbackPath(formData.get("callbackUrl"), getEnv().APP_URL));
}

export async function signOutAction(): Promise<void> {
  await signOutAndRedirect("/");
}
