import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { JobQueueOptions } from "@/lib/jobs/run-jobs";
import type { PartnerApi } from "@/lib/hub";
import { completeOnboarding } from "@/lib/onboarding/complete-onboarding";
import type { RunningSandbox } from "@/sandbox/server";
import { control, onboard } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { sandboxJobQueue } from "./burst-job-queue";

export type FleetClient = { userId: string; email: string; hubClientId: string; channelHubIds: string[] };

/**
 * `clients` clients onboarded at the sandbox with `channelsPerClient` numbers each (at most three,
 * as the Hub's page allows), and their redirects completed by their owners, so every channel is
 * stored and its client bound. The sandbox's lifecycle (and its webhooks) starts with each onboarding.
 */
export async function onboardFleet(
  sandbox: RunningSandbox,
  deps: { db: PrismaClient; partnerApi: PartnerApi },
  { clients, channelsPerClient, label }: { clients: number; channelsPerClient: number; label: string },
): Promise<FleetClient[]> {
  const fleet: FleetClient[] = [];
  for (let index = 0; index < clients; index++) {
    const email = `${label}-${index}@example.com`;
    const user = await deps.db.user.create({ data: { email, role: "CLIENT", emailVerified: new Date() } });
    const redirect = await onboard(sandbox, { email, numbers: channelsPerClient });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
    await completeOnboarding(user.id, payload, { ...deps, requireAttempt: false });
    fleet.push({ userId: user.id, email, hubClientId: redirect.client, channelHubIds: redirect.channels });
  }
  return fleet;
}

/**
 * onboardFleet on the test database, with the job queue a proof then drives (the sandbox's Partner
 * API, the test key ring); returns that queue and every channel's hub id.
 */
export async function onboardTestFleet(
  sandbox: RunningSandbox,
  options: { clients: number; channelsPerClient: number; label: string },
): Promise<{ queue: JobQueueOptions; channelHubIds: string[] }> {
  const queue = sandboxJobQueue(testDb(), process.env.DATABASE_URL!, sandbox);
  const fleet = await onboardFleet(sandbox, queue, options);
  return { queue, channelHubIds: fleet.flatMap((client) => client.channelHubIds) };
}

type HubState = {
  channels: Array<{ id: string; status: string }>;
  apiKeys: Array<{ id: string; channelId: string; revokedAt: string | null }>;
  apiKeyCreations: Record<string, number>;
};

/** How the portal's channels and keys compare with the Hub's own record of them. */
export type FleetComparison = {
  channels: number;
  /** `hubId: portal status ≠ hub status`, for every channel whose status differs. */
  wrongStatus: string[];
  /** Channels with no live key in the portal. */
  withoutKey: string[];
  /** Live key rows beyond one per channel (the unique index should make this impossible). */
  duplicateKeys: number;
  /** Keys the Hub created beyond one per channel: each extra one revoked an earlier key there. */
  extraHubCreations: number;
  /** Channels whose live key in the portal is not the one working key the Hub lists. */
  keyMismatch: string[];
};

/** A fleet of `channels` in which the portal and the Hub agree everywhere. */
export function agreeingFleet(channels: number): FleetComparison {
  return { channels, wrongStatus: [], withoutKey: [], duplicateKeys: 0, extraHubCreations: 0, keyMismatch: [] };
}

/**
 * Reads the sandbox's state and the portal's rows and compares them channel by channel: the
 * status the Hub has, exactly one live key in the portal, exactly one creation at the Hub, and
 * that key being the one the Hub considers working.
 */
export async function compareFleetWithHub(
  sandbox: RunningSandbox,
  db: PrismaClient,
  channelHubIds: string[],
): Promise<FleetComparison> {
  const hub = (await control<HubState>(sandbox, "GET", "/state")).json;
  const stored = await db.channel.findMany({
    where: { hubId: { in: channelHubIds } },
    select: { hubId: true, status: true, apiKeys: { where: { liveChannelId: { not: null } } } },
  });
  const byHubId = new Map(stored.map((channel) => [channel.hubId, channel]));
  const comparison: FleetComparison = {
    channels: channelHubIds.length,
    wrongStatus: [],
    withoutKey: [],
    duplicateKeys: 0,
    extraHubCreations: 0,
    keyMismatch: [],
  };
  for (const hubId of channelHubIds) {
    const hubStatus = hub.channels.find((channel) => channel.id === hubId)?.status ?? "missing";
    const portal = byHubId.get(hubId);
    if (portal?.status !== hubStatus.toUpperCase()) {
      comparison.wrongStatus.push(`${hubId}: ${portal?.status ?? "missing"} ≠ ${hubStatus}`);
    }
    const liveKeys = portal?.apiKeys ?? [];
    if (liveKeys.length === 0) comparison.withoutKey.push(hubId);
    comparison.duplicateKeys += Math.max(0, liveKeys.length - 1);
    comparison.extraHubCreations += Math.max(0, (hub.apiKeyCreations[hubId] ?? 0) - 1);
    const working = hub.apiKeys.filter((key) => key.channelId === hubId && !key.revokedAt);
    if (working.length !== 1 || liveKeys.length !== 1 || working[0]!.id !== liveKeys[0]!.hubKeyId) {
      comparison.keyMismatch.push(hubId);
    }
  }
  return comparison;
}

/**
 * The queue after a drain: jobs still to run, jobs a worker holds, and dead rows: jobs at their
 * last attempt that graphile-worker will never run again (it leaves them, and so does a job it
 * superseded while a worker held it, when the same job key was queued again).
 */
export async function queueLeftovers(db: PrismaClient): Promise<{ runnable: number; locked: number; dead: number }> {
  const [row] = await db.$queryRaw<Array<{ runnable: number; locked: number; dead: number }>>`
    SELECT count(*) FILTER (WHERE attempts < max_attempts)::int AS "runnable",
      count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS "locked",
      count(*) FILTER (WHERE attempts >= max_attempts)::int AS "dead"
    FROM graphile_worker._private_jobs`;
  return row!;
}
