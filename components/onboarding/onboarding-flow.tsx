"use client";

import { ConnectButton } from "360dialog-connect-button";
import Link from "next/link";
import { useCallback, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useAttemptOutcome } from "@/lib/onboarding/client/use-attempt-outcome";
import { useCompleteOnboarding } from "@/lib/onboarding/client/use-complete-onboarding";
import { useIoSignature } from "@/lib/onboarding/client/use-io-signature";
import type { OnboardingResult } from "@/lib/onboarding/api-types";
import { isRetryable } from "@/lib/http/client-fetch";
import { clearRedirectQuery, readClickedState, rememberClickedState, toCompletionPayload } from "./redirect-payload";

export type OnboardingFlowProps = {
  partnerId: string;
  hubEnv: "local" | "staging" | "prod";
  ioSignatureEnabled: boolean;
  redirectUrl: string;
  user: { email: string; name: string | null };
  // True when this page load is the Hub's redirect: no signature is needed for it.
  landingFromRedirect: boolean;
};

const buttonClass =
  "inline-flex items-center justify-center rounded-md bg-brand-600 px-5 py-2.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-50";

export function OnboardingFlow({
  partnerId,
  hubEnv,
  ioSignatureEnabled,
  redirectUrl,
  user,
  landingFromRedirect,
}: OnboardingFlowProps) {
  const [landing, setLanding] = useState(landingFromRedirect);
  // The popup this page opened and has not heard back from, with its attempt's state nonce.
  const [openPopup, setOpenPopup] = useState<{ state: string | null; openedAt: number } | null>(null);
  const signature = useIoSignature(ioSignatureEnabled && !landing);
  const completion = useCompleteOnboarding();
  const attemptOutcome = useAttemptOutcome(openPopup);
  const completedElsewhere = attemptOutcome.data?.status === "completed" ? attemptOutcome.data.result : undefined;
  const done = completion.data ?? completedElsewhere;
  const popupOpen = openPopup !== null && !completedElsewhere;
  const { mutate: complete } = completion;
  const handled = useRef(new Set<string>());

  // Stable references: the button rebuilds its core (and re-runs the callback) whenever either changes.
  const signatureData = signature.data;
  const queryParameters = useMemo(
    () => ({
      email: user.email,
      ...(user.name ? { name: user.name } : {}),
      redirect_url: redirectUrl,
      ...(signatureData
        ? {
            io_signature: signatureData.signature,
            io_timestamp: String(signatureData.timestamp),
            state: signatureData.state,
          }
        : {}),
    }),
    [user.email, user.name, redirectUrl, signatureData],
  );

  const callback = useCallback(
    (data: { client: string; channels: string[]; revokedChannels?: string[] }) => {
      // Without IO Signature there are no attempts: a state left in storage from before is stale.
      const clickedState = ioSignatureEnabled ? readClickedState() : undefined;
      const payload = toCompletionPayload(data, window.location.search, clickedState);
      const key = JSON.stringify(payload);
      if (handled.current.has(key)) return;
      handled.current.add(key);
      setOpenPopup(null);
      complete(payload, {
        onSuccess: () => {
          clearRedirectQuery();
          setLanding(false);
        },
        onError: (error) => {
          // A refused redirect is dropped; one that failed on the way stays for "Try again".
          if (!isRetryable(error)) clearRedirectQuery();
          setLanding(false);
        },
      });
    },
    [complete, ioSignatureEnabled],
  );

  const retryCompletion = useCallback(() => {
    const variables = completion.variables;
    if (variables) complete(variables, { onSuccess: clearRedirectQuery });
  }, [complete, completion.variables]);

  const { reset: resetCompletion } = completion;
  const { discard: discardSignature } = signature;
  const onClickCapture = useCallback(() => {
    setOpenPopup({ state: signatureData?.state ?? null, openedAt: Date.now() });
    resetCompletion();
    if (!signatureData) return;
    rememberClickedState(signatureData.state);
    // Runs before the button's own click handler, which still sees the current signature.
    setTimeout(() => discardSignature(signatureData.state), 0);
  }, [resetCompletion, discardSignature, signatureData]);

  const waitingForSignature = ioSignatureEnabled && !signatureData;
  const disabledReason = !waitingForSignature
    ? null
    : signature.isError
      ? "We could not prepare a secure onboarding link."
      : "Preparing a secure onboarding link…";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-4">
        <ConnectButton
          onClickCapture={onClickCapture}
          partnerId={partnerId}
          env={hubEnv}
          callback={callback}
          queryParameters={queryParameters}
          label="Connect WhatsApp"
          className={buttonClass}
          disabled={waitingForSignature || completion.isPending}
          aria-describedby="connect-status"
        />
        <span id="connect-status" className="text-sm text-slate-600" aria-live="polite">
          {disabledReason ??
            (completion.isPending
              ? "Saving your numbers…"
              : popupOpen
                ? "Finish onboarding in the 360dialog window."
                : "Ready.")}
        </span>
      </div>

      <p className="text-sm text-slate-600">
        Use <span className="font-medium">{user.email}</span> as your email at 360dialog. With a different email there,
        the partner must approve the connection before your numbers are yours here.
      </p>

      {signature.isError && waitingForSignature ? (
        <Alert tone="danger" title="Onboarding is not ready">
          <p>{signature.error.message}</p>
          <Button variant="secondary" className="mt-3" onClick={() => void signature.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : null}

      {completion.isError ? (
        <Alert tone="danger" title="We could not connect your numbers">
          <p>{completion.error.message}</p>
          {isRetryable(completion.error) ? (
            <Button variant="secondary" className="mt-3" onClick={retryCompletion}>
              Try again
            </Button>
          ) : (
            <p className="mt-1">Click Connect WhatsApp to start again; numbers you already connected stay connected.</p>
          )}
        </Alert>
      ) : null}

      {done ? <CompletedOnboarding result={done} /> : null}
    </div>
  );
}

function CompletedOnboarding({ result }: { result: OnboardingResult }) {
  const awaiting = result.client.binding !== "bound";
  return (
    <Alert
      tone={awaiting ? "warning" : "success"}
      title={awaiting ? "Your numbers are waiting for the partner's approval" : "Your numbers are connected"}
    >
      {awaiting ? (
        <p>
          The email you gave 360dialog is not the one you signed in with, so a partner admin confirms these numbers are
          yours before they are connected. Nothing more is needed from you.
        </p>
      ) : null}
      <ul className="mt-2 space-y-1" aria-label={awaiting ? "Numbers awaiting approval" : "Connected numbers"}>
        {result.channels.map((channel) => (
          <li key={channel.id} className="flex items-center gap-2">
            <span className="font-mono">{channel.phoneNumber ?? channel.id}</span>
            <Badge tone="info">{channel.status.toLowerCase()}</Badge>
          </li>
        ))}
      </ul>
      {result.revoked.length > 0 ? <p className="mt-2">Access removed for {result.revoked.length} number(s).</p> : null}
      <Link href="/channels" className="mt-3 inline-block font-semibold underline">
        Follow them on your channels page
      </Link>
    </Alert>
  );
}
