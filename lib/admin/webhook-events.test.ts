import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { PROCESS_WEBHOOK_EVENT } from "@/lib/jobs/task-names";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { retryWebhookEvent } from "./retry-webhook-event";
import { getWebhookEvent, listWebhookEvents, listWebhookEventTypes } from "./webhook-events";

beforeEach(resetDatabase);

type EventSeed = {
  dedupeKey: string;
  type?: string;
  state?: "PENDING" | "PROCESSED" | "IGNORED" | "WAITING_FOR_CHANNEL" | "FAILED";
  source?: "PARTNER" | "MESSAGING";
  channelHubId?: string;
  receivedAt?: Date;
  payload?: object;
};

function seed(events: EventSeed[]) {
  return testDb().webhookEvent.createMany({
    data: events.map((event) => ({ type: "channel_running", payload: {}, ...event })),
  });
}

async function jobsFor(dedupeKey: string) {
  return testDb().$queryRaw<Array<{ task: string; payload: unknown; attempts: number }>>`
    SELECT tasks.identifier AS task, jobs.payload, jobs.attempts::int AS attempts
    FROM graphile_worker._private_jobs AS jobs
    JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
    WHERE jobs.key = ${dedupeKey}`;
}

describe("listWebhookEvents", () => {
  beforeEach(() =>
    seed([
      {
        dedupeKey: "a",
        type: "channel_running",
        state: "PROCESSED",
        channelHubId: "ch-1",
        receivedAt: new Date("2026-01-01T00:00:00Z"),
      },
      {
        dedupeKey: "b",
        type: "channel_quality",
        state: "FAILED",
        channelHubId: "ch-1",
        receivedAt: new Date("2026-01-03T00:00:00Z"),
      },
      {
        dedupeKey: "c",
        type: "channel_running",
        state: "FAILED",
        channelHubId: "ch-2",
        receivedAt: new Date("2026-01-02T00:00:00Z"),
      },
      {
        dedupeKey: "d",
        type: "messages",
        state: "PROCESSED",
        source: "MESSAGING",
        receivedAt: new Date("2026-01-04T00:00:00Z"),
      },
    ]),
  );

  const keysOf = async (filters: Parameters<typeof listWebhookEvents>[1]) => {
    const page = await listWebhookEvents(testDb(), filters);
    const events = await testDb().webhookEvent.findMany({ where: { id: { in: page.rows.map((row) => row.id) } } });
    return page.rows.map((row) => events.find((event) => event.id === row.id)?.dedupeKey);
  };

  it("lists newest first with the total", async () => {
    expect(await keysOf({ page: 1 })).toEqual(["d", "b", "c", "a"]);
    expect((await listWebhookEvents(testDb(), { page: 1 })).total).toBe(4);
  });

  it("filters by type, state, source and channel, together", async () => {
    expect(await keysOf({ type: "channel_running", page: 1 })).toEqual(["c", "a"]);
    expect(await keysOf({ state: "FAILED", page: 1 })).toEqual(["b", "c"]);
    expect(await keysOf({ source: "MESSAGING", page: 1 })).toEqual(["d"]);
    expect(await keysOf({ channel: "ch-1", page: 1 })).toEqual(["b", "a"]);
    expect(await keysOf({ channel: "ch-1", state: "FAILED", page: 1 })).toEqual(["b"]);
  });

  it("offers every distinct type for the filter", async () => {
    expect(await listWebhookEventTypes(testDb())).toEqual(["channel_quality", "channel_running", "messages"]);
  });
});

describe("getWebhookEvent", () => {
  it("returns the payload with its secrets masked", async () => {
    await seed([
      { dedupeKey: "k", payload: { channel_id: "ch-1", api_key: "live-key-0123456789", nested: [{ token: "abc" }] } },
    ]);
    const { id } = await testDb().webhookEvent.findUniqueOrThrow({ where: { dedupeKey: "k" } });
    expect(await getWebhookEvent(testDb(), id)).toMatchObject({
      id,
      dedupeKey: "k",
      payload: { channel_id: "ch-1", api_key: "••••6789", nested: [{ token: "••••" }] },
    });
  });

  it("returns null for an unknown id", async () => {
    expect(await getWebhookEvent(testDb(), "00000000-0000-0000-0000-000000000000")).toBeNull();
  });
});

describe("retryWebhookEvent", () => {
  it.each(["FAILED", "WAITING_FOR_CHANNEL"] as const)(
    "puts a %s event back to PENDING, queues its job and records who asked",
    async (state) => {
      const admin = await createUser("admin@example.com", "ADMIN");
      await seed([{ dedupeKey: "retry-me", state }]);
      const { id } = await testDb().webhookEvent.findUniqueOrThrow({ where: { dedupeKey: "retry-me" } });

      await retryWebhookEvent(testDb(), { eventId: id, admin });

      expect((await testDb().webhookEvent.findUniqueOrThrow({ where: { id } })).state).toBe("PENDING");
      expect(await jobsFor("retry-me")).toEqual([
        { task: PROCESS_WEBHOOK_EVENT, payload: { eventId: id }, attempts: 0 },
      ]);
      expect(await testDb().auditLog.findMany()).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          actorEmail: "admin@example.com",
          action: "webhook_event.retry",
          targetType: "webhook_event",
          targetId: id,
          detail: { type: "channel_running", previousState: state },
        }),
      ]);
    },
  );

  it("replaces the event's exhausted job instead of adding a second one", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    await seed([{ dedupeKey: "exhausted", state: "FAILED" }]);
    const { id } = await testDb().webhookEvent.findUniqueOrThrow({ where: { dedupeKey: "exhausted" } });
    await testDb().$executeRaw`
      SELECT graphile_worker.permanently_fail_jobs(ARRAY[(graphile_worker.add_job(
        ${PROCESS_WEBHOOK_EVENT}, json_build_object('eventId', ${id}::text), job_key => 'exhausted', max_attempts => 3
      )).id], 'boom')`;

    await retryWebhookEvent(testDb(), { eventId: id, admin });

    expect(await jobsFor("exhausted")).toEqual([expect.objectContaining({ attempts: 0 })]);
  });

  it.each(["PENDING", "PROCESSED", "IGNORED"] as const)("refuses a %s event and changes nothing", async (state) => {
    const admin = await createUser("admin@example.com", "ADMIN");
    await seed([{ dedupeKey: "no", state }]);
    const { id } = await testDb().webhookEvent.findUniqueOrThrow({ where: { dedupeKey: "no" } });
    await expect(retryWebhookEvent(testDb(), { eventId: id, admin })).rejects.toMatchObject({
      code: "event_not_retryable",
      status: 409,
    });
    expect((await testDb().webhookEvent.findUniqueOrThrow({ where: { id } })).state).toBe(state);
    expect(await jobsFor("no")).toEqual([]);
    expect(await testDb().auditLog.count()).toBe(0);
  });

  it("retries a messaging event with the same job, and refuses an unknown event", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    await seed([{ dedupeKey: "msg", state: "FAILED", source: "MESSAGING" }]);
    const { id } = await testDb().webhookEvent.findUniqueOrThrow({ where: { dedupeKey: "msg" } });
    await retryWebhookEvent(testDb(), { eventId: id, admin });
    expect(await jobsFor("msg")).toEqual([{ task: PROCESS_WEBHOOK_EVENT, payload: { eventId: id }, attempts: 0 }]);
    await expect(
      retryWebhookEvent(testDb(), { eventId: "00000000-0000-0000-0000-000000000000", admin }),
    ).rejects.toBeInstanceOf(AppError);
    expect(await testDb().auditLog.count()).toBe(1);
  });
});
