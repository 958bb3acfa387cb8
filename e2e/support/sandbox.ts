import { expect } from "@playwright/test";
import { SANDBOX_URL } from "./sign-in";

// scripts/e2e.ts runs the app and the sandbox with the local defaults for these two.
export const PARTNER_ID = process.env.HUB_PARTNER_ID ?? "sandboxPA";
export const PARTNER_API_KEY = process.env.HUB_API_KEY ?? "local-sandbox-partner-api-key";

/** Forgets every client, channel, key and delivery, so each test starts from an empty Hub. */
export async function resetSandbox(): Promise<void> {
  const reset = await fetch(`${SANDBOX_URL}/__sandbox/reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
  });
  expect(reset.ok).toBe(true);
}

export type ChannelMessaging = {
  webhook: { url: string; setWithKeyId: string; keyActive: boolean } | null;
  keys: Array<{ id: string; revokedAt: string | null }>;
  messages: Array<{ id: string; status: string }>;
};

/** One number's messaging side as the sandbox holds it: its webhook, its keys, its messages. */
export async function messagingAtHub(channelId: string): Promise<ChannelMessaging> {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/channels/${channelId}/messaging`);
  expect(response.ok).toBe(true);
  return (await response.json()) as ChannelMessaging;
}

/** Calls the sandbox's Partner API as the portal would. */
export function partnerApi(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${SANDBOX_URL}/api/v2/partners/${PARTNER_ID}${path}`, {
    ...init,
    headers: { "X-API-Key": PARTNER_API_KEY, "content-type": "application/json", ...init.headers },
  });
}
