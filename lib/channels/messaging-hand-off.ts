import "server-only";
import type { Env } from "@/lib/env";
import type { MessagingHandOff } from "./configure-messaging-webhook";

/** The portal's own receiver for messaging webhooks, used when no partner backend is configured. */
export const OWN_MESSAGING_WEBHOOK_PATH = "/api/webhooks/messages";

export function messagingHandOffFromEnv(
  env: Pick<Env, "MESSAGING_WEBHOOK_URL" | "APP_URL" | "AUTH_SECRET" | "HUB_ENV">,
): MessagingHandOff {
  return {
    webhookUrl: env.MESSAGING_WEBHOOK_URL ?? `${env.APP_URL}${OWN_MESSAGING_WEBHOOK_PATH}`,
    ownReceiver: !env.MESSAGING_WEBHOOK_URL,
    tokenSecret: env.AUTH_SECRET,
    hubIsLocal: env.HUB_ENV === "local",
  };
}
