import "server-only";
import type { AdminActor } from "@/lib/admin/record-admin-action";
import { recordAdminAction } from "@/lib/admin/record-admin-action";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PartnerApi, PartnerUrls } from "@/lib/hub";
import { deploymentUrls } from "./deployment-urls";

/**
 * The doctor's "Set them": PATCHes the partner's redirect and webhook URLs to this deployment's,
 * then records who did it with the URLs before and after. The Hub's write cannot share a database
 * transaction: a confirmed write is recorded as done, a refused one as refused.
 */
export async function pointHubAtDeployment(
  db: PrismaClient,
  partnerApi: PartnerApi,
  input: { appUrl: string; admin: AdminActor },
): Promise<PartnerUrls> {
  const urls = deploymentUrls(input.appUrl);
  const before = await partnerApi.getPartnerSettings();
  const after = await partnerApi.updatePartnerUrls(urls).catch(async (error: unknown) => {
    await recordAdminAction(db, input.admin, {
      action: "partner.set_urls_refused",
      targetType: "partner_settings",
      detail: { before: forTheRecord(before), wanted: forTheRecord(urls) },
    });
    throw error;
  });
  await recordAdminAction(db, input.admin, {
    action: "partner.set_urls",
    targetType: "partner_settings",
    detail: { before: forTheRecord(before), after: forTheRecord(after) },
  });
  return after;
}

/**
 * The audit log keeps what it is given for good: a URL's credentials (user:password, a token in
 * the query) would outlive their rotation there, so only origin and path are kept.
 */
function forTheRecord(urls: PartnerUrls): PartnerUrls {
  return { partnerRedirectUrl: originAndPath(urls.partnerRedirectUrl), webhookUrl: originAndPath(urls.webhookUrl) };
}

function originAndPath(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "(not a URL)";
  }
}
