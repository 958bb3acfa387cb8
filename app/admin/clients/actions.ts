"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { recordId } from "@/lib/http/record-id";
import type { ActionState } from "@/lib/admin/action-state";
import { runAdminAction } from "@/lib/admin/run-admin-action";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { decideBinding } from "@/lib/clients/pending-bindings";
import { getDb } from "@/lib/db";
import { drainJobsAfterResponse } from "@/lib/jobs/job-queue";
import { actionForm } from "@/lib/http/action-form";

const decisionForm = z.object({ clientId: recordId(), decision: z.enum(["approve", "reject"]) });

/** Approve / reject on the clients table; an approval queues the client's keys. */
export async function decideClientBindingAction(_state: ActionState, input: FormData): Promise<ActionState> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  return runAdminAction(async () => {
    const input = decisionForm.parse({ clientId: formData.get("clientId"), decision: formData.get("decision") });
    await decideBinding(getDb(), { ...input, admin });
    if (input.decision === "approve") after(drainJobsAfterResponse);
    revalidatePath("/admin/clients");
    revalidatePath("/admin/bindings");
    return input.decision === "approve" ? "Approved: its keys are being created." : "Rejected.";
  });
}
