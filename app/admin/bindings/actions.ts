"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { decideBinding } from "@/lib/clients/pending-bindings";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/http/errors";

const decisionForm = z.object({ clientId: z.string().min(1).max(64), decision: z.enum(["approve", "reject"]) });

/** The approve / reject buttons of /admin/bindings. */
export async function decideBindingAction(formData: FormData): Promise<void> {
  const admin = await requireAdminAction();
  const input = decisionForm.parse({ clientId: formData.get("clientId"), decision: formData.get("decision") });
  await decideBinding(getDb(), { ...input, admin }).catch((error: unknown) => {
    // A decision someone else already took: the refreshed page shows the current state.
    if (!(error instanceof AppError && error.code === "binding_not_waiting")) throw error;
  });
  revalidatePath("/admin/bindings");
}
