import "server-only";
import type { TaskList } from "graphile-worker";
import { z } from "zod";
import { enqueueKeyRetry } from "@/lib/channels/enqueue-key-provisioning";
import { configureMessagingWebhook, type MessagingHandOff } from "@/lib/channels/configure-messaging-webhook";
import { provisionApiKey, type ProvisionDeps } from "@/lib/channels/provision-api-key";
import { processWebhookEvent } from "@/lib/webhooks/process-webhook-event";
import { CONFIGURE_MESSAGING_WEBHOOK, PROCESS_WEBHOOK_EVENT, PROVISION_API_KEY } from "./task-names";

const eventPayload = z.object({ eventId: z.string().min(1) });
const channelPayload = z.object({ channelId: z.string().min(1) });

export type TaskDeps = Omit<ProvisionDeps, "now"> & { messaging: MessagingHandOff };

/** What each queued task does; payloads carry ids only, the rows hold the data. */
export function portalTaskList(deps: TaskDeps): TaskList {
  return {
    [PROCESS_WEBHOOK_EVENT]: async (payload, helpers) =>
      processWebhookEvent(deps.db, eventPayload.parse(payload).eventId, {
        lastAttempt: isLastAttempt(helpers.job),
      }),
    [PROVISION_API_KEY]: async (payload) => {
      const { channelId } = channelPayload.parse(payload);
      const outcome = await provisionApiKey(deps, channelId);
      // The Hub said when (429), or the outcome is unknown and worth another look later.
      if (outcome.kind === "retry_at") await enqueueKeyRetry(deps.db, channelId, outcome.at);
    },
    [CONFIGURE_MESSAGING_WEBHOOK]: async (payload, helpers) => {
      await configureMessagingWebhook(deps, channelPayload.parse(payload).channelId, {
        lastAttempt: isLastAttempt(helpers.job),
      });
    },
  };
}

// The queue counts the running attempt already: this is the last one it will make.
function isLastAttempt(job: { attempts: number; max_attempts: number }): boolean {
  return job.attempts >= job.max_attempts;
}
