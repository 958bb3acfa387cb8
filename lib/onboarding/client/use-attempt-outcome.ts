"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";
import type { AttemptOutcome } from "@/lib/onboarding/api-types";

const POLL_MS = 2_000;
// Past this an unanswered popup was abandoned; a window focus still checks once more.
const GIVE_UP_AFTER_MS = 30 * 60 * 1000;
const firstPolledAt = new Map<string, number>();

/**
 * Polls the server for the attempt whose popup is open, until it is completed. The popup reports
 * to this page through postMessage, but a popup that lost its opener cannot: the server still
 * hears from it, and this is how the page finds out.
 */
export function useAttemptOutcome(state: string | null) {
  return useQuery({
    queryKey: ["onboarding-attempt", state],
    queryFn: () => {
      if (state && !firstPolledAt.has(state)) firstPolledAt.set(state, Date.now());
      return fetchJson<AttemptOutcome>(`/api/onboarding?state=${encodeURIComponent(state ?? "")}`);
    },
    enabled: state !== null,
    refetchInterval: (query) => {
      const started = state ? firstPolledAt.get(state) : undefined;
      const abandoned = started !== undefined && Date.now() - started > GIVE_UP_AFTER_MS;
      return query.state.data?.status === "completed" || query.state.status === "error" || abandoned ? false : POLL_MS;
    },
    refetchOnWindowFocus: true,
  });
}
