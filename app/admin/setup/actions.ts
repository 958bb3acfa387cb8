"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireAdminAction } from "@/lib/auth/require-admin";
import { getDb } from "@/lib/db";
import { pointHubAtDeployment } from "@/lib/doctor/point-hub-at-deployment";
import { getEnv } from "@/lib/env";
import { getPartnerApi, HubApiError } from "@/lib/hub";
import { actionForm } from "@/lib/http/action-form";

// An unticked checkbox is absent from the form: the confirmation is the whole input.
const confirmationForm = z.object({ confirm: z.literal("yes") });

/** "Set them" on /admin/setup: points the Hub's redirect and webhook URLs at this deployment, once confirmed. */
export async function setPartnerUrlsAction(input: FormData): Promise<void> {
  const formData = actionForm(input);
  const admin = await requireAdminAction();
  if (!confirmationForm.safeParse({ confirm: formData.get("confirm") }).success) {
    redirect("/admin/setup?urls=unconfirmed");
  }
  let outcome: "set" | "refused" = "set";
  try {
    await pointHubAtDeployment(getDb(), getPartnerApi(), { appUrl: getEnv().APP_URL, admin });
  } catch (error) {
    if (!(error instanceof HubApiError)) throw error;
    outcome = "refused";
  }
  revalidatePath("/admin/setup");
  redirect(`/admin/setup?urls=${outcome}`);
}
