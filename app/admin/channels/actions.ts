"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { recordId } from "@/lib/http/record-id";
import type { ActionState } from "@/lib/admin/action-state";
import { runAdminAction } from "@/lib/admin/run-admin-action";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { requestKeyRotation } from "@/lib/channels/request-key-rotation";
import { resyncChannel } from "@/lib/channels/resync-channel";
import { retryKeyProvisioning } from "@/lib/channels/retry-key-provisioning";
import { retryMessagingWebhook } from "@/lib/channels/retry-messaging-webhook";
import { getDb } from "@/lib/db";
import { getPartnerApi } from "@/lib/hub";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { actionForm } from "@/lib/http/action-form";

const channelForm = z.object({ channelId: recordId() });
const confirmedChannelForm = channelForm.extend({
  confirm: z.literal("yes", { error: "Confirm the rotation first." }),
});

function read<S extends z.ZodType>(schema: S, formData: FormData): z.output<S> {
  return schema.parse({ channelId: formData.get("channelId"), confirm: formData.get("confirm") ?? undefined });
}

// The work these actions queue runs right after the response instead of waiting for the cron.
function queued(): void {
  after(drainJobsAfterResponse);
  revalidatePath("/admin/channels", "layout");
}

/** "Rotate key" → "Confirm rotation": a new key, the webhook set again, the old ciphertext destroyed. */
export async function rotateKeyAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const { channelId } = read(confirmedChannelForm, formData);
    await requestKeyRotation(getDb(), { channelId, admin });
    queued();
    return "Rotation queued: a new key is being created; the old one is destroyed once the new one is stored.";
  });
}

export async function retryKeyProvisioningAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const { channelId } = read(channelForm, formData);
    await retryKeyProvisioning(getDb(), { channelId, admin });
    queued();
    return "Key provisioning queued to run now.";
  });
}

export async function retryMessagingWebhookAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const { channelId } = read(channelForm, formData);
    await retryMessagingWebhook(getDb(), { channelId, admin });
    queued();
    return "The messaging webhook will be set again now.";
  });
}

export async function resyncChannelAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const { channelId } = read(channelForm, formData);
    const { changed } = await resyncChannel({ db: getDb(), partnerApi: getPartnerApi() }, { channelId, admin });
    queued();
    return changed ? "Re-synced: the channel changed." : "Re-synced: 360dialog reports nothing new.";
  });
}
