import "server-only";
import { HubApiError, type PartnerApi, type PartnerUrls } from "@/lib/hub";
import { failed, passed, type CheckResult } from "../check-result";

export type PartnerApiProbe = { result: CheckResult; settings: PartnerUrls | null };

/** The Partner API answers an authenticated read of this partner (`GET /partners/{pid}`) with these credentials. */
export async function probePartnerApi(api: PartnerApi, partnerId: string): Promise<PartnerApiProbe> {
  try {
    const settings = await api.getPartnerSettings();
    return {
      result: passed("partner_api", `GET /partners/${partnerId} answered with this partner's settings.`),
      settings,
    };
  } catch (error) {
    if (!(error instanceof HubApiError)) throw error;
    return { result: failed("partner_api", error.message, fixFor(error)), settings: null };
  }
}

function fixFor(error: HubApiError): string {
  if (error.status === 401) {
    return "Copy a valid Partner API key from the Partner Hub into HUB_API_KEY (or set HUB_USERNAME and HUB_PASSWORD).";
  }
  if (error.status === 403 || error.status === 404) {
    return "These credentials belong to another partner: copy your partner id from the Partner Hub into HUB_PARTNER_ID.";
  }
  if (error.status === null) {
    return "Check HUB_API_URL and that this server can reach it (locally, npm run dev starts the sandbox).";
  }
  if (error.retryable) return "360dialog is failing right now: run the doctor again in a few minutes.";
  return "Check that HUB_API_URL is the Partner API's base URL (https://hub.360dialog.io/api/v2).";
}
