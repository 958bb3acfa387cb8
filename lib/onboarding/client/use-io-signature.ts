"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import { fetchJson } from "@/lib/http/client-fetch";
import type { IssuedIoSignature } from "@/lib/onboarding/api-types";

const ioSignatureKey = ["io-signature"] as const;

// The server hands out the same unclicked signature until it expires or is spent, so a refresh
// costs nothing; checking every 10 minutes replaces one whose end draws near before the click.
const STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * The IO signature for the next Connect click, fetched before the button is enabled.
 * A signature is single-use: `discard(state)` drops the clicked one and fetches the next, telling
 * the server that `state` was spent, so no click ever reuses or awaits a signature.
 */
export function useIoSignature(enabled: boolean) {
  const queryClient = useQueryClient();
  const spent = useRef<string | null>(null);
  const query = useQuery({
    queryKey: ioSignatureKey,
    queryFn: async () => {
      const reported = spent.current;
      const issued = await fetchJson<IssuedIoSignature>("/api/sign_io", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(reported ? { spent: reported } : {}),
      });
      if (spent.current === reported) spent.current = null;
      return issued;
    },
    enabled,
    staleTime: STALE_AFTER_MS,
    refetchInterval: STALE_AFTER_MS,
    refetchOnWindowFocus: true,
    gcTime: 0,
  });
  const discard = useCallback(
    (clickedState: string) => {
      spent.current = clickedState;
      void queryClient.resetQueries({ queryKey: ioSignatureKey });
    },
    [queryClient],
  );
  return { ...query, discard };
}
