import { testDb } from "@/test/db";

type Row = Record<string, string | number | boolean | null>;

/** The row without the columns a run generates for itself (ids, write times). */
function without<T extends object, K extends keyof T>(row: T, columns: readonly K[]): Omit<T, K> {
  const copy: Partial<T> = { ...row };
  for (const column of columns) delete copy[column];
  return copy as Omit<T, K>;
}

/** A timestamp that differs between runs by nature is compared by whether it is set, not by value. */
const isSet = (value: Date | null): boolean => value !== null;

/**
 * The five tables a replay must leave alike, whole, in a run-independent form: rows are keyed by
 * what the Hub named (channel hubId, event dedupe key), never by the ids this database generated,
 * and sorted so the order rows were written in does not count.
 */
export async function snapshotTables(): Promise<Record<string, Row[]>> {
  const db = testDb();
  const channels = await db.channel.findMany({ include: { client: { select: { hubId: true } } } });
  const hubIdOf = new Map(channels.map((channel) => [channel.id, channel.hubId]));
  const hubId = (channelId: string): string => hubIdOf.get(channelId) ?? `unknown:${channelId}`;
  const sorted = (rows: Row[]): Row[] => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  return {
    Channel: sorted(
      // id and clientId are this database's own (the client is named by its hubId instead);
      // createdAt and updatedAt are write times; the other timestamps only by whether they are set.
      channels.map((channel) => ({
        ...without(channel, ["id", "clientId", "client", "createdAt", "updatedAt"]),
        client: channel.client.hubId,
        keyRetryAt: isSet(channel.keyRetryAt),
        messagingWebhookSetAt: isSet(channel.messagingWebhookSetAt),
        keyRotationRequestedAt: isSet(channel.keyRotationRequestedAt),
        revokedAt: isSet(channel.revokedAt),
        verifiedAt: isSet(channel.verifiedAt),
        // The Hub's own times, from the recorded bodies: the same in every run.
        limitReportedAt: channel.limitReportedAt?.toISOString() ?? null,
        restrictionReportedAt: channel.restrictionReportedAt?.toISOString() ?? null,
      })),
    ),
    ChannelEvent: sorted(
      // occurredAt of a webhook's entry is the moment this run received it (WebhookEvent.receivedAt);
      // the key pipeline's entries are keyed by the ApiKey row they were made for, each database's own id.
      (await db.channelEvent.findMany()).map((event) => ({
        ...without(event, ["id", "channelId", "createdAt", "occurredAt"]),
        channel: hubId(event.channelId),
        dedupeKey: event.dedupeKey.replace(/^(messaging_webhook(?:_failed)?):.*$/, "$1:<ApiKey row>"),
      })),
    ),
    WebhookEvent: sorted(
      // attempts counts processing tries, which a transient failure (a lock timeout) legitimately raises.
      (await db.webhookEvent.findMany()).map((event) => ({
        ...without(event, ["id", "receivedAt", "processedAt", "attempts", "payload"]),
        payload: JSON.stringify(event.payload),
        processedAt: isSet(event.processedAt),
      })),
    ),
    // Count and channel, not the secret: ciphertext, lastFour, hubKeyId and appId are the Hub's
    // fresh key of each run, and address is each run's sandbox origin.
    ApiKey: sorted(
      (await db.apiKey.findMany()).map((key) => ({
        channel: hubId(key.channelId),
        live: key.liveChannelId !== null,
        keyVersion: key.keyVersion,
        destroyed: isSet(key.destroyedAt),
      })),
    ),
    Revocation: sorted(
      (await db.revocation.findMany()).map((revocation) => ({
        channel: hubId(revocation.channelId),
        source: revocation.source,
      })),
    ),
  };
}
