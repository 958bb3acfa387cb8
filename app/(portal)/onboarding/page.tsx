import { OnboardingFlow } from "@/components/onboarding/onboarding-flow";
import { QueryProvider } from "@/components/providers/query-provider";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/auth";
import { getEnv } from "@/lib/env";

export const metadata = { title: "Connect WhatsApp" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Both the Connect page and the IO redirect URL: the Hub sends the popup back here, where the
 * Connect Button reads the redirect, reports it, and hands it to the page that opened it.
 */
export default async function OnboardingPage({ searchParams }: Props) {
  const params = await searchParams;
  const landingFromRedirect = typeof params.client === "string" && typeof params.channels === "string";
  // No fixed callback path: an expired session must come back with the Hub's redirect query.
  const user = await requireUser();
  const env = getEnv();

  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Connect WhatsApp</h1>
        <p className="mt-2 text-slate-600">
          360dialog&apos;s onboarding opens in a new window. Sign in to Meta there, choose the numbers to connect, and
          come back here: we verify them and show their progress.
        </p>
      </div>
      <Card>
        <CardTitle>Signed in as {user.email}</CardTitle>
        <CardDescription>Numbers you connect are bound to this account.</CardDescription>
        <div className="mt-5">
          <QueryProvider>
            <OnboardingFlow
              partnerId={env.HUB_PARTNER_ID}
              hubEnv={env.HUB_ENV}
              ioSignatureEnabled={env.HUB_IO_SIGNATURE === "on"}
              redirectUrl={`${env.APP_URL}/onboarding`}
              user={{ email: user.email, name: user.name }}
              landingFromRedirect={landingFromRedirect}
            />
          </QueryProvider>
        </div>
      </Card>
    </div>
  );
}
