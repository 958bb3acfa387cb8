"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { recordId } from "@/lib/http/record-id";
import type { ActionState } from "@/lib/admin/action-state";
import { retryWebhookEvent } from "@/lib/admin/retry-webhook-event";
import { runAdminAction } from "@/lib/admin/run-admin-action";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { actionForm } from "@/lib/http/action-form";

const eventForm = z.object({ eventId: recordId(100) });

/** Processes a failed or waiting webhook event again, right after the response. */
export async function retryWebhookEventAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const { eventId } = eventForm.parse({ eventId: formData.get("eventId") });
    await retryWebhookEvent(getDb(), { eventId, admin });
    after(drainJobsAfterResponse);
    revalidatePath("/admin/events", "layout");
    return "Queued for processing again.";
  });
}
