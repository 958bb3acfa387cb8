import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardPageTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth";
import { signOutAction } from "../actions";

export const metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const user = await getCurrentUser();

  if (!user) {
    return (
      <div className="mx-auto max-w-md">
        <Card>
          <CardPageTitle>You are signed out</CardPageTitle>
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
        <CardPageTitle>Sign out?</CardPageTitle>
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
