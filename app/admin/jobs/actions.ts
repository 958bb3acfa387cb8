"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { recordId } from "@/lib/http/record-id";
import type { ActionState } from "@/lib/admin/action-state";
import { retryFailedJob } from "@/lib/admin/failed-jobs";
import { runAdminAction } from "@/lib/admin/run-admin-action";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { actionForm } from "@/lib/http/action-form";

const jobForm = z.object({ jobId: recordId(20) });

/** "Retry now": the job runs again right after the response, with a fresh budget of attempts. */
export async function retryJobAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const { jobId } = jobForm.parse({ jobId: formData.get("jobId") });
    await retryFailedJob(getDb(), { jobId, admin });
    after(drainJobsAfterResponse);
    revalidatePath("/admin/jobs");
    return "Scheduled to run now.";
  });
}
