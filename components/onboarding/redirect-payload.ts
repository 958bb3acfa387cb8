import type { RedirectPayload } from "@/lib/onboarding/api-types";

type ButtonCallback = { client: string; channels: string[]; revokedChannels?: string[] };

/**
 * The Connect Button's callback data plus the `state` it does not return, cleaned of its quirks:
 * `channels=[]` parses as [""], and the same redirect is reported more than once.
 */
export function toCompletionPayload(data: ButtonCallback, search: string): RedirectPayload {
  const state = new URLSearchParams(search).get("state") || undefined;
  const ids = (values: string[] | undefined) => [...new Set((values ?? []).map((value) => value.trim()).filter(Boolean))];
  return { client: data.client, channels: ids(data.channels), revoked: ids(data.revokedChannels), ...(state ? { state } : {}) };
}

/** Drops the Hub's redirect query from the address bar: a refresh must not report it again. */
export function clearRedirectQuery(): void {
  window.history.replaceState(null, "", window.location.pathname);
}
