/** Where the Hub must send this deployment's browsers and partner webhooks, derived from APP_URL alone. */
export function deploymentUrls(appUrl: string): { partnerRedirectUrl: string; webhookUrl: string } {
  return { partnerRedirectUrl: `${appUrl}/onboarding`, webhookUrl: `${appUrl}/api/webhooks/360dialog` };
}
