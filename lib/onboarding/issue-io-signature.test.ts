import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { AppError } from "@/lib/http/errors";
import { issueIoSignature, SIGN_IO_LIMIT } from "./issue-io-signature";

const deps = (now = () => new Date()) => ({
  db: testDb(),
  partnerId: "testPA",
  platformSecret: "test-platform-secret",
  now,
});

beforeEach(resetDatabase);

describe("issueIoSignature", () => {
  it("signs partnerId|timestamp with HMAC-SHA512 in lowercase hex and records the attempt", async () => {
    const user = await createUser("a@example.com");
    const issued = await issueIoSignature(user.id, deps());
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
    });
    expect(new Date(issued.expiresAt).getTime()).toBe((issued.timestamp + 86_400) * 1000);
  });

  it("never hands out the same signature twice, even within one second and across users", async () => {
    const fixed = new Date("2026-11-24T12:00:00.500Z");
    const [a, b] = [await createUser("a@example.com"), await createUser("b@example.com")];
    const issued = await Promise.all(
      [a, b, a, b].map((user) =>
        issueIoSignature(
          user.id,
          deps(() => fixed),
        ),
      ),
    );
    expect(new Set(issued.map((i) => i.signature)).size).toBe(4);
    expect(new Set(issued.map((i) => i.state)).size).toBe(4);
  });

  it("answers 429 with Retry-After past the per-user limit, counted in the database", async () => {
    const user = await createUser("a@example.com");
    const other = await createUser("b@example.com");
    for (let i = 0; i < SIGN_IO_LIMIT; i++) await issueIoSignature(user.id, deps());
    const error = await issueIoSignature(user.id, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(429);
    expect(Number((error as AppError).headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(await testDb().onboardingAttempt.count({ where: { userId: user.id } })).toBe(SIGN_IO_LIMIT);
    await expect(issueIoSignature(other.id, deps())).resolves.toHaveProperty("signature");
    const later = new Date(Date.now() + 61_000);
    await expect(
      issueIoSignature(
        user.id,
        deps(() => later),
      ),
    ).resolves.toHaveProperty("signature");
  });

  it("holds the limit under concurrent requests", async () => {
    const user = await createUser("a@example.com");
    const outcomes = await Promise.allSettled(
      Array.from({ length: SIGN_IO_LIMIT + 5 }, () => issueIoSignature(user.id, deps())),
    );
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(SIGN_IO_LIMIT);
    expect(refused.every((o) => (o.reason as AppError).status === 429)).toBe(true);
  });

  it("answers 503 with Retry-After, not a reused or ancient timestamp, when every second of the last hour is taken", async () => {
    const fixed = new Date("2026-11-24T12:00:00.000Z");
    const nowSeconds = fixed.getTime() / 1000;
    const busy = await createUser("busy@example.com");
    await testDb().onboardingAttempt.createMany({
      data: Array.from({ length: 3600 }, (_, i) => ({
        userId: busy.id,
        state: `seeded-${i}`,
        signatureTimestamp: nowSeconds - i,
        expiresAt: new Date((nowSeconds - i + 86_400) * 1000),
        createdAt: new Date(fixed.getTime() - 3_600_000),
      })),
    });
    const user = await createUser("a@example.com");
    const error = await issueIoSignature(
      user.id,
      deps(() => fixed),
    ).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("signatures_exhausted");
    expect((error as AppError).status).toBe(503);
    expect((error as AppError).headers["Retry-After"]).toBe("1");
    expect(await testDb().onboardingAttempt.count({ where: { userId: user.id } })).toBe(0);
    const nextSecond = new Date(fixed.getTime() + 1_000);
    expect(
      (
        await issueIoSignature(
          user.id,
          deps(() => nextSecond),
        )
      ).timestamp,
    ).toBe(nowSeconds + 1);
  });

  it("gives a burst of users in one second distinct signatures", async () => {
    const fixed = new Date("2026-11-24T12:00:00.000Z");
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => createUser(`u${i}@example.com`)));
    const issued = await Promise.all(
      users.map((user) =>
        issueIoSignature(
          user.id,
          deps(() => fixed),
        ),
      ),
    );
    expect(new Set(issued.map((i) => i.timestamp)).size).toBe(12);
  });
});
