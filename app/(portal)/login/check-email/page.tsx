import { ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardPageTitle } from "@/components/ui/card";

export const metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <CardPageTitle>Check your email</CardPageTitle>
        <CardDescription>
          We sent a sign-in link to the address you entered. Open it on this device to sign in. The link works once and
          expires in 30 minutes.
        </CardDescription>
        <p className="mt-4 text-sm text-slate-600">
          Nothing arrived after a few minutes? Check your spam folder, or request a new link.
        </p>
        <ButtonLink href="/login" variant="secondary" className="mt-6">
          Use a different email
        </ButtonLink>
      </Card>
    </div>
  );
}
