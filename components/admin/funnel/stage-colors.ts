import type { FunnelStage } from "@/lib/admin/funnel/stages";

/** One hue per stage, each dark enough for 3:1 against white (WCAG non-text contrast). */
export const STAGE_COLORS: Record<FunnelStage, string> = {
  clicked: "#1d4ed8",
  redirected: "#0e7490",
  bound: "#047857",
  running: "#4d7c0f",
  key_stored: "#b45309",
  webhook_set: "#be123c",
  first_message: "#7e22ce",
};
