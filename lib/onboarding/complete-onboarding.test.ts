import { describe, expect, it } from "vitest";
import { API_KEY, control, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { clickConnect } from "@/test/click-connect";
import { createUser, testDb } from "@/test/db";
import { AppError } from "@/lib/http/errors";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { COMPLETE_ONBOARDING_LIMIT, completeOnboarding } from "./complete-onboarding";
import { issueIoSignature } from "./issue-io-signature";

// Real PostgreSQL and the real sandbox over HTTP: the Partner API is 360dialog's side of the contract.
const currentSandbox = startHubSandboxPerFile();
const HOUR = 3600 * 1000;

/** Partner API client that counts its calls, so tests can prove a refusal cost no quota. */
function countingDeps(extra: { requireAttempt?: boolean; now?: () => Date } = {}) {
  const calls = { count: 0, statuses: [] as number[] };
  const countingFetch: typeof fetch = async (input, init) => {
    calls.count += 1;
    const response = await fetch(input, init);
    calls.statuses.push(response.status);
    return response;
  };
  const partnerApi = createPartnerApi({
    baseUrl: `${currentSandbox().url}/api/v2`,
    partnerId: PARTNER_ID,
    apiKey: API_KEY,
    retryBaseDelayMs: 10,
    fetch: countingFetch,
  });
  return { deps: { db: testDb(), partnerApi, ...extra }, calls };
}
const deps = (extra: { requireAttempt?: boolean; now?: () => Date } = {}) => countingDeps(extra).deps;

async function rowCounts() {
  const db = testDb();
  return {
    clients: await db.client.count(),
    channels: await db.channel.count(),
    revocations: await db.revocation.count(),
  };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );

describe("completeOnboarding", () => {
  it("binds the verified client to its proven owner; the same redirect again is answered from the database", async () => {
    const user = await createUser("owner@example.com");
    const state = await clickConnect(user.id);
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [], state };

    const first = await completeOnboarding(user.id, payload, deps());
    const afterFirst = await rowCounts();
    const again = countingDeps();
    const second = await completeOnboarding(user.id, payload, again.deps);

    expect(second).toEqual(first);
    expect(again.calls.count).toBe(0);
    expect(await rowCounts()).toEqual(afterFirst);
    expect(afterFirst).toEqual({ clients: 1, channels: 2, revocations: 0 });
    expect(first.client).toEqual({ id: redirect.client, binding: "bound" });
    expect(first.channels.map((c) => c.id).sort()).toEqual([...redirect.channels].sort());
    expect(first.channels.every((c) => c.phoneNumber?.startsWith("+"))).toBe(true);
    const client = await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } });
    expect(client).toMatchObject({ userId: user.id, bindingState: "BOUND", contactEmail: "owner@example.com" });
    const attempt = await testDb().onboardingAttempt.findUniqueOrThrow({ where: { state } });
    expect(attempt).toMatchObject({ outcome: "COMPLETED", clientId: client.id });
    expect(attempt.usedAt).not.toBeNull();
  });

  it("lets the popup and the page report the same redirect at the same moment", async () => {
    const user = await createUser("owner@example.com");
    const state = await clickConnect(user.id);
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 3 });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [], state };
    const results = await Promise.all([1, 2, 3].map(() => completeOnboarding(user.id, payload, deps())));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(await rowCounts()).toEqual({ clients: 1, channels: 3, revocations: 0 });
  });

  describe("proof of ownership", () => {
    it("keeps a client whose Hub email differs from the user's waiting for approval, numbers masked", async () => {
      const user = await createUser("owner@example.com");
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com", typedEmail: "other@example.com" });
      const result = await completeOnboarding(
        user.id,
        { client: redirect.client, channels: redirect.channels, revoked: [] },
        deps(),
      );
      expect(result.client.binding).toBe("awaiting_approval");
      expect(result.channels[0]?.phoneNumber).toMatch(/^•••• \d{4}$/);
      const client = await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } });
      expect(client).toMatchObject({
        userId: user.id,
        bindingState: "AWAITING_APPROVAL",
        contactEmail: "other@example.com",
      });
    });

    it("does not count an unverified sign-in email as a proof", async () => {
      const user = await createUser("owner@example.com", "CLIENT", { verified: false });
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const result = await completeOnboarding(
        user.id,
        { client: redirect.client, channels: redirect.channels, revoked: [] },
        deps(),
      );
      expect(result.client.binding).toBe("awaiting_approval");
    });

    it("hands a client claimed without proof to its proven owner", async () => {
      const attacker = await createUser("attacker@example.com");
      const victim = await createUser("victim@example.com");
      const redirect = await onboard(currentSandbox(), { email: "victim@example.com" });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      expect((await completeOnboarding(attacker.id, payload, deps())).client.binding).toBe("awaiting_approval");

      const result = await completeOnboarding(victim.id, payload, deps());
      expect(result.client.binding).toBe("bound");
      const client = await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } });
      expect(client).toMatchObject({ userId: victim.id, bindingState: "BOUND" });
      expect((await refusal(completeOnboarding(attacker.id, payload, deps())))?.code).toBe("client_taken");
    });

    it("records no revocation for a claim without proof", async () => {
      const owner = await createUser("owner@example.com");
      const squatter = await createUser("squatter@example.com");
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
      await completeOnboarding(owner.id, { client: redirect.client, channels: redirect.channels, revoked: [] }, deps());
      await testDb().client.update({
        where: { hubId: redirect.client },
        data: { bindingState: "AWAITING_APPROVAL", userId: squatter.id },
      });
      const [kept, target] = redirect.channels as [string, string];
      await completeOnboarding(squatter.id, { client: redirect.client, channels: [kept], revoked: [target] }, deps());
      expect(await testDb().channel.findUniqueOrThrow({ where: { hubId: target } })).toMatchObject({
        access: "GRANTED",
      });
      expect(await testDb().revocation.count()).toBe(0);
    });

    it("lets a new claimant wait for approval in place of a rejected claim", async () => {
      const first = await createUser("first@example.com");
      const second = await createUser("second@example.com");
      const redirect = await onboard(currentSandbox(), { email: "hub-contact@example.com" });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      await completeOnboarding(first.id, payload, deps());
      await testDb().client.update({ where: { hubId: redirect.client }, data: { bindingState: "REJECTED" } });
      expect((await completeOnboarding(second.id, payload, deps())).client.binding).toBe("awaiting_approval");
      expect(await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } })).toMatchObject({
        userId: second.id,
        bindingState: "AWAITING_APPROVAL",
      });
    });

    it("refuses a client bound to its proven owner to anyone else with 409", async () => {
      const owner = await createUser("owner@example.com");
      const intruder = await createUser("intruder@example.com");
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      await completeOnboarding(owner.id, payload, deps());
      expect((await refusal(completeOnboarding(intruder.id, payload, deps())))?.status).toBe(409);
      expect((await testDb().client.findUniqueOrThrow({ where: { hubId: redirect.client } })).userId).toBe(owner.id);
    });

    it("keeps a rejected binding rejected until the emails match", async () => {
      const user = await createUser("owner@example.com");
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com", typedEmail: "other@example.com" });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      await completeOnboarding(user.id, payload, deps());
      await testDb().client.update({ where: { hubId: redirect.client }, data: { bindingState: "REJECTED" } });
      expect(await refusal(completeOnboarding(user.id, payload, deps()))).toMatchObject({
        code: "binding_rejected",
        status: 403,
      });
    });
  });

  it("refuses a channel that does not belong to the client with 422 and writes nothing", async () => {
    const user = await createUser("owner@example.com");
    const mine = await onboard(currentSandbox(), { email: "owner@example.com" });
    const theirs = await onboard(currentSandbox(), { email: "someone-else@example.com" });
    const error = await refusal(
      completeOnboarding(
        user.id,
        { client: mine.client, channels: [...mine.channels, ...theirs.channels], revoked: [] },
        deps(),
      ),
    );
    expect(error?.status).toBe(422);
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  it("refuses a client the Hub does not know with 422", async () => {
    const user = await createUser("owner@example.com");
    const error = await refusal(
      completeOnboarding(user.id, { client: "forgedCL", channels: ["forgedCH"], revoked: [] }, deps()),
    );
    expect(error?.status).toBe(422);
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  describe("refusals before any Partner API call", () => {
    async function refusedWithoutHubCalls(userId: string, payload: Parameters<typeof completeOnboarding>[1]) {
      const { deps: counted, calls } = countingDeps({ requireAttempt: true });
      const error = await refusal(completeOnboarding(userId, payload, counted));
      expect(calls.count).toBe(0);
      expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
      return error;
    }

    it("refuses a state nonce issued to another user", async () => {
      const owner = await createUser("owner@example.com");
      const other = await createUser("other@example.com");
      const state = await clickConnect(other.id);
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const error = await refusedWithoutHubCalls(owner.id, { ...redirect, revoked: [], state });
      expect(error?.code).toBe("unknown_state");
    });

    it("refuses an attempt whose signature was never clicked", async () => {
      const user = await createUser("owner@example.com");
      const { state } = await issueIoSignature(
        user.id,
        { clientIp: "203.0.113.9" },
        { db: testDb(), partnerId: PARTNER_ID, platformSecret: "x".repeat(16) },
      );
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      expect((await refusedWithoutHubCalls(user.id, { ...redirect, revoked: [], state }))?.code).toBe(
        "attempt_not_started",
      );
    });

    it("refuses an attempt clicked more than an hour ago", async () => {
      const user = await createUser("owner@example.com");
      const state = await clickConnect(user.id, new Date(Date.now() - HOUR - 60_000));
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      expect((await refusedWithoutHubCalls(user.id, { ...redirect, revoked: [], state }))?.code).toBe(
        "attempt_expired",
      );
    });

    it("refuses to reuse a completed attempt for another client", async () => {
      const user = await createUser("owner@example.com");
      const state = await clickConnect(user.id);
      const first = await onboard(currentSandbox(), { email: "owner@example.com" });
      await completeOnboarding(user.id, { client: first.client, channels: first.channels, revoked: [], state }, deps());
      const second = await onboard(currentSandbox(), { email: "second@example.com" });
      const { deps: counted, calls } = countingDeps({ requireAttempt: true });
      const error = await refusal(completeOnboarding(user.id, { ...second, revoked: [], state }, counted));
      expect(calls.count).toBe(0);
      expect(await testDb().client.count()).toBe(1);
      expect(error?.code).toBe("attempt_used");
    });

    it("refuses a redirect without state that follows no recent click", async () => {
      const user = await createUser("owner@example.com");
      await clickConnect(user.id, new Date(Date.now() - HOUR - 60_000));
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const error = await refusedWithoutHubCalls(user.id, { ...redirect, revoked: [] });
      expect(error?.code).toBe("no_open_attempt");
    });

    it("answers 429 with Retry-After past the per-user limit", async () => {
      const user = await createUser("owner@example.com");
      const payload = { client: "forgedCL", channels: ["forgedCH"], revoked: [] };
      for (let i = 0; i < COMPLETE_ONBOARDING_LIMIT.limit; i++) {
        await refusal(completeOnboarding(user.id, payload, deps({ requireAttempt: true })));
      }
      const error = await refusedWithoutHubCalls(user.id, payload);
      expect(error).toMatchObject({ code: "rate_limited", status: 429 });
      expect(Number(error?.headers["Retry-After"])).toBeGreaterThan(0);
    });
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
    expect(channel.access).toBe("REMOVED");
    expect(channel.revokedAt).not.toBeNull();
    expect(channel.revocations).toHaveLength(1);
    expect(channel.revocations[0]?.source).toBe("REDIRECT");
    expect((await testDb().channel.findUniqueOrThrow({ where: { hubId: kept } })).access).toBe("GRANTED");
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
    expect(channel).toMatchObject({ access: "REMOVED", phoneNumber: expect.stringMatching(/^\+/) });
    expect(channel.revocations).toHaveLength(1);
    expect(await rowCounts()).toEqual({ clients: 1, channels: 2, revocations: 1 });
  });

  it("retries the Partner API after a 500 and then succeeds", async () => {
    const user = await createUser("owner@example.com");
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    await control(currentSandbox(), "POST", "/faults/api", { kind: "500", count: 1 });
    const { deps: observed, calls } = countingDeps();
    const result = await completeOnboarding(
      user.id,
      { client: redirect.client, channels: redirect.channels, revoked: [] },
      observed,
    );
    expect(result.channels).toHaveLength(1);
    expect(calls.statuses.filter((s) => s === 500)).toHaveLength(1);
    expect(calls.statuses.filter((s) => s === 200)).toHaveLength(2);
  });

  it("accepts a revocation of a number the Hub still reports running, and destroys its key", async () => {
    const user = await createUser("owner@example.com");
    const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
    await completeOnboarding(user.id, { client: first.client, channels: first.channels, revoked: [] }, deps());
    const [kept, revoked] = first.channels as [string, string];
    await control(currentSandbox(), "POST", `/channels/${revoked}/status`, { status: "running" });
    const channel = await testDb().channel.findUniqueOrThrow({ where: { hubId: revoked } });
    await testDb().apiKey.create({
      data: { channelId: channel.id, liveChannelId: channel.id, ciphertext: new Uint8Array([1, 2, 3]), keyVersion: 1 },
    });
    const result = await completeOnboarding(
      user.id,
      { client: first.client, channels: [kept], revoked: [revoked] },
      deps(),
    );
    expect(result.revoked).toEqual([revoked]);
    expect(await testDb().channel.findUniqueOrThrow({ where: { hubId: revoked } })).toMatchObject({
      access: "REMOVED",
      keyState: "NONE",
    });
    const key = await testDb().apiKey.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(key).toMatchObject({ liveChannelId: null, destroyedAt: expect.any(Date) });
    expect(key.ciphertext).toHaveLength(0);
  });

  it("refuses a revocation of another client's number", async () => {
    const user = await createUser("owner@example.com");
    const mine = await onboard(currentSandbox(), { email: "owner@example.com" });
    const theirs = await onboard(currentSandbox(), { email: "other@example.com" });
    const error = await refusal(
      completeOnboarding(user.id, { client: mine.client, channels: mine.channels, revoked: theirs.channels }, deps()),
    );
    expect(error?.status).toBe(422);
  });

  it("lets one attempt complete one client only, even when two redirects race", async () => {
    const user = await createUser("owner@example.com");
    const state = await clickConnect(user.id);
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
    const clicked = new Date(Date.now() - 30 * 60_000);
    const state = await clickConnect(user.id, clicked);
    await testDb().onboardingAttempt.update({ where: { state }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    const error = await refusal(
      completeOnboarding(user.id, { client: redirect.client, channels: redirect.channels, revoked: [], state }, deps()),
    );
    expect(error?.code).toBe("attempt_expired");
    expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
  });

  it("answers a completed redirect repeated after its attempt expired the same as the first time", async () => {
    const user = await createUser("owner@example.com");
    const yesterday = new Date(Date.now() - 25 * HOUR);
    const state = await clickConnect(user.id, yesterday);
    const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
    const payload = { client: redirect.client, channels: redirect.channels, revoked: [], state };
    const first = await completeOnboarding(user.id, payload, deps({ now: () => yesterday }));
    expect(await completeOnboarding(user.id, payload, deps())).toEqual(first);
  });

  describe("when the Hub does not echo state", () => {
    const requiringAttempt = (now?: Date) => deps({ requireAttempt: true, ...(now ? { now: () => now } : {}) });

    it("refuses a redirect that follows no Connect click", async () => {
      const user = await createUser("owner@example.com");
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const error = await refusal(
        completeOnboarding(
          user.id,
          { client: redirect.client, channels: redirect.channels, revoked: [] },
          requiringAttempt(),
        ),
      );
      expect(error?.code).toBe("no_open_attempt");
      expect(await rowCounts()).toEqual({ clients: 0, channels: 0, revocations: 0 });
    });

    it("counts the popup's and the page's report as one completion, leaving the next click's attempt open", async () => {
      const user = await createUser("owner@example.com");
      const clicked = await clickConnect(user.id, new Date(Date.now() - 60_000));
      const redirect = await onboard(currentSandbox(), { email: "owner@example.com" });
      const payload = { client: redirect.client, channels: redirect.channels, revoked: [] };
      await completeOnboarding(user.id, payload, requiringAttempt());
      const next = await clickConnect(user.id);
      await completeOnboarding(user.id, payload, requiringAttempt());
      const attempts = await testDb().onboardingAttempt.findMany({ where: { userId: user.id } });
      expect(attempts.find((a) => a.state === clicked)?.usedAt).not.toBeNull();
      expect(attempts.find((a) => a.state === next)?.usedAt).toBeNull();
    });

    it("lets a returning client revoke a number a day after onboarding with a fresh click", async () => {
      const user = await createUser("owner@example.com");
      const yesterday = new Date(Date.now() - 25 * HOUR);
      await clickConnect(user.id, yesterday);
      const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 2 });
      await completeOnboarding(
        user.id,
        { client: first.client, channels: first.channels, revoked: [] },
        requiringAttempt(yesterday),
      );
      const [, dropped] = first.channels as [string, string];
      await clickConnect(user.id);
      const second = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 1, revoke: [dropped] });
      await completeOnboarding(
        user.id,
        { client: second.client, channels: second.channels, revoked: second.revoked },
        requiringAttempt(),
      );
      expect((await testDb().channel.findUniqueOrThrow({ where: { hubId: dropped } })).access).toBe("REMOVED");
    });
  });

  it("brings a revoked number back when the client connects it again", async () => {
    const user = await createUser("owner@example.com");
    const first = await onboard(currentSandbox(), { email: "owner@example.com", numbers: 1 });
    const [number] = first.channels as [string];
    await completeOnboarding(user.id, { client: first.client, channels: [number], revoked: [] }, deps());
    await testDb().channel.update({ where: { hubId: number }, data: { access: "REMOVED", revokedAt: new Date() } });
    await completeOnboarding(user.id, { client: first.client, channels: [number], revoked: [] }, deps());
    const channel = await testDb().channel.findUniqueOrThrow({ where: { hubId: number } });
    expect(channel.access).toBe("GRANTED");
    expect(channel.revokedAt).toBeNull();
  });
});
