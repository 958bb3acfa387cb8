import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import type { CheckResult, CheckStatus } from "@/lib/doctor/check-result";
import { deploymentUrls } from "@/lib/doctor/deployment-urls";
import { runDoctor } from "@/lib/doctor/run-doctor";
import { getEnv } from "@/lib/env";
import { setPartnerUrlsAction } from "./actions";

export const metadata = { title: "Setup doctor" };
export const dynamic = "force-dynamic";

const STATUS: Record<CheckStatus, { label: string; symbol: string; tone: BadgeTone }> = {
  pass: { label: "Pass", symbol: "✓", tone: "success" },
  fail: { label: "Fail", symbol: "✗", tone: "danger" },
  skipped: { label: "Skipped", symbol: "–", tone: "neutral" },
};

const URL_OUTCOMES = {
  set: { tone: "success", text: "The Hub now points at this deployment; the checks below were run again." },
  refused: { tone: "danger", text: "360dialog refused the change: the Partner API check below says why." },
  unconfirmed: { tone: "warning", text: "Nothing changed: tick the confirmation to set the URLs." },
} as const;

/**
 * Every setup check, run live on each request (the same list as `npm run doctor`), with the fix
 * for each failure and a confirmed button that points the Hub's URLs at this deployment.
 */
export default async function SetupDoctorPage({ searchParams }: { searchParams: Promise<{ urls?: string }> }) {
  await requireAdminPage("/admin/setup");
  const [{ urls }, results] = await Promise.all([searchParams, runDoctor({ source: process.env, connect: getDb })]);
  const failures = results.filter((result) => result.status === "fail").length;
  const urlOutcome = urls && urls in URL_OUTCOMES ? URL_OUTCOMES[urls as keyof typeof URL_OUTCOMES] : null;
  const urlsWrong = results.some(
    (result) => (result.id === "hub_redirect_url" || result.id === "hub_webhook_url") && result.status === "fail",
  );

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Setup doctor</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Each check runs live against this deployment&apos;s configuration, database and 360dialog. A skipped check
          waits on the failed one it depends on. The same list prints in a terminal with{" "}
          <code className="font-mono text-sm">npm run doctor</code>.
        </p>
      </div>
      {urlOutcome ? <Alert tone={urlOutcome.tone}>{urlOutcome.text}</Alert> : null}
      <Alert
        tone={failures === 0 ? "success" : "danger"}
        title={failures === 0 ? "Everything is set up" : `${failures} of ${results.length} checks fail`}
      >
        {failures === 0
          ? `All ${results.length} checks pass.`
          : "Each failing check names its fix; run the page again after applying it."}
      </Alert>
      <section aria-labelledby="checks-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="checks-heading" className="sr-only">
          Checks
        </h2>
        <ol className="divide-y divide-slate-100">
          {results.map((result) => (
            <CheckRow key={result.id} result={result} />
          ))}
        </ol>
      </section>
      {urlsWrong ? <PointHubCard /> : null}
    </div>
  );
}

function CheckRow({ result }: { result: CheckResult }) {
  const status = STATUS[result.status];
  return (
    <li className="grid gap-1 px-6 py-4 sm:grid-cols-[7rem_1fr]" data-check={result.id} data-status={result.status}>
      <div>
        <Badge tone={status.tone}>
          <span aria-hidden="true" className="mr-1">
            {status.symbol}
          </span>
          {status.label}
        </Badge>
      </div>
      <div className="min-w-0">
        <h3 className="text-sm font-semibold text-slate-900">{result.title}</h3>
        <p className="mt-1 break-words text-sm text-slate-600">{result.detail}</p>
        {result.fix ? (
          <p className="mt-1 text-sm text-slate-900">
            <span className="font-medium">Fix: </span>
            {result.fix}
          </p>
        ) : null}
      </div>
    </li>
  );
}

function PointHubCard() {
  const urls = deploymentUrls(getEnv().APP_URL);
  return (
    <Card aria-labelledby="point-hub-heading">
      <CardTitle id="point-hub-heading">Point the Partner Hub at this deployment</CardTitle>
      <CardDescription>
        Sets your partner&apos;s URLs at 360dialog (PATCH /partners/&#123;partner_id&#125;). Every client&apos;s
        onboarding redirect and every partner webhook goes to this deployment from then on.
      </CardDescription>
      <dl className="mt-4 grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-medium text-slate-700">Redirect URL</dt>
        <dd className="break-all font-mono">{urls.partnerRedirectUrl}</dd>
        <dt className="font-medium text-slate-700">Webhook URL</dt>
        <dd className="break-all font-mono">{urls.webhookUrl}</dd>
      </dl>
      <form action={setPartnerUrlsAction} className="mt-4 space-y-4">
        <div className="flex items-start gap-2">
          <input
            id="confirm-urls"
            name="confirm"
            type="checkbox"
            value="yes"
            required
            className="mt-0.5 size-4 rounded border-slate-300"
          />
          <label htmlFor="confirm-urls" className="text-sm text-slate-800">
            I understand that 360dialog will send redirects and webhooks to this deployment instead of where they go
            now.
          </label>
        </div>
        <Button type="submit">Set them</Button>
      </form>
    </Card>
  );
}
