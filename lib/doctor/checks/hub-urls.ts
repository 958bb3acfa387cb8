import "server-only";
import type { PartnerUrls } from "@/lib/hub";
import { failed, passed, type CheckResult } from "../check-result";
import { deploymentUrls } from "../deployment-urls";

const SET_THEM = "use “Set them” on /admin/setup";

/** The Hub's partner_redirect_url and webhook_url are this deployment's, each its own check. */
export function checkHubUrls(settings: PartnerUrls, appUrl: string): [CheckResult, CheckResult] {
  const expected = deploymentUrls(appUrl);
  return [
    compare("hub_redirect_url", "sends clients back to", settings.partnerRedirectUrl, expected.partnerRedirectUrl),
    compare("hub_webhook_url", "delivers partner webhooks to", settings.webhookUrl, expected.webhookUrl),
  ];
}

function compare(
  id: "hub_redirect_url" | "hub_webhook_url",
  what: string,
  actual: string | null,
  expected: string,
): CheckResult {
  if (actual === expected) return passed(id, `The Hub ${what} ${expected}.`);
  const setting = id === "hub_redirect_url" ? "redirect URL" : "webhook URL";
  return failed(
    id,
    `The Hub ${what} ${actual ?? "nothing (unset)"}, not ${expected}.`,
    `Point the Hub at this deployment: ${SET_THEM}, or set the ${setting} in the Partner Hub to ${expected}.`,
  );
}
