"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";

export type CompletionPayload = { client: string; channels: string[]; revoked: string[]; state?: string };
export type CompletionResult = {
  client: { id: string };
  channels: Array<{ id: string; phoneNumber: string | null; status: string }>;
  revoked: string[];
};

export function useCompleteOnboarding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (payload: CompletionPayload) =>
      fetchJson<CompletionResult>("/api/onboarding", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        // The popup closes itself right after the callback; keepalive lets this request finish.
        keepalive: true,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["channels"] }),
  });
}
