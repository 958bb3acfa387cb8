import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth";
import { signOutAction } from "../actions";

export const metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const user = await getCurrentUser();

  if (!user) {
    return (
      <div className="mx-auto max-w-md">
        <Card>
          <CardTitle>
            <span className="text-2xl">You are signed out</span>
          </CardTitle>
          <CardDescription>Sign in again whenever you need the portal.</CardDescription>
          <div className="mt-6 flex gap-3">
            <ButtonLink href="/login">Sign in</ButtonLink>
            <ButtonLink href="/" variant="secondary">
              Back to the start
            </ButtonLink>
          </div>
        </Card>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-md">
      <Card>
        <CardTitle>
          <span className="text-2xl">Sign out?</span>
        </CardTitle>
        <CardDescription>You are signed in as {user.email}.</CardDescription>
        <form action={signOutAction} className="mt-6 flex gap-3">
          <Button type="submit">Sign out</Button>
          <ButtonLink href="/" variant="secondary">
            Cancel
          </ButtonLink>
        </form>
      </Card>
    </div>
  );
}
