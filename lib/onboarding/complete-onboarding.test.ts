import { describe, expect, it } from "vitest";
import { API_KEY, control, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { createUser, testDb } from "@/test/db";
import { AppError } from "@/lib/http/errors";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { completeOnboarding } from "./complete-onboarding";
import { issueIoSignature } from "./issue-io-signature";

// Real PostgreSQL and the real sandbox over HTTP: the Partner API is 360dialog's side of the contract.
const currentSandbox = startHubSandboxPerFile();
const deps = () => ({
  db: testDb(),
  partnerApi: createPartnerApi({
    baseUrl: `${currentSandbox().url}/api/v2`,
    partnerId: PARTNER_ID,
    apiKey: API_KEY,
    retryBaseDelayMs: 10,
  }),
});

async function rowCounts() {
  const db = testDb();
  return {
    clients: await db.client.count(),
    channels: await db.channel.count(),
    revocations: await db.revocation.count(),
  };
}

describe("completeOnboarding", () => {
  it("stores the verified client and channels, and a second identical call changes nothing", async () => {
    const user = await createUser("owner@example.com");
    const { state } = await issueIoSignature(user.id, {
      db: testDb(),
      partnerId: PARTNER_ID,
      platformSecret: "x".repeat(16),
    });
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [], state };

    const first = await completeOnboarding(user.id, payload, deps());
    const afterFirst = await rowCounts();
    const second = await completeOnboarding(user.id, payload, deps());

    expect(second).toEqual(first);
    expect(await rowCounts()).toEqual(afterFirst);
    expect(afterFirst).toEqual({ clients: 1, channels: 2, revocations: 0 });
    expect(first.channels.map((c) => c.id).sort()).toEqual([...redirect.channels].sort());
    expect(first.channels.every((c) => c.phoneNumber?.startsWith("+"))).toBe(true);
    const client = await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } });
    expect(client.userId).toBe(user.id);
    const attempt = await testDb().onboardingAttempt.findUniqueOrThrow({ where: { state } });
    expect(attempt).toMatchObject({ outcome: "COMPLETED", clientId: client.id });
    expect(attempt.usedAt).not.toBeNull();
  });

  it("lets the popup and the page report the same redirect at the same moment", async () => {
    const user = await createUser("owner@example.com");
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 3 });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
    const results = await Promise.all([1, 2, 3].map(() => completeOnboarding(user.id, payload, deps())));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(await rowCounts()).toEqual({ clients: 1, channels: 3, revocations: 0 });
  });

  it("refuses a channel that does not belong to the client with 422 and writes nothing", async () => {
    const user = await createUser("owner@example.com");
    const mine = await onboard(currentSandbox(), { email: "owner@example.com" });
    const theirs = await onboard(currentSandbox(), { email: "someone-else@example.com" });
    const error = await completeOnboarding(
      user.id,
      { client: mine.client, channels: [...mine.channels, ...theirs.channels], revoked: [] },
      deps(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  it("refuses a client the Hub does not know with 422", async () => {
    const user = await createUser("owner@example.com");
    const error = await completeOnboarding(
      user.id,
      { client: "forgedCL", channels: ["forgedCH"], revoked: [] },
      deps(),
    ).catch((e: unknown) => e);
    expect((error as AppError).status).toBe(422);
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  it("refuses a client already bound to another user with 409", async () => {
    const owner = await createUser("owner@example.com");
    const intruder = await createUser("intruder@example.com");
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
    await completeOnboarding(owner.id, payload, deps());
    const error = await completeOnboarding(intruder.id, payload, deps()).catch((e: unknown) => e);
    expect((error as AppError).status).toBe(409);
    expect((await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } })).userId).toBe(owner.id);
  });

  it("refuses a state nonce issued to another user", async () => {
    const owner = await createUser("owner@example.com");
    const other = await createUser("other@example.com");
    const { state } = await issueIoSignature(other.id, {
      db: testDb(),
      partnerId: PARTNER_ID,
      platformSecret: "x".repeat(16),
    });
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    let hubCalls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      hubCalls += 1;
      return fetch(input, init);
    };
    const partnerApi = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      apiKey: API_KEY,
      fetch: countingFetch,
    });
    const error = await completeOnboarding(
      owner.id,
      { client: redirect.client, channels: redirect.channels, revoked: [], state },
      { db: testDb(), partnerApi },
    ).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("unknown_state");
    // Refused before any Partner API call: a forged body must not spend the partner's quota.
    expect(hubCalls).toBe(0);
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  it("records revoked numbers of a returning client once", async () => {
    const user = await createUser("owner@example.com");
    const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
    await completeOnboarding(user.id, { client: first.client, channels: first.channels, revoked: [] }, deps());
    const [kept, dropped] = first.channels as [string, string];
    const second = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 1, revoke: [dropped] });
    expect(second.revoked).toEqual([dropped]);
    const payload = { client: second.client, channels: second.channels, revoked: second.revoked };
    await completeOnboarding(user.id, payload, deps());
    await completeOnboarding(user.id, payload, deps());
    const channel = await testDb().channel.findUniqueOrThrow({
      where: { hubId: dropped },
      include: { revocations: true },
    });
    expect(channel.status).toBe("REVOKED");
    expect(channel.revokedAt).not.toBeNull();
    expect(channel.revocations).toHaveLength(1);
    expect(channel.revocations[0]?.source).toBe("REDIRECT");
    expect((await testDb().channel.findUniqueOrThrow({ where: { hubId: kept } })).status).not.toBe("REVOKED");
  });

  it("records the revocation of a number the portal never saw connected, once the Hub confirms it", async () => {
    const user = await createUser("owner@example.com");
    const before = await onboard(currentSandbox(), { email: "owner@example.com" });
    const [unseen] = before.channels as [string];
    const after = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 1, revoke: [unseen] });
    const result = await completeOnboarding(
      user.id,
      { client: after.client, channels: after.channels, revoked: after.revoked },
      deps(),
    );
    expect(result.revoked).toEqual([unseen]);
    const channel = await testDb().channel.findUniqueOrThrow({
      where: { hubId: unseen },
      include: { revocations: true },
    });
    expect(channel).toMatchObject({ status: "REVOKED", phoneNumber: expect.stringMatching(/^\+/) });
    expect(channel.revocations).toHaveLength(1);
    expect(await rowCounts()).toEqual({ clients: 1, channels: 2, revocations: 1 });
  });

  it("retries the Partner API after a 500 and then succeeds", async () => {
    const user = await createUser("owner@example.com");
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    await control(currentSandbox(), "POST", "/faults/api", { kind: "500", count: 1 });
    const statuses: number[] = [];
    const observedFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    const partnerApi = createPartnerApi({
      baseUrl: `${currentSandbox().url}/api/v2`,
      partnerId: PARTNER_ID,
      apiKey: API_KEY,
      retryBaseDelayMs: 10,
      fetch: observedFetch,
    });
    const result = await completeOnboarding(
      user.id,
      { client: redirect.client, channels: redirect.channels, revoked: [] },
      { db: testDb(), partnerApi },
    );
    expect(result.channels).toHaveLength(1);
    expect(statuses).toEqual([500, 200]);
  });

  it("refuses a number reported revoked that the Hub still lists as active", async () => {
    const user = await createUser("owner@example.com");
    const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
    await completeOnboarding(user.id, { client: first.client, channels: first.channels, revoked: [] }, deps());
    const [kept, notRevoked] = first.channels as [string, string];
    const error = await completeOnboarding(
      user.id,
      { client: first.client, channels: [kept], revoked: [notRevoked] },
      deps(),
    ).catch((e: unknown) => e);
    expect((error as AppError).status).toBe(422);
    expect((await testDb().channel.findUniqueOrThrow({ where: { hubId: notRevoked } })).status).not.toBe("REVOKED");
  });

  it("lets one attempt complete one client only, even when two redirects race", async () => {
    const user = await createUser("owner@example.com");
    const { state } = await issueIoSignature(user.id, {
      db: testDb(),
      partnerId: PARTNER_ID,
      platformSecret: "x".repeat(16),
    });
    const a = await onboard(currentSandbox(), { email: "owner@example.com" });
    const b = await onboard(currentSandbox(), { email: "second-client@example.com" });
    const outcomes = await Promise.allSettled(
      [a, b].map((r) =>
        completeOnboarding(user.id, { client: r.client, channels: r.channels, revoked: [], state }, deps()),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(((refused as PromiseRejectedResult).reason as AppError).status).toBe(409);
    expect(await rowCounts()).toMatchObject({ clients: 1, channels: 1 });
  });

  it("refuses an expired attempt and writes nothing", async () => {
    const user = await createUser("owner@example.com");
    const longAgo = new Date(Date.now() - 25 * 3600 * 1000);
    const { state } = await issueIoSignature(user.id, {
      db: testDb(),
      partnerId: PARTNER_ID,
      platformSecret: "x".repeat(16),
      now: () => longAgo,
    });
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    const error = await completeOnboarding(
      user.id,
      { client: redirect.client, channels: redirect.channels, revoked: [], state },
      deps(),
    ).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("attempt_expired");
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  it("answers a completed redirect repeated after its attempt expired the same as the first time", async () => {
    const user = await createUser("owner@example.com");
    const yesterday = new Date(Date.now() - 25 * 3600 * 1000);
    const { state } = await issueIoSignature(user.id, {
      db: testDb(),
      partnerId: PARTNER_ID,
      platformSecret: "x".repeat(16),
      now: () => yesterday,
    });
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [], state };
    const first = await completeOnboarding(user.id, payload, { ...deps(), now: () => yesterday });
    expect(await completeOnboarding(user.id, payload, deps())).toEqual(first);
  });

  describe("when the Hub does not echo state", () => {
    const requiringAttempt = (now?: Date) => ({ ...deps(), requireAttempt: true, ...(now ? { now: () => now } : {}) });
    const issue = (userId: string, now?: Date) =>
      issueIoSignature(userId, {
        db: testDb(),
        partnerId: PARTNER_ID,
        platformSecret: "x".repeat(16),
        ...(now ? { now: () => now } : {}),
      });

    it("refuses a redirect that follows no Connect click", async () => {
      const user = await createUser("owner@example.com");
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const error = await completeOnboarding(
        user.id,
        { client: redirect.client, channels: redirect.channels, revoked: [] },
        requiringAttempt(),
      ).catch((e: unknown) => e);
      expect((error as AppError).code).toBe("no_open_attempt");
      expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
    });

    it("counts the popup's and the page's report as one completion, leaving the next click's attempt open", async () => {
      const user = await createUser("owner@example.com");
      const clicked = await issue(user.id);
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      await completeOnboarding(user.id, payload, requiringAttempt());
      const next = await issue(user.id);
      await completeOnboarding(user.id, payload, requiringAttempt());
      const attempts = await testDb().onboardingAttempt.findMany({ where: { userId: user.id } });
      expect(attempts.find((a) => a.state === clicked.state)?.usedAt).not.toBeNull();
      expect(attempts.find((a) => a.state === next.state)?.usedAt).toBeNull();
    });

    it("lets a returning client revoke a number a day after onboarding, with no open attempt left", async () => {
      const user = await createUser("owner@example.com");
      const yesterday = new Date(Date.now() - 25 * 3600 * 1000);
      await issue(user.id, yesterday);
      const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
      await completeOnboarding(
        user.id,
        { client: first.client, channels: first.channels, revoked: [] },
        requiringAttempt(yesterday),
      );
      const [, dropped] = first.channels as [string, string];
      const second = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 1, revoke: [dropped] });
      await completeOnboarding(
        user.id,
        { client: second.client, channels: second.channels, revoked: second.revoked },
        requiringAttempt(),
      );
      expect((await testDb().channel.findUniqueOrThrow({ where: { hubId: dropped } })).status).toBe("REVOKED");
    });
  });

  it("brings a revoked number back when the client connects it again", async () => {
    const user = await createUser("owner@example.com");
    const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 1 });
    const [number] = first.channels as [string];
    await completeOnboarding(user.id, { client: first.client, channels: [number], revoked: [] }, deps());
    await testDb().channel.update({ where: { hubId: number }, data: { status: "REVOKED", revokedAt: new Date() } });
    await completeOnboarding(user.id, { client: first.client, channels: [number], revoked: [] }, deps());
    const channel = await testDb().channel.findUniqueOrThrow({ where: { hubId: number } });
    expect(channel.status).not.toBe("REVOKED");
    expect(channel.revokedAt).toBeNull();
  });
});
