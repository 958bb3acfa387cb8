import { ButtonLink } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";

const steps = [
  { title: "Sign in", text: "Use your work email: we send you a one-time sign-in link." },
  {
    title: "Connect WhatsApp",
    text: "360dialog's onboarding opens in a popup. Pick the numbers to bring onto the WhatsApp Business API.",
  },
  {
    title: "Go live",
    text: "Follow each number from submitted to live here; API access is set up for you once it runs.",
  },
];

export default function LandingPage() {
  return (
    <div className="space-y-12">
      <section className="space-y-5">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">WhatsApp Business API</p>
        <h1 className="max-w-2xl text-4xl font-bold tracking-tight text-slate-900">
          Bring your WhatsApp Business numbers on board in minutes.
        </h1>
        <p className="max-w-2xl text-lg text-slate-600">
          This portal connects your company&apos;s phone numbers to the WhatsApp Business API through 360dialog&apos;s
          Integrated Onboarding, verifies them, and keeps you posted until they are live.
        </p>
        <div className="flex flex-wrap gap-3">
          <ButtonLink href="/onboarding">Start onboarding</ButtonLink>
          <ButtonLink href="/login" variant="secondary">
            Sign in
          </ButtonLink>
        </div>
      </section>
      <ol className="grid gap-4 sm:grid-cols-3" aria-label="How it works">
        {steps.map((step, index) => (
          <li key={step.title}>
            <Card className="h-full">
              <p className="text-xs font-semibold text-brand-700">Step {index + 1}</p>
              <CardTitle className="mt-1">{step.title}</CardTitle>
              <CardDescription>{step.text}</CardDescription>
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}
