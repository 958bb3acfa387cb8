import { ActionForm } from "@/components/admin/action-form";
import type { ChannelRow } from "@/lib/admin/list-channels";
import {
  resyncChannelAction,
  retryKeyProvisioningAction,
  retryMessagingWebhookAction,
  rotateKeyAction,
} from "./actions";

// Key states a provisioning retry can move: a failed creation, or one waiting for permission or a retry.
const RETRYABLE_KEY_STATES = new Set<ChannelRow["keyState"]>(["FAILED", "AWAITING_PERMISSION", "PROVISIONING"]);

/** The actions that apply to a channel as it stands; each one checks again on the server. */
export function ChannelActions({ channel }: { channel: Pick<ChannelRow, "id" | "hubId" | "keyState" | "hasLiveKey"> }) {
  const fields = { channelId: channel.id };
  return (
    <div className="flex flex-col items-start gap-2">
      {RETRYABLE_KEY_STATES.has(channel.keyState) ? (
        <ActionForm action={retryKeyProvisioningAction} fields={fields} label="Retry key" target={channel.hubId} />
      ) : null}
      {channel.hasLiveKey ? (
        <>
          <ActionForm
            action={rotateKeyAction}
            fields={fields}
            label="Rotate key"
            confirmLabel="Confirm rotation"
            target={channel.hubId}
          />
          <ActionForm
            action={retryMessagingWebhookAction}
            fields={fields}
            label="Set webhook again"
            target={channel.hubId}
          />
        </>
      ) : null}
      <ActionForm action={resyncChannelAction} fields={fields} label="Re-sync" target={channel.hubId} />
    </div>
  );
}
