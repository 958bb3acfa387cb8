import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";

export type SeededUser = { id: string; email: string; cookie: string };

const SESSION_DAYS = 1;

/**
 * A user with an Auth.js database session, written straight to the tables Auth.js reads: the
 * benchmark measures pages and APIs, not the sign-in flow. Returns the cookie a browser would send.
 */
export async function seedUser(db: pg.Pool, email: string, role: "CLIENT" | "ADMIN" = "CLIENT"): Promise<SeededUser> {
  const id = randomUUID();
  const token = randomBytes(32).toString("hex");
  await db.query(
    `INSERT INTO "User" ("id", "email", "emailVerified", "role", "updatedAt") VALUES ($1, $2, now(), $3::"Role", now())`,
    [id, email, role],
  );
  await db.query(
    `INSERT INTO "Session" ("sessionToken", "userId", "expires", "updatedAt")
     VALUES ($1, $2, now() + make_interval(days => $3), now())`,
    [token, id, SESSION_DAYS],
  );
  return { id, email, cookie: `authjs.session-token=${token}` };
}

/**
 * A bound client of `user` with `channels` live numbers, each with a stored key row and
 * `eventsPerChannel` timeline events: the shape of a client a month or a year in.
 */
export async function seedChannels(
  db: pg.Pool,
  user: SeededUser,
  { channels, eventsPerChannel, label }: { channels: number; eventsPerChannel: number; label: string },
): Promise<void> {
  const clientId = randomUUID();
  await db.query(
    `INSERT INTO "Client" ("id", "hubId", "userId", "name", "bindingState", "updatedAt")
     VALUES ($1, $2, $3, $4, 'BOUND', now())`,
    [clientId, `${label}CL`, user.id, `${label} Ltd`],
  );
  for (let index = 0; index < channels; index++) {
    const channelId = randomUUID();
    await db.query(
      `INSERT INTO "Channel" ("id", "hubId", "clientId", "phoneNumber", "status", "rawStatus", "keyState",
         "messagingWebhookState", "verifiedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, 'LIVE', 'ready', 'STORED', 'SET', now(), now())`,
      [channelId, `${label}CH${index}`, clientId, `+4915100000${index}`],
    );
    await db.query(
      `INSERT INTO "ApiKey" ("id", "channelId", "liveChannelId", "ciphertext", "keyVersion", "lastFour")
       VALUES ($1, $2, $2, $3, 1, 'b3nc')`,
      [randomUUID(), channelId, randomBytes(48)],
    );
    await db.query(
      `INSERT INTO "ChannelEvent" ("id", "channelId", "kind", "toStatus", "source", "dedupeKey", "occurredAt")
       SELECT gen_random_uuid()::text, $1, 'status', 'LIVE', 'webhook', $1 || ':' || n,
              now() - make_interval(mins => n)
       FROM generate_series(1, $2::int) AS n`,
      [channelId, eventsPerChannel],
    );
  }
}
