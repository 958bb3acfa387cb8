import "server-only";
import type { AdminActor } from "@/lib/admin/record-admin-action";
import { recordAdminAction } from "@/lib/admin/record-admin-action";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PartnerApi, PartnerUrls } from "@/lib/hub";
import { deploymentUrls } from "./deployment-urls";

/**
 * The doctor's "Set them": PATCHes the partner's redirect and webhook URLs to this deployment's,
 * then records who did it with the URLs before and after. The Hub's write cannot share a database
 * transaction; the audit line follows only a write the Hub confirmed.
 */
export async function pointHubAtDeployment(
  db: PrismaClient,
  partnerApi: PartnerApi,
  input: { appUrl: string; admin: AdminActor },
): Promise<PartnerUrls> {
  const urls = deploymentUrls(input.appUrl);
  const before = await partnerApi.getPartnerSettings();
  const after = await partnerApi.updatePartnerUrls(urls);
  await recordAdminAction(db, input.admin, {
    action: "partner.set_urls",
    targetType: "partner_settings",
    detail: { before, after },
  });
  return after;
}
