import "server-only";
import { getEnv } from "@/lib/env";
import { createPartnerApi, type PartnerApi } from "./partner-api";

let partnerApi: PartnerApi | undefined;

/** The Partner API client for this deployment (the real Hub or the local sandbox, by configuration). */
export function getPartnerApi(): PartnerApi {
  if (!partnerApi) {
    const env = getEnv();
    partnerApi = createPartnerApi({
      baseUrl: env.HUB_API_URL,
      partnerId: env.HUB_PARTNER_ID,
      apiKey: env.HUB_API_KEY,
      username: env.HUB_USERNAME,
      password: env.HUB_PASSWORD,
    });
  }
  return partnerApi;
}

export { computeIoSignature, IO_SIGNATURE_LIFETIME_SECONDS } from "./io-signature";
export { HubApiError } from "./http";
export type { HubApiKey, HubChannel, HubClient, PartnerApi, PartnerUrls } from "./partner-api";
