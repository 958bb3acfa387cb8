"use client";

import { useMutation } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";
import type { OnboardingResult, RedirectPayload } from "@/lib/onboarding/api-types";

export function useCompleteOnboarding() {
  return useMutation({
    mutationFn: (payload: RedirectPayload) =>
      fetchJson<OnboardingResult>("/api/onboarding", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        // The popup closes itself right after the callback; keepalive lets this request finish.
        keepalive: true,
      }),
  });
}
