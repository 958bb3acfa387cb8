import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { getCurrentUser, isGitHubEnabled } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/urls";
import { getEnv } from "@/lib/env";
import { continueWithGitHub, requestMagicLink } from "./actions";
import { loginErrorMessage } from "./messages";

export const metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(first(params.callbackUrl), getEnv().APP_URL);
  const error = loginErrorMessage(first(params.error));
  const user = await getCurrentUser();
  if (user && !error) redirect(callbackUrl);
  const github = isGitHubEnabled();

  return (
    <div className="mx-auto max-w-md space-y-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Sign in</h1>
        <p className="mt-2 text-slate-600">Enter your work email and we&apos;ll send you a one-time sign-in link.</p>
      </div>
      {error ? (
        <Alert tone="danger" title="Sign-in problem">
          {error}
        </Alert>
      ) : null}
      <Card>
        <form action={requestMagicLink} className="space-y-4">
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <div className="space-y-1.5">
            <Label htmlFor="email">Email address</Label>
            <Input id="email" name="email" type="email" autoComplete="email" placeholder="you@company.com" required />
          </div>
          <Button type="submit" className="w-full">
            Email me a sign-in link
          </Button>
        </form>
        {github ? (
          <>
            <div className="my-5 flex items-center gap-3 text-xs text-slate-500">
              <span className="h-px flex-1 bg-slate-200" />
              or
              <span className="h-px flex-1 bg-slate-200" />
            </div>
            <form action={continueWithGitHub}>
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <Button type="submit" variant="secondary" className="w-full">
                Continue with GitHub
              </Button>
            </form>
          </>
        ) : null}
      </Card>
      {user ? (
        <Card>
          <CardTitle>Already signed in</CardTitle>
          <CardDescription>You are signed in as {user.email}.</CardDescription>
        </Card>
      ) : null}
    </div>
  );
}
