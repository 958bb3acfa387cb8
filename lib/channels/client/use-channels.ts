"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client-fetch";
import type { ChannelView } from "@/lib/channels/list-user-channels";

const POLL_WHILE_MOVING_MS = 3_000;

/** The user's channels, polled while any of them is still moving through its life. */
export function useChannels(initial: ChannelView[]) {
  return useQuery({
    queryKey: ["channels"],
    queryFn: async () => (await fetchJson<{ channels: ChannelView[] }>("/api/channels")).channels,
    initialData: initial,
    // The server just rendered `initial`: no refetch on mount, only while something moves.
    staleTime: POLL_WHILE_MOVING_MS,
    refetchInterval: (query) => (query.state.data?.some((channel) => !channel.settled) ? POLL_WHILE_MOVING_MS : false),
  });
}
