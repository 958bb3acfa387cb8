import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { AppError } from "@/lib/http/errors";
import { BACKDATE_LIMIT_SECONDS, issueIoSignature, SIGN_IO_IP_LIMIT, SIGN_IO_USER_LIMIT } from "./issue-io-signature";

const deps = (now = () => new Date()) => ({
  db: testDb(),
  partnerId: "testPA",
  platformSecret: "test-platform-secret",
  now,
});
const fromIp = (clientIp = "203.0.113.1", spentState?: string) => ({ clientIp, spentState });
const MINUTE = 60_000;

beforeEach(resetDatabase);

/** A page that clicks Connect as soon as it holds a signature: each call spends the one before. */
async function clickRepeatedly(userId: string, times: number, clientIp: string, now: () => Date) {
  let spent: string | undefined;
  const outcomes: Array<"issued" | number> = [];
  for (let i = 0; i < times; i++) {
    try {
      spent = (await issueIoSignature(userId, fromIp(clientIp, spent), deps(now))).state;
      outcomes.push("issued");
    } catch (error) {
      outcomes.push((error as AppError).status);
    }
  }
  return outcomes;
}

/** `count` clicked attempts holding the seconds from `nowSeconds` back. */
async function seedClickedAttempts(userId: string, nowSeconds: number, count: number) {
  await testDb().$executeRaw`
    INSERT INTO "OnboardingAttempt" ("id", "userId", "state", "signatureTimestamp", "expiresAt", "clickedAt")
    SELECT 'seeded-' || s, ${userId}, 'seeded-' || s, ${nowSeconds}::int - s, to_timestamp(${nowSeconds}::int - s + 86400),
           to_timestamp(${nowSeconds}::int)
    FROM generate_series(0, ${count - 1}::int) AS s`;
}

describe("issueIoSignature", () => {
  it("signs partnerId|timestamp with HMAC-SHA512 in lowercase hex and records the attempt", async () => {
    const user = await createUser("a@example.com");
    const issued = await issueIoSignature(user.id, fromIp(), deps());
    const expected = createHmac("sha512", "test-platform-secret").update(`testPA|${issued.timestamp}`).digest("hex");
    expect(issued.signature).toBe(expected);
    expect(issued.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(Math.abs(issued.timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(issued.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const attempt = await testDb().onboardingAttempt.findUniqueOrThrow({ where: { state: issued.state } });
    expect(attempt).toMatchObject({
      userId: user.id,
      signatureTimestamp: issued.timestamp,
      outcome: "PENDING",
      usedAt: null,
      clickedAt: null,
    });
    expect(new Date(issued.expiresAt).getTime()).toBe((issued.timestamp + 86_400) * 1000);
  });

  it("hands a page left open for an hour the same signature on every refresh", async () => {
    const user = await createUser("a@example.com");
    const opened = Date.now();
    const refreshes = [];
    for (let minute = 0; minute <= 60; minute += 10) {
      refreshes.push(
        await issueIoSignature(
          user.id,
          fromIp(),
          deps(() => new Date(opened + minute * MINUTE)),
        ),
      );
    }
    expect(new Set(refreshes.map((r) => r.signature)).size).toBe(1);
    expect(await testDb().onboardingAttempt.count()).toBe(1);
  });

  it("gives concurrent page loads of one user one signature", async () => {
    const user = await createUser("a@example.com");
    const issued = await Promise.all(Array.from({ length: 6 }, () => issueIoSignature(user.id, fromIp(), deps())));
    expect(new Set(issued.map((i) => i.state)).size).toBe(1);
    expect(await testDb().onboardingAttempt.count()).toBe(1);
  });

  it("marks a spent signature clicked and issues a fresh one", async () => {
    const user = await createUser("a@example.com");
    const first = await issueIoSignature(user.id, fromIp(), deps());
    const second = await issueIoSignature(user.id, fromIp(undefined, first.state), deps());
    expect(second.state).not.toBe(first.state);
    expect(second.signature).not.toBe(first.signature);
    const clicked = await testDb().onboardingAttempt.findUniqueOrThrow({ where: { state: first.state } });
    expect(clicked.clickedAt).not.toBeNull();
  });

  it("ignores a spent state of another user", async () => {
    const [a, b] = [await createUser("a@example.com"), await createUser("b@example.com")];
    const theirs = await issueIoSignature(b.id, fromIp(), deps());
    await issueIoSignature(a.id, fromIp(undefined, theirs.state), deps());
    const attempt = await testDb().onboardingAttempt.findUniqueOrThrow({ where: { state: theirs.state } });
    expect(attempt.clickedAt).toBeNull();
    expect((await issueIoSignature(b.id, fromIp(), deps())).state).toBe(theirs.state);
  });

  it("replaces an unclicked signature whose end is near", async () => {
    const user = await createUser("a@example.com");
    const issuedAt = Date.now();
    const first = await issueIoSignature(
      user.id,
      fromIp(),
      deps(() => new Date(issuedAt)),
    );
    const nearEnd = new Date(new Date(first.expiresAt).getTime() - 30 * MINUTE);
    const replacement = await issueIoSignature(
      user.id,
      fromIp(),
      deps(() => nearEnd),
    );
    expect(replacement.state).not.toBe(first.state);
    expect(new Date(replacement.expiresAt).getTime() - nearEnd.getTime()).toBeGreaterThanOrEqual(12 * 3600 * 1000);
  });

  it("answers 429 with Retry-After past the per-user limit of new signatures, and again after an hour", async () => {
    const user = await createUser("a@example.com");
    const other = await createUser("b@example.com");
    const now = Date.now();
    const outcomes = await clickRepeatedly(user.id, SIGN_IO_USER_LIMIT.limit + 1, "203.0.113.1", () => new Date(now));
    expect(outcomes).toEqual([...Array(SIGN_IO_USER_LIMIT.limit).fill("issued"), 429]);
    const error = await issueIoSignature(
      user.id,
      fromIp(),
      deps(() => new Date(now)),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(Number((error as AppError).headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    await expect(issueIoSignature(other.id, fromIp("203.0.113.2"), deps())).resolves.toHaveProperty("signature");
    const later = new Date(now + SIGN_IO_USER_LIMIT.windowMs + 1000);
    await expect(
      issueIoSignature(
        user.id,
        fromIp(),
        deps(() => later),
      ),
    ).resolves.toHaveProperty("signature");
  });

  it("limits new signatures per client IP across accounts", async () => {
    const users = await Promise.all(
      Array.from({ length: SIGN_IO_IP_LIMIT.limit + 1 }, (_, i) => createUser(`u${i}@example.com`)),
    );
    const statuses = [];
    for (const user of users) {
      statuses.push(
        await issueIoSignature(user.id, fromIp("198.51.100.7"), deps()).then(
          () => 200,
          (e: AppError) => e.status,
        ),
      );
    }
    expect(statuses).toEqual([...Array(SIGN_IO_IP_LIMIT.limit).fill(200), 429]);
    await expect(issueIoSignature(users[0]!.id, fromIp("198.51.100.8"), deps())).resolves.toHaveProperty("signature");
  });

  it("keeps every signature valid for at least 12 hours while stepping back past taken seconds", async () => {
    const fixed = new Date("2026-11-24T12:00:00.000Z");
    const nowSeconds = fixed.getTime() / 1000;
    const busy = await createUser("busy@example.com");
    await seedClickedAttempts(busy.id, nowSeconds, 7200);
    const user = await createUser("a@example.com");
    const issued = await issueIoSignature(
      user.id,
      fromIp(),
      deps(() => fixed),
    );
    expect(issued.timestamp).toBe(nowSeconds - 7200);
  });

  it("answers 503 with Retry-After, never a reused or short-lived timestamp, when every usable second is taken", async () => {
    const fixed = new Date("2026-11-24T12:00:00.000Z");
    const nowSeconds = fixed.getTime() / 1000;
    const busy = await createUser("busy@example.com");
    await seedClickedAttempts(busy.id, nowSeconds, BACKDATE_LIMIT_SECONDS);
    const user = await createUser("a@example.com");
    const error = await issueIoSignature(
      user.id,
      fromIp(),
      deps(() => fixed),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "signatures_exhausted", status: 503, headers: { "Retry-After": "1" } });
    expect(await testDb().onboardingAttempt.count({ where: { userId: user.id } })).toBe(0);
    const nextSecond = new Date(fixed.getTime() + 1_000);
    expect(
      (
        await issueIoSignature(
          user.id,
          fromIp(),
          deps(() => nextSecond),
        )
      ).timestamp,
    ).toBe(nowSeconds + 1);
  });

  it("never hands out the same signature twice: a burst of users in one second gets distinct ones", async () => {
    const fixed = new Date("2026-11-24T12:00:00.000Z");
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => createUser(`u${i}@example.com`)));
    const issued = await Promise.all(
      users.map((user) =>
        issueIoSignature(
          user.id,
          fromIp(),
          deps(() => fixed),
        ),
      ),
    );
    expect(new Set(issued.map((i) => i.timestamp)).size).toBe(12);
    expect(new Set(issued.map((i) => i.signature)).size).toBe(12);
  });

  it("leaves a real user served after 60 accounts on 60 addresses click as fast as they may for 6 minutes", async () => {
    const start = Date.now();
    const attackers = await Promise.all(Array.from({ length: 60 }, (_, i) => createUser(`attacker${i}@example.com`)));
    for (let minute = 0; minute < 6; minute++) {
      const now = () => new Date(start + minute * MINUTE);
      await Promise.all(attackers.map((user, i) => clickRepeatedly(user.id, 4, `192.0.2.${i}`, now)));
    }
    const spentByAttackers = await testDb().onboardingAttempt.count();
    expect(spentByAttackers).toBeLessThanOrEqual(60 * SIGN_IO_USER_LIMIT.limit);

    const real = await createUser("real@example.com");
    const at = () => new Date(start + 6 * MINUTE);
    const outcomes = await clickRepeatedly(real.id, 3, "203.0.113.50", at);
    expect(outcomes).toEqual(["issued", "issued", "issued"]);
  });
});
