"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";

export type TestMessageInput = { to: string } & ({ kind: "template" } | { kind: "text"; body: string });

/** Sends a test message; the channels query then polls until its status webhooks have arrived. */
export function useSendTestMessage(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TestMessageInput) =>
      fetchJson<{ message: { id: string } }>(`/api/channels/${encodeURIComponent(channelId)}/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(input),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["channels"] }),
  });
}
