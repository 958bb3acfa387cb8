import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { resetDatabase, testDb } from "@/test/db";
import { consumeRateLimit, enforceRateLimit } from "./consume-rate-limit";

beforeEach(resetDatabase);

const rule = { limit: 3, windowMs: 60_000 };
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, seconds));

describe("consumeRateLimit", () => {
  it("allows the limit within a window, refuses beyond it, and opens a new window afterwards", async () => {
    const outcomes = [];
    for (const second of [0, 10, 20, 30]) outcomes.push(await consumeRateLimit(testDb(), "k", rule, at(second)));
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false]);
    expect(outcomes[3]?.retryAfterSeconds).toBe(30);
    expect((await consumeRateLimit(testDb(), "k", rule, at(60))).allowed).toBe(true);
  });

  it("keeps keys apart", async () => {
    for (let i = 0; i < 3; i++) await consumeRateLimit(testDb(), "a", rule, at(0));
    expect((await consumeRateLimit(testDb(), "a", rule, at(1))).allowed).toBe(false);
    expect((await consumeRateLimit(testDb(), "b", rule, at(1))).allowed).toBe(true);
  });

  it("counts concurrent requests exactly", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => consumeRateLimit(testDb(), "burst", { limit: 5, windowMs: 60_000 }, at(0))),
    );
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(5);
  });
});

describe("enforceRateLimit", () => {
  it("throws a 429 with Retry-After beyond the limit", async () => {
    const once = () => enforceRateLimit(testDb(), "e", { limit: 1, windowMs: 60_000 }, "Slow down.", at(0));
    await once();
    const error = await once().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "rate_limited", status: 429, headers: { "Retry-After": "60" } });
  });
});
