import "server-only";
import { sealSecret, type KeyRing } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { HubApiError, type HubApiKey, type PartnerApi } from "@/lib/hub";
import { lockChannelForKey } from "./apply-status";
import { enqueueKeyRetry } from "./enqueue-key-provisioning";
import { enqueueMessagingWebhook } from "./enqueue-messaging-webhook";

export type ProvisionDeps = { db: PrismaClient; partnerApi: PartnerApi; keyRing: KeyRing; now?: () => Date };

export type ProvisionOutcome =
  | { kind: "stored"; readBack: boolean }
  | { kind: "already_stored" }
  | { kind: "not_eligible" }
  | { kind: "awaiting_permission" }
  | { kind: "retry_at"; at: Date }
  | { kind: "refused"; reason: string };

// After a failure that leaves the outcome unknown, or a refusal that may pass later.
const RETRY_AFTER_FAILURE_MS = 60_000;
// A direct-paid client grants the permission in the Hub, which tells no one: ask hourly meanwhile.
const PERMISSION_RECHECK_MS = 60 * 60 * 1000;
// The Hub allows one creation per channel per 30 s; without a Retry-After, wait that long.
const DEFAULT_RATE_LIMIT_S = 30;

/**
 * Creates the API key of one running, bound channel, exactly once, and stores it encrypted.
 * Runs as the channel's only job at a time (a queue per channel), and writes a guard row before
 * the call goes out: when a guard is found, an earlier call's outcome is unknown (a timeout may
 * hide a key created at the Hub), so the Hub's keys are read back first. A second creation would
 * revoke the first key at 360dialog.
 */
export async function provisionApiKey(deps: ProvisionDeps, channelId: string): Promise<ProvisionOutcome> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const start = await db.$transaction(async (tx) => {
    const channel = await lockChannelForKey(tx, channelId);
    if (!channel || !isEligible(channel)) return { kind: "not_eligible" as const };
    const liveKey = await tx.apiKey.findUnique({
      where: { liveChannelId: channel.id },
      select: { hubKeyId: true, lastFour: true },
    });
    if (liveKey && !channel.keyRotationRequestedAt) {
      await tx.channel.update({
        where: { id: channel.id },
        data: { keyState: "STORED", keyRetryAt: null, keyError: null },
      });
      return { kind: "already_stored" as const };
    }
    if (!channel.keyGuard) await tx.keyCreationGuard.create({ data: { channelId: channel.id, startedAt: now } });
    await tx.channel.update({ where: { id: channel.id }, data: { keyState: "PROVISIONING" } });
    return {
      kind: "go" as const,
      hubId: channel.hubId,
      ambiguous: channel.keyGuard !== null,
      replacing: liveKey,
      rotationRequestedAt: channel.keyRotationRequestedAt,
    };
  });
  if (start.kind !== "go") return start;

  if (start.ambiguous) {
    // When rotating, the key being replaced is still listed until the new one exists.
    const existing = (await deps.partnerApi.listApiKeys(start.hubId)).find(
      (key) => !start.replacing || !isSameKey(key, start.replacing),
    );
    if (existing)
      return storeKey(deps, channelId, existing, { readBack: true, now, answers: start.rotationRequestedAt });
  }
  let key: HubApiKey;
  try {
    key = await deps.partnerApi.createApiKey(start.hubId);
  } catch (error) {
    return recordFailure(db, channelId, error, now);
  }
  return storeKey(deps, channelId, key, { readBack: false, now, answers: start.rotationRequestedAt });
}

function isSameKey(key: HubApiKey, stored: { hubKeyId: string | null; lastFour: string | null }): boolean {
  return stored.hubKeyId ? key.id === stored.hubKeyId : key.apiKey.slice(-4) === stored.lastFour;
}

function isEligible(channel: { status: string; access: string; client: { bindingState: string } }): boolean {
  const running = channel.status === "RUNNING" || channel.status === "LIVE";
  return running && channel.access === "GRANTED" && channel.client.bindingState === "BOUND";
}

/**
 * Stores the key only if the channel may still have one: its access may have been revoked, or
 * its guard cleared, while the Hub call was out. Then the key is not kept (the Hub's copy dies
 * with the next creation or the client's revocation), and nothing says "stored".
 */
async function storeKey(
  deps: ProvisionDeps,
  channelId: string,
  key: HubApiKey,
  // The rotation request this creation answers; a later one is left for the next job.
  { readBack, now, answers }: { readBack: boolean; now: Date; answers: Date | null },
): Promise<ProvisionOutcome> {
  const sealed = sealSecret(deps.keyRing, key.apiKey, channelId);
  return deps.db.$transaction(async (tx) => {
    const channel = await lockChannelForKey(tx, channelId);
    if (!channel || !channel.keyGuard || !isEligible(channel)) {
      await tx.keyCreationGuard.deleteMany({ where: { channelId } });
      if (channel) {
        await tx.channel.update({ where: { id: channelId }, data: { keyState: "NONE", keyRotationRequestedAt: null } });
      }
      return { kind: "not_eligible" as const };
    }
    // A rotation: the Hub revoked the old key when it made this one; its ciphertext goes now.
    await tx.apiKey.updateMany({
      where: { liveChannelId: channelId },
      data: { liveChannelId: null, destroyedAt: now, ciphertext: new Uint8Array(0) },
    });
    await tx.apiKey.create({
      data: {
        channelId,
        liveChannelId: channelId,
        ciphertext: new Uint8Array(sealed.ciphertext),
        keyVersion: sealed.keyVersion,
        lastFour: key.apiKey.slice(-4),
        hubKeyId: key.id,
        address: key.address,
        appId: key.appId,
        createdAt: now,
      },
    });
    const requested = channel.keyRotationRequestedAt;
    const laterRequest = requested !== null && requested.getTime() !== answers?.getTime();
    await tx.channel.update({
      where: { id: channelId },
      data: {
        keyState: "STORED",
        keyRetryAt: null,
        keyError: null,
        keyRotationRequestedAt: laterRequest ? requested : null,
        // A new key drops the number's messaging webhook at 360dialog: it is set again next.
        messagingWebhookState: "PENDING",
        messagingWebhookError: null,
      },
    });
    await tx.keyCreationGuard.delete({ where: { channelId } });
    await enqueueMessagingWebhook(tx, channelId);
    // The Hub allows the next creation for this number only after its interval.
    if (laterRequest) await enqueueKeyRetry(tx, channelId, new Date(now.getTime() + DEFAULT_RATE_LIMIT_S * 1000));
    return { kind: "stored" as const, readBack };
  });
}

/**
 * What a failed creation means. A refusal (4xx) is definitive, so the guard goes: 429 is retried
 * when the Hub says, 403 waits for the client's permission, anything else needs a person. A
 * timeout, a cut connection or a 5xx may hide a created key: the guard stays for the read-back.
 */
async function recordFailure(
  db: PrismaClient,
  channelId: string,
  error: unknown,
  now: Date,
): Promise<ProvisionOutcome> {
  const status = error instanceof HubApiError ? error.status : null;
  const message = error instanceof Error ? error.message.slice(0, 300) : "unknown error";
  // Only a 4xx refuses: a 2xx with an unreadable body, like a 5xx, may hide a created key.
  const definitive = status !== null && status >= 400 && status < 500;
  if (definitive) await db.keyCreationGuard.deleteMany({ where: { channelId } });
  const rotating = await db.apiKey.count({ where: { liveChannelId: channelId } });
  if (definitive && status !== 429 && rotating > 0) {
    // A refused rotation leaves the stored key as it was: the Hub did not replace it.
    await db.channel.update({
      where: { id: channelId },
      data: {
        keyState: "STORED",
        keyRotationRequestedAt: null,
        keyError: `Rotation refused: ${message}`,
        keyRetryAt: null,
      },
    });
    return { kind: "refused", reason: message };
  }
  if (status === 403) {
    // The reconciliation asks again after this; the client coming back through the popup, at once.
    const askAgainAt = new Date(now.getTime() + PERMISSION_RECHECK_MS);
    await db.channel.update({
      where: { id: channelId },
      data: { keyState: "AWAITING_PERMISSION", keyError: message, keyRetryAt: askAgainAt },
    });
    return { kind: "awaiting_permission" };
  }
  if (definitive && status !== 429) {
    await db.channel.update({
      where: { id: channelId },
      data: { keyState: "FAILED", keyError: message, keyRetryAt: null },
    });
    return { kind: "refused", reason: message };
  }
  const waitMs =
    status === 429 ? ((error as HubApiError).retryAfterSeconds ?? DEFAULT_RATE_LIMIT_S) * 1000 : RETRY_AFTER_FAILURE_MS;
  const at = new Date(now.getTime() + waitMs);
  await db.channel.update({
    where: { id: channelId },
    data: { keyState: status === 429 ? "PROVISIONING" : "FAILED", keyError: message, keyRetryAt: at },
  });
  return { kind: "retry_at", at };
}
