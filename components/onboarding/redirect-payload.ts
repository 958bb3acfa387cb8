import type { RedirectPayload } from "@/lib/onboarding/api-types";

type ButtonCallback = { client: string; channels: string[]; revokedChannels?: string[] };

const CLICKED_STATE_KEY = "portal:onboarding-clicked-state";

/**
 * The Connect Button's callback data plus the `state` it does not return, cleaned of its quirks:
 * `channels=[]` parses as [""], and the same redirect is reported more than once. The state is
 * the Hub's echo when there is one, else the one remembered at the click.
 */
export function toCompletionPayload(data: ButtonCallback, search: string, clickedState?: string): RedirectPayload {
  const state = new URLSearchParams(search).get("state") || clickedState;
  const ids = (values: string[] | undefined) => [
    ...new Set((values ?? []).map((value) => value.trim()).filter(Boolean)),
  ];
  return {
    client: data.client,
    channels: ids(data.channels),
    revoked: ids(data.revokedChannels),
    ...(state ? { state } : {}),
  };
}

/** Drops the Hub's redirect query from the address bar: a refresh must not report it again. */
export function clearRedirectQuery(): void {
  window.history.replaceState(null, "", window.location.pathname);
}

/**
 * Keeps the state of the attempt a Connect click started. The Hub's echo of `state` is not
 * documented, and the page that opened the popup never sees the redirect's URL; both windows
 * share this origin's storage.
 */
export function rememberClickedState(state: string): void {
  try {
    window.localStorage.setItem(CLICKED_STATE_KEY, state);
  } catch {
    // Storage can be blocked; the server then matches the redirect to the user's open attempt.
  }
}

export function readClickedState(): string | undefined {
  try {
    return window.localStorage.getItem(CLICKED_STATE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
