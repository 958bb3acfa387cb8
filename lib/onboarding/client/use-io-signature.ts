"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { fetchJson } from "@/lib/http/client-fetch";
import type { IssuedIoSignature } from "@/lib/onboarding/api-types";

const ioSignatureKey = ["io-signature"] as const;

// A signature lives 24 h at the Hub; treating it as stale after 10 minutes keeps a long-open tab
// from ever presenting one near its end.
const STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * The IO signature for the next Connect click, fetched before the button is enabled.
 * A signature is single-use: `discard` drops the current one right after a click and fetches
 * a fresh one, so no click ever reuses or awaits a signature.
 */
export function useIoSignature(enabled: boolean) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ioSignatureKey,
    queryFn: () => fetchJson<IssuedIoSignature>("/api/sign_io", { method: "POST" }),
    enabled,
    staleTime: STALE_AFTER_MS,
    refetchInterval: STALE_AFTER_MS,
    refetchOnWindowFocus: true,
    gcTime: 0,
  });
  const discard = useCallback(() => {
    void queryClient.resetQueries({ queryKey: ioSignatureKey });
  }, [queryClient]);
  return { ...query, discard };
}
