/** The onboarding funnel's stages, in the order a client passes them. */
export const FUNNEL_STAGES = [
  "clicked",
  "redirected",
  "bound",
  "running",
  "key_stored",
  "webhook_set",
  "first_message",
] as const;

export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** What one count of the stage is: the unit changes from attempts to clients to numbers along the way. */
export type FunnelUnit = "attempts" | "clients" | "channels";

export const STAGE_INFO: Record<FunnelStage, { label: string; unit: FunnelUnit }> = {
  clicked: { label: "Connect clicks", unit: "attempts" },
  redirected: { label: "Redirects received", unit: "attempts" },
  bound: { label: "Clients bound", unit: "clients" },
  running: { label: "Channels running", unit: "channels" },
  key_stored: { label: "Keys stored", unit: "channels" },
  webhook_set: { label: "Messaging webhook set", unit: "channels" },
  first_message: { label: "First message sent", unit: "channels" },
};

export function isFunnelStage(value: string): value is FunnelStage {
  return (FUNNEL_STAGES as readonly string[]).includes(value);
}
