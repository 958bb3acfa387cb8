import "server-only";
import type { JobHelpers, Task, TaskList } from "graphile-worker";
import { z } from "zod";
import { enqueueKeyRetry } from "@/lib/channels/enqueue-key-provisioning";
import { configureMessagingWebhook, type MessagingHandOff } from "@/lib/channels/configure-messaging-webhook";
import { provisionApiKey, type ProvisionDeps } from "@/lib/channels/provision-api-key";
import { inSpanContinuing } from "@/lib/observability/spans";
import { processWebhookEvent } from "@/lib/webhooks/process-webhook-event";
import { CONFIGURE_MESSAGING_WEBHOOK, PROCESS_WEBHOOK_EVENT, PROVISION_API_KEY } from "./task-names";

const eventPayload = z.object({ eventId: z.string().min(1) });
const channelPayload = z.object({ channelId: z.string().min(1) });
// The trace the job was queued in (lib/observability/spans.ts); absent on jobs queued before it.
const tracedPayload = z.object({ traceparent: z.string().nullish() });

export type TaskDeps = Omit<ProvisionDeps, "now"> & { messaging: MessagingHandOff };

/** What each queued task does; payloads carry ids (and a trace id) only, the rows hold the data. */
export function portalTaskList(deps: TaskDeps): TaskList {
  return traced({
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
  });
}

/** Each task in a span continuing the trace it was queued in, so a webhook's path is one trace. */
function traced(tasks: Record<string, Task>): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      (payload: unknown, helpers: JobHelpers) => {
        const parsed = tracedPayload.safeParse(payload);
        const attributes = { "job.id": helpers.job.id, "job.attempt": helpers.job.attempts };
        return inSpanContinuing(parsed.success ? parsed.data.traceparent : null, `job ${name}`, attributes, () =>
          Promise.resolve(task(payload, helpers)),
        );
      },
    ]),
  );
}

// The queue counts the running attempt already: this is the last one it will make.
function isLastAttempt(job: { attempts: number; max_attempts: number }): boolean {
  return job.attempts >= job.max_attempts;
}
