import type { RunningSandbox } from "@/sandbox/server";
import { createUser, testDb } from "@/test/db";
import { runningChannel } from "@/test/running-channel";

export type Persona = "anonymous" | "clientA" | "clientB" | "admin";
export const PERSONAS: readonly Persona[] = ["anonymous", "clientA", "clientB", "admin"];

type SessionUser = { id: string; email: string; name: string | null; role: "CLIENT" | "ADMIN" };

/**
 * Two client users and an admin. Client A owns everything worth stealing: a bound client whose
 * running channel has a live key, a sent message, a failed webhook event, an unclicked IO-signature
 * state, a second client waiting for approval and a failed job. Client B owns a channel of its own,
 * so "B sees B's data and none of A's" has something to show.
 */
export async function seedWorld(sandbox: RunningSandbox) {
  const a = await runningChannel(sandbox, { email: "owner-a@example.com" });
  const phoneNumber = "+49 151 5550 1234";
  await testDb().channel.update({
    where: { id: a.channel.id },
    data: { phoneNumber, keyState: "STORED", messagingWebhookState: "FAILED", messagingWebhookError: "refused" },
  });
  await testDb().apiKey.create({
    data: {
      channelId: a.channel.id,
      liveChannelId: a.channel.id,
      ciphertext: new Uint8Array(8),
      keyVersion: 1,
      lastFour: "k9Q4",
    },
  });
  const message = await testDb().message.create({
    data: { channelId: a.channel.id, hubMessageId: "wamid.owner-a-1", recipientLast4: "7788", kind: "template" },
  });
  const event = await testDb().webhookEvent.create({
    data: {
      dedupeKey: "owner-a-event",
      type: "channel_updated",
      channelHubId: a.channel.hubId,
      payload: { channel: { id: a.channel.hubId } },
      state: "FAILED",
      lastError: "boom",
    },
  });
  const attempt = await testDb().onboardingAttempt.create({
    data: {
      userId: a.user.id,
      state: "ownerAstate0123456789abcdef",
      signatureTimestamp: Math.floor(Date.now() / 1000),
      // Long enough that sign_io hands it back to A instead of issuing another.
      expiresAt: new Date(Date.now() + 24 * 3_600_000),
    },
  });
  const pendingClient = await testDb().client.create({
    data: { hubId: "ownerApendingClient", userId: a.user.id, bindingState: "AWAITING_APPROVAL" },
  });
  const failedKeyChannel = await testDb().channel.create({
    data: { hubId: "ownerAfailedKeyChannel", clientId: a.channel.clientId, status: "RUNNING", keyState: "FAILED" },
  });
  const [job] = await testDb().$queryRaw<Array<{ id: string }>>`
    SELECT (graphile_worker.add_job('process-webhook-event', json_build_object('eventId', ${event.id}::text),
      max_attempts => 1)).id::text AS id`;
  await testDb().$executeRaw`
    UPDATE graphile_worker._private_jobs SET attempts = 1, last_error = 'boom' WHERE id = ${job!.id}::bigint`;

  const userB = await createUser("owner-b@example.com");
  const clientB = await testDb().client.create({
    data: { hubId: "ownerBclient", userId: userB.id, bindingState: "BOUND" },
  });
  const channelB = await testDb().channel.create({
    data: { hubId: "ownerBchannel", clientId: clientB.id, status: "RUNNING", phoneNumber: "+1 555 0100 999" },
  });
  const admin = await createUser("admin@example.com", "ADMIN");

  const session = (user: { id: string; email: string }, role: SessionUser["role"]): SessionUser => ({
    id: user.id,
    email: user.email,
    name: null,
    role,
  });
  return {
    users: {
      anonymous: null,
      clientA: session(a.user, "CLIENT"),
      clientB: session(userB, "CLIENT"),
      admin: session(admin, "ADMIN"),
    } satisfies Record<Persona, SessionUser | null>,
    a: {
      userId: a.user.id,
      email: a.user.email,
      clientHubId: a.client,
      channelId: a.channel.id,
      channelHubId: a.channel.hubId,
      phoneNumber,
      messageId: message.id,
      eventId: event.id,
      attemptState: attempt.state,
      pendingClientId: pendingClient.id,
      jobId: job!.id,
      failedKeyChannelId: failedKeyChannel.id,
      failedKeyChannelHubId: failedKeyChannel.hubId,
    },
    b: { email: userB.email, channelHubId: channelB.hubId },
  };
}

export type World = Awaited<ReturnType<typeof seedWorld>>;

/** What of A's must never reach anyone but A and the admin, as it would appear in a body. */
export function secretsOfA(world: World): string[] {
  const { a } = world;
  return [
    a.email,
    a.clientHubId,
    a.channelHubId,
    a.channelId,
    a.phoneNumber,
    a.eventId,
    a.attemptState,
    a.userId,
    a.failedKeyChannelHubId,
  ];
}

/** Everything the denied cases must leave as it was: the audit log and every row an action could touch. */
export async function snapshotWritableState(): Promise<string> {
  const db = testDb();
  const [audit, clients, channels, keys, events, messages, attempts, jobs] = await Promise.all([
    db.auditLog.findMany({ orderBy: { id: "asc" } }),
    db.client.findMany({ orderBy: { id: "asc" } }),
    db.channel.findMany({ orderBy: { id: "asc" } }),
    db.apiKey.findMany({ orderBy: { id: "asc" } }),
    db.webhookEvent.findMany({ orderBy: { id: "asc" } }),
    db.message.findMany({ orderBy: { id: "asc" } }),
    db.onboardingAttempt.findMany({ orderBy: { id: "asc" } }),
    db.$queryRaw`SELECT id::text, run_at, attempts, last_error FROM graphile_worker._private_jobs ORDER BY id`,
  ]);
  return JSON.stringify({ audit, clients, channels, keys, events, messages, attempts, jobs }, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
  );
}
