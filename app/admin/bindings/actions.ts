"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordId } from "@/lib/http/record-id";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { decideBinding } from "@/lib/clients/pending-bindings";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { actionForm } from "@/lib/http/action-form";

const decisionForm = z.object({ clientId: recordId(), decision: z.enum(["approve", "reject"]) });

/** The approve / reject buttons of /admin/bindings. */
export async function decideBindingAction(input: FormData): Promise<void> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  const parsed = decisionForm.safeParse({ clientId: formData.get("clientId"), decision: formData.get("decision") });
  // Not a form this page renders: there is nothing to decide, and nothing to say but the page itself.
  if (!parsed.success) return;
  await decideBinding(getDb(), { ...parsed.data, admin }).catch((error: unknown) => {
    // A decision someone else already took: the refreshed page shows the current state.
    if (!(error instanceof AppError && error.code === "binding_not_waiting")) throw error;
  });
  revalidatePath("/admin/bindings");
}
