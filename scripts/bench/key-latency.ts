import type pg from "pg";
import { createPrismaClient } from "../../lib/db";
import { createPartnerApi } from "../../lib/hub/partner-api";
import { completeOnboarding } from "../../lib/onboarding/complete-onboarding";
import type { RunningSandbox } from "../../sandbox/server";
import { API_KEY, control, onboard, PARTNER_ID } from "../../sandbox/test/hub-driver";
import { percentile } from "./load";
import { seedUser } from "./seed";

export type KeyLatency = { channels: number; paceRps: number; medianMs: number; p95Ms: number; maxMs: number };

const CHANNELS_PER_CLIENT = 3;

/**
 * The time from the Hub's `channel_running` delivery reaching the portal to the channel's key
 * being stored, over `channels` numbers going live at `paceRps` a second: clients are onboarded at
 * the sandbox and bound through the portal's own code, then the Hub moves each number to running
 * and its webhook does the rest. Both ends are the database's clock (receivedAt, key createdAt).
 */
export async function measureKeyLatency(
  sandbox: RunningSandbox,
  db: pg.Pool,
  databaseUrl: string,
  { channels, paceRps }: { channels: number; paceRps: number },
): Promise<KeyLatency> {
  const prisma = createPrismaClient(databaseUrl);
  const partnerApi = createPartnerApi({ baseUrl: `${sandbox.url}/api/v2`, partnerId: PARTNER_ID, apiKey: API_KEY });
  const channelHubIds: string[] = [];
  try {
    for (let index = 0; channelHubIds.length < channels; index++) {
      const user = await seedUser(db, `latency-${index}@example.com`);
      const redirect = await onboard(sandbox, { email: user.email, numbers: CHANNELS_PER_CLIENT });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      await completeOnboarding(user.id, payload, { db: prisma, partnerApi, requireAttempt: false });
      channelHubIds.push(...redirect.channels);
    }
  } finally {
    await prisma.$disconnect();
  }
  for (const hubId of channelHubIds) {
    await control(sandbox, "POST", `/channels/${hubId}/status`, { status: "running" });
    await new Promise((resolve) => setTimeout(resolve, 1000 / paceRps));
  }
  const deadline = Date.now() + 120_000;
  let rows: Array<{ ms: string | null }> = [];
  while (Date.now() < deadline) {
    ({ rows } = await db.query<{ ms: string | null }>(
      `SELECT extract(epoch FROM (k."createdAt" - e."receivedAt")) * 1000 AS ms
       FROM "Channel" c
       JOIN "WebhookEvent" e ON e."channelHubId" = c."hubId" AND e."type" = 'channel_running'
       LEFT JOIN "ApiKey" k ON k."liveChannelId" = c."id"
       WHERE c."hubId" = ANY($1)`,
      [channelHubIds],
    ));
    if (rows.length === channelHubIds.length && rows.every((row) => row.ms !== null)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // numeric arrives as text from pg.
  const latencies = rows.filter((row) => row.ms !== null).map((row) => Number(row.ms));
  if (latencies.length !== channelHubIds.length) {
    throw new Error(`only ${latencies.length} of ${channelHubIds.length} channels got a key within 2 minutes`);
  }
  return {
    channels: latencies.length,
    paceRps,
    medianMs: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxMs: Math.max(...latencies),
  };
}
