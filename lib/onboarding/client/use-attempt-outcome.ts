"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";
import type { AttemptOutcome } from "@/lib/onboarding/api-types";

const POLL_MS = 2_000;
// Past this an unanswered popup was abandoned; a window focus still checks once more.
const GIVE_UP_AFTER_MS = 30 * 60 * 1000;

/**
 * Polls the server for the attempt whose popup is open (opened at `openedAt`), until it is
 * completed. The popup reports to this page through postMessage, but a popup that lost its
 * opener cannot: the server still hears from it, and this is how the page finds out.
 */
export function useAttemptOutcome(popup: { state: string | null; openedAt: number } | null) {
  const state = popup?.state ?? null;
  return useQuery({
    queryKey: ["onboarding-attempt", state],
    queryFn: () => fetchJson<AttemptOutcome>(`/api/onboarding?state=${encodeURIComponent(state ?? "")}`),
    enabled: state !== null,
    refetchInterval: (query) => {
      const abandoned = popup !== null && Date.now() - popup.openedAt > GIVE_UP_AFTER_MS;
      return query.state.data?.status === "completed" || query.state.status === "error" || abandoned ? false : POLL_MS;
    },
    refetchOnWindowFocus: true,
  });
}
