"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";
import type { CompletionResult } from "./use-complete-onboarding";

export type AttemptOutcome = { status: "pending" } | { status: "completed"; result: CompletionResult };

const POLL_MS = 2_000;

/**
 * Polls the server for the attempt whose popup is open, until it is completed. The popup reports
 * to this page through postMessage, but a popup that lost its opener cannot: the server still
 * hears from it, and this is how the page finds out.
 */
export function useAttemptOutcome(state: string | null) {
  return useQuery({
    queryKey: ["onboarding-attempt", state],
    queryFn: () => fetchJson<AttemptOutcome>(`/api/onboarding?state=${encodeURIComponent(state ?? "")}`),
    enabled: state !== null,
    refetchInterval: (query) => (query.state.data?.status === "completed" ? false : POLL_MS),
    refetchOnWindowFocus: true,
  });
}
