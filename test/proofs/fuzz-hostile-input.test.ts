import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { messagingWebhookToken } from "@/lib/webhooks/messaging-webhook-token";
import { API_KEY, onboard, PARTNER_ID } from "@/sandbox/test/helpers";
import { clickConnect } from "@/test/click-connect";
import { createUser, testDb } from "@/test/db";
import { cloudApiStatusEnvelope, keyedChannelWithMessage } from "@/test/messaging-fixtures";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { importRouteWith, scheduledAfterResponse, signedInAs } from "@/test/route-harness";
import {
  contentTypes,
  hostileBody,
  hostileHeaderValue,
  hostileJsonText,
  hostileNumberText,
  hostileString,
  methods,
  mutatedJson,
} from "./support/fuzz-hostile-values";
import { HostileTraffic } from "./support/fuzz-traffic";
import { printProof } from "./support/print-proof";
import { log } from "@/lib/observability/log";

// Outside Next's request scope revalidatePath throws; an accepted console action must not fail on it.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

// The suite's runs are repeatable: the same seed every time unless FUZZ_SEED asks for another
// (a failure prints its seed), so a CI run cannot turn red on a draw no one can replay.
fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 15_003) });

const sandbox = startHubSandboxPerFile();
const APP_ORIGIN = new URL(localDefaults.APP_URL).origin;
const hubEnv = () => ({
  HUB_API_URL: `${sandbox().url}/api/v2`,
  HUB_PARTNER_ID: PARTNER_ID,
  HUB_API_KEY: API_KEY,
});
const load = <T>(module: () => Promise<T>) => importRouteWith(module, hubEnv());

let traffic: HostileTraffic;
const started = Date.now();

type Role = "anonymous" | "client" | "admin";
const roles = fc.constantFrom<Role>("anonymous", "client", "admin");
type People = { client: { id: string; email: string }; admin: { id: string; email: string } };

async function people(): Promise<People> {
  return {
    client: await createUser("fuzz-client@example.com"),
    admin: await createUser("fuzz-admin@example.com", "ADMIN"),
  };
}

function signIn(who: People, role: Role): void {
  signedInAs.mockResolvedValue(
    role === "anonymous"
      ? null
      : { id: who[role].id, email: who[role].email, name: null, role: role === "admin" ? "ADMIN" : "CLIENT" },
  );
}

beforeEach(async () => {
  traffic ??= await HostileTraffic.on(testDb(), ["RateLimit", "Heartbeat"]);
  signedInAs.mockReset();
  // Refusals and 5xx paths log; the property reads the status they answer with instead.
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  vi.spyOn(log, "error").mockImplementation(() => undefined);
  vi.spyOn(log, "warn").mockImplementation(() => undefined);
});

afterAll(() => {
  if (!traffic) return;
  printProof("hostile input", {
    requests: traffic.requests,
    routes: [...traffic.targets].filter((target) => target.includes("/api/")).length,
    server_actions: [...traffic.targets].filter((target) => !target.includes("/api/")).length,
    status_5xx: traffic.status5xx,
    rows_written_by_refusals: traffic.rowsWrittenByRefusals,
    seconds: Math.round((Date.now() - started) / 1000),
  });
});

type Headers = Record<string, string>;
const jsonHeaders = fc.record({
  origin: fc.constantFrom(APP_ORIGIN, APP_ORIGIN, "https://evil.example", "null", ""),
  "content-type": contentTypes,
});
const extraHeaders: fc.Arbitrary<Headers> = fc.dictionary(
  fc.constantFrom(
    "x-forwarded-for",
    "x-real-ip",
    "cookie",
    "content-length",
    "accept",
    "x-360dialog-signature",
    "authorization",
  ),
  hostileHeaderValue,
  { maxKeys: 3 },
);

function request(url: string, method: string, headers: Headers, body?: string | Uint8Array): Request {
  const init: RequestInit = { method, headers };
  if (body !== undefined && method !== "GET" && method !== "HEAD") init.body = body as BodyInit;
  return new Request(url, init);
}

/** A valid body mostly, mutated in one place; pure noise the rest of the time. */
const bodyFrom = (valid: Parameters<typeof mutatedJson>[0]) =>
  fc.oneof(
    { weight: 3, arbitrary: mutatedJson(valid) },
    { weight: 1, arbitrary: hostileBody },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(valid)) },
  );

async function run<T>(
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  send: (value: T) => Promise<unknown>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      scheduledAfterResponse.length = 0;
      await send(value);
    }),
    { numRuns, endOnFailure: true, reporter: shortReport },
  );
}

/** fast-check's report, cut short: counterexamples here carry bodies of hundreds of kilobytes. */
function shortReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const cut = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text);
  const example = cut(fc.stringify(details.counterexample));
  throw new Error(
    `Property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}"): ${cut(String(details.errorInstance))}\nCounterexample: ${example}`,
  );
}

/** An accepted webhook writes its event row and that event's job, nothing else. */
function expectOnlyEventsStoredBy(answer: { status: number; written: string[] }): void {
  if (answer.status >= 300) return;
  expect(
    answer.written.every((change) => /^(WebhookEvent|graphile_worker\.jobs):/.test(change)),
    answer.written.join(),
  ).toBe(true);
}

describe("route handlers under hostile requests", () => {
  it("POST /api/webhooks/360dialog: unsigned noise is refused, signed mutations never crash and store valid rows", async () => {
    const { POST } = await load(() => import("@/app/api/webhooks/360dialog/route"));
    const secret = localDefaults.HUB_PLATFORM_SECRET;
    const sign = (body: string | Uint8Array) => createHmac("sha256", secret).update(body).digest("hex");
    const valid = {
      id: "evt-fuzz",
      event: "channel_running",
      data: { id: "abc123CH", client_id: "abc123CL", status: "running" },
    };
    await traffic.settle();
    const deliveries = fc.record({
      body: bodyFrom(valid),
      signature: fc.oneof(
        { weight: 3, arbitrary: fc.constant("valid") },
        { weight: 1, arbitrary: fc.constantFrom("wrong-secret", "uppercase", "missing") },
        { weight: 1, arbitrary: hostileHeaderValue },
      ),
      contentType: contentTypes,
      method: methods,
    });
    await run(deliveries, 2_500, async ({ body, signature, contentType, method }) => {
      const header =
        signature === "valid"
          ? sign(body)
          : signature === "uppercase"
            ? sign(body).toUpperCase()
            : signature === "wrong-secret"
              ? createHmac("sha256", "not-the-secret").update(body).digest("hex")
              : signature;
      const headers: Headers = {
        "content-type": contentType,
        ...(signature === "missing" ? {} : { "x-360dialog-signature": header }),
      };
      const answer = await traffic.send("/api/webhooks/360dialog", () =>
        POST(request("http://localhost/api/webhooks/360dialog", method, headers, body)),
      );
      expectOnlyEventsStoredBy(answer);
    });
    for (const event of await testDb().webhookEvent.findMany()) {
      expect(event).toMatchObject({
        source: "PARTNER",
        type: expect.stringMatching(/\S/),
        dedupeKey: expect.stringMatching(/\S/),
      });
      expect(event.payload).toEqual(expect.any(Object));
    }
  });

  it("POST /api/webhooks/messages: valid tokens with mutated envelopes never crash and store valid rows", async () => {
    const { channel, key } = await keyedChannelWithMessage("fuzz", "wamid.FUZZ");
    const token = messagingWebhookToken(localDefaults.AUTH_SECRET, { channelId: channel.id, keyId: key.id });
    const { POST } = await load(() => import("@/app/api/webhooks/messages/route"));
    const valid = cloudApiStatusEnvelope(
      { id: "wamid.FUZZ", status: "delivered", timestamp: "1800000000", errors: [{ code: 131_000, title: "x" }] },
      [{ id: "wamid.IN", from: "4915112345678", type: "text", text: { body: "hi" } }],
    );
    await traffic.settle();
    const deliveries = fc.record({
      body: bodyFrom(valid),
      token: fc.oneof(
        { weight: 3, arbitrary: fc.constant(token) },
        { weight: 1, arbitrary: hostileHeaderValue },
        { weight: 1, arbitrary: fc.constantFrom(`${token}x`, token.slice(1), "") },
      ),
      contentType: contentTypes,
    });
    await run(deliveries, 1_500, async ({ body, token: presented, contentType }) => {
      const headers: Headers = {
        "content-type": contentType,
        ...(presented ? { "x-portal-webhook-token": presented } : {}),
      };
      const answer = await traffic.send("/api/webhooks/messages", () =>
        POST(request("http://localhost/api/webhooks/messages", "POST", headers, body)),
      );
      expectOnlyEventsStoredBy(answer);
    });
    for (const event of await testDb().webhookEvent.findMany()) {
      expect(event).toMatchObject({ source: "MESSAGING", channelHubId: "chfuzz", type: expect.stringMatching(/\S/) });
      // The recipient's number is not the portal's to keep, whatever the envelope looked like.
      expect(JSON.stringify(event.payload)).not.toContain("4915112345678");
    }
  });

  it("POST and GET /api/onboarding: mutated redirects and queries", async () => {
    const who = await people();
    const state = await clickConnect(who.client.id);
    const redirect = await onboard(sandbox(), { email: who.client.email });
    const { POST, GET } = await load(() => import("@/app/api/onboarding/route"));
    const valid = { client: redirect.client, channels: redirect.channels, revoked: [], state };
    await traffic.settle();
    const posts = fc.record({
      role: roles,
      body: bodyFrom(valid),
      headers: jsonHeaders,
      extra: extraHeaders,
      method: methods,
    });
    await run(posts, 1_000, async ({ role, body, headers, extra, method }) => {
      signIn(who, role);
      await traffic.send("/api/onboarding POST", () =>
        POST(request(`${APP_ORIGIN}/api/onboarding`, method, { ...extra, ...headers }, body)),
      );
    });
    const queries = fc.oneof(
      fc
        .dictionary(fc.oneof(fc.constant("state"), hostileString), hostileString, { maxKeys: 3 })
        .map((params) => new URLSearchParams(params).toString()),
      fc.constantFrom(
        `state=${state}`,
        `state=${state}&state=${state}`,
        "state=%ZZ",
        "state",
        "%00=%00",
        `state=${state}&__proto__=1`,
      ),
      hostileString.map((raw) => encodeURI(raw.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))),
    );
    await run(fc.record({ role: roles, query: queries }), 400, async ({ role, query }) => {
      signIn(who, role);
      await traffic.send("/api/onboarding GET", () => GET(new Request(`${APP_ORIGIN}/api/onboarding?${query}`)));
    });
  });

  it("POST /api/sign_io: mutated spent states", async () => {
    const who = await people();
    const state = await clickConnect(who.client.id);
    const { POST } = await load(() => import("@/app/api/sign_io/route"));
    await traffic.settle();
    const posts = fc.record({
      role: roles,
      body: bodyFrom({ spent: state }),
      headers: jsonHeaders,
      extra: extraHeaders,
    });
    await run(posts, 600, async ({ role, body, headers, extra }) => {
      signIn(who, role);
      await traffic.send("/api/sign_io", () =>
        POST(request(`${APP_ORIGIN}/api/sign_io`, "POST", { ...extra, ...headers }, body)),
      );
    });
  });

  it("POST /api/channels/:channelId/messages: mutated messages to own, foreign and made-up channels", async () => {
    const who = await people();
    const other = await createUser("fuzz-other@example.com");
    const own = await testDb().client.create({
      data: { hubId: "ownCL", userId: who.client.id, bindingState: "BOUND" },
    });
    const foreign = await testDb().client.create({
      data: { hubId: "otherCL", userId: other.id, bindingState: "BOUND" },
    });
    await testDb().channel.create({ data: { hubId: "ownCH", clientId: own.id, status: "RUNNING" } });
    await testDb().channel.create({
      data: { hubId: "otherCH", clientId: foreign.id, status: "RUNNING", keyState: "STORED" },
    });
    const { POST } = await load(() => import("@/app/api/channels/[channelId]/messages/route"));
    await traffic.settle();
    const valid = { kind: "text", to: "+49 151 2345678", body: "Hello from the portal" };
    const sends = fc.record({
      role: roles,
      channelId: fc.oneof(fc.constantFrom("ownCH", "otherCH"), hostileString),
      body: fc.oneof(bodyFrom(valid), bodyFrom({ kind: "template", to: "4915112345678" })),
      headers: jsonHeaders,
    });
    await run(sends, 1_000, async ({ role, channelId, body, headers }) => {
      signIn(who, role);
      await traffic.send("/api/channels/:channelId/messages", () =>
        POST(request(`${APP_ORIGIN}/api/channels/x/messages`, "POST", headers, body), {
          params: Promise.resolve({ channelId }),
        }),
      );
    });
  });

  it("GET /api/admin/webhook-events/:id: hostile ids by every role", async () => {
    const who = await people();
    const stored = await testDb().webhookEvent.create({
      data: { dedupeKey: "fuzz-1", type: "channel_running", payload: { id: "fuzz-1" } },
    });
    const { GET } = await load(() => import("@/app/api/admin/webhook-events/[id]/route"));
    await traffic.settle();
    const reads = fc.record({
      role: roles,
      id: fc.oneof(fc.constant(stored.id), hostileString, fc.constant(`${stored.id}'--`)),
    });
    await run(reads, 600, async ({ role, id }) => {
      signIn(who, role);
      await traffic.send("/api/admin/webhook-events/:id", () =>
        GET(new Request("http://localhost/api/admin/webhook-events/x"), { params: Promise.resolve({ id }) }),
      );
    });
  });

  it("GET /api/cron/reconcile: forged and mangled bearer tokens", async () => {
    const { GET } = await load(() => import("@/app/api/cron/reconcile/route"));
    await traffic.settle();
    const bearer = `Bearer ${localDefaults.CRON_SECRET}`;
    const authorizations = fc.oneof(
      hostileHeaderValue,
      hostileHeaderValue.map((value) => `Bearer ${value}`),
      fc.constantFrom(
        bearer,
        bearer.toLowerCase(),
        `${bearer} `,
        `Bearer  ${localDefaults.CRON_SECRET}`,
        "Bearer ",
        `Basic ${localDefaults.CRON_SECRET}`,
      ),
      fc.nat({ max: bearer.length }).map((cut) => bearer.slice(0, cut)),
    );
    await run(authorizations, 300, async (authorization) => {
      await traffic.send("/api/cron/reconcile", () =>
        GET(new Request("http://localhost/api/cron/reconcile", { headers: authorization ? { authorization } : {} })),
      );
    });
  });

  it("GET /api/channels and GET /api/health: every role", async () => {
    const who = await people();
    const channels = await load(() => import("@/app/api/channels/route"));
    const health = await load(() => import("@/app/api/health/route"));
    await traffic.settle();
    // Neither handler reads its request: the role is their whole input.
    await run(roles, 300, async (role) => {
      signIn(who, role);
      await traffic.send("/api/channels", () => channels.GET());
      await traffic.send("/api/health", () => health.GET());
    });
  });
});

describe("server actions under hostile forms", () => {
  const formOf = (fields: Record<string, string | Blob | undefined>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    return form;
  };
  const fieldValue = (valid: string[]) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...valid) },
      { weight: 2, arbitrary: hostileString },
      { weight: 1, arbitrary: fc.constantFrom(...valid).map((value) => `${value} `) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constant(new Blob(["file"], { type: "text/plain" })) },
    );

  it("the admin console's actions: refused with a message or a 404, never a crash, never a write on refusal", async () => {
    const who = await people();
    const client = await testDb().client.create({
      data: { hubId: "actCL", userId: who.client.id, bindingState: "AWAITING_APPROVAL" },
    });
    const channel = await testDb().channel.create({ data: { hubId: "actCH", clientId: client.id, status: "RUNNING" } });
    const event = await testDb().webhookEvent.create({
      data: { dedupeKey: "act-1", type: "channel_running", payload: {}, state: "FAILED" },
    });
    const channels = await load(() => import("@/app/admin/channels/actions"));
    const { decideClientBindingAction } = await import("@/app/admin/clients/actions");
    const { retryWebhookEventAction } = await import("@/app/admin/events/actions");
    const { retryJobAction } = await import("@/app/admin/jobs/actions");
    const { decideBindingAction } = await import("@/app/admin/bindings/actions");
    const { setPartnerUrlsAction } = await import("@/app/admin/setup/actions");
    await traffic.settle();

    const idle = { status: "idle" } as const;
    const actions: Array<[string, (form: FormData) => Promise<unknown>]> = [
      ["rotateKeyAction", (form) => channels.rotateKeyAction(idle, form)],
      ["retryKeyProvisioningAction", (form) => channels.retryKeyProvisioningAction(idle, form)],
      ["retryMessagingWebhookAction", (form) => channels.retryMessagingWebhookAction(idle, form)],
      ["resyncChannelAction", (form) => channels.resyncChannelAction(idle, form)],
      ["decideClientBindingAction", (form) => decideClientBindingAction(idle, form)],
      ["retryWebhookEventAction", (form) => retryWebhookEventAction(idle, form)],
      ["retryJobAction", (form) => retryJobAction(idle, form)],
      ["decideBindingAction", decideBindingAction],
      ["setPartnerUrlsAction", setPartnerUrlsAction],
    ];
    const calls = fc.record({
      action: fc.constantFrom(...actions),
      role: fc.constantFrom<Role>("admin", "admin", "client", "anonymous"),
      form: fc.record({
        channelId: fieldValue([channel.id, channel.hubId]),
        clientId: fieldValue([client.id, client.hubId]),
        eventId: fieldValue([event.id]),
        jobId: fieldValue(["1", "424242"]),
        decision: fieldValue(["approve", "reject"]),
        confirm: fieldValue(["yes", "no"]),
      }),
      pollution: fc.option(fc.tuple(fc.constantFrom("__proto__", "constructor", "prototype"), hostileString), {
        nil: undefined,
      }),
    });
    await run(calls, 1_900, async ({ action, role, form, pollution }) => {
      const [name, call] = action;
      const data = formOf(form);
      if (pollution) data.append(...pollution);
      signIn(who, role);
      await traffic.act(name, () => call(data));
    });
  });
});

describe("pure parsers under hostile input", () => {
  const PARSER_RUNS = 10_000;
  let parserInputs = 0;
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  const checked = <T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void) => {
    fc.assert(
      fc.property(arbitrary, (value) => {
        parserInputs += 1;
        predicate(value);
      }),
      { numRuns: PARSER_RUNS, reporter: shortReport },
    );
  };
  const isId = (value: unknown) => typeof value === "string" && value.trim() === value && value !== "";

  afterAll(() => printProof("hostile input to parsers", { parser_inputs: parserInputs, parsers: 4 }));

  it("the redirect payload and its schema: clean ids out, and only well-formed ids past the schema", async () => {
    const { toCompletionPayload } = await import("@/components/onboarding/redirect-payload");
    const { completeOnboardingSchema } = await import("@/app/api/onboarding/schema");
    const ids = fc.array(fc.oneof(hostileString, fc.stringMatching(/^[A-Za-z0-9]{8}$/)), { maxLength: 6 });
    const search = fc.oneof(
      hostileString,
      fc
        .dictionary(fc.oneof(fc.constant("state"), hostileString), hostileString)
        .map((q) => `?${new URLSearchParams(q)}`),
    );
    checked(
      fc.tuple(
        fc.record({ client: hostileString, channels: ids, revokedChannels: fc.option(ids, { nil: undefined }) }),
        search,
        fc.option(hostileString, { nil: undefined }),
      ),
      ([data, query, clicked]) => {
        const payload = toCompletionPayload(data, query, clicked);
        for (const list of [payload.channels, payload.revoked]) {
          expect(list.every(isId)).toBe(true);
          expect(new Set(list).size).toBe(list.length);
        }
        expect(payload.state === undefined || payload.state !== "").toBe(true);
        const validated = completeOnboardingSchema.safeParse(payload);
        if (validated.success) {
          const all = [validated.data.client, ...validated.data.channels, ...validated.data.revoked];
          expect(all.every((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id))).toBe(true);
          expect(validated.data.state === undefined || /^[A-Za-z0-9_-]{16,128}$/.test(validated.data.state)).toBe(true);
        }
      },
    );
  });

  it("the partner webhook parser: null or a named, typed event", async () => {
    const { parsePartnerWebhook } = await import("@/lib/hub/partner-webhook");
    const valid = {
      id: "evt-1",
      event: "channel_running",
      data: { id: "abc123CH", client_id: "abc123CL", status: "running", setup_info: { phone_number: "4915112345678" } },
    };
    checked(fc.oneof(mutatedJson(valid), hostileJsonText).map(parse), (body) => {
      const event = parsePartnerWebhook(body);
      if (event === null) return;
      expect(isId(event.name)).toBe(true);
      expect(typeof event.type).toBe("string");
      expect(event.id === null || isId(event.id)).toBe(true);
      expect(event.channel === null || isId(event.channel.hubId)).toBe(true);
    });
  });

  it("the messaging webhook parser: null or statuses with ids and real dates", async () => {
    const { parseMessagingWebhook } = await import("@/lib/hub/messaging-webhook");
    const valid = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "w",
          changes: [
            {
              field: "messages",
              value: {
                statuses: [
                  { id: "wamid.A", status: "read", timestamp: "1800000000", errors: [{ code: 1, title: "t" }] },
                ],
                messages: [{ id: "wamid.B" }],
              },
            },
          ],
        },
      ],
    };
    checked(fc.oneof(mutatedJson(valid), hostileJsonText).map(parse), (body) => {
      const parsed = parseMessagingWebhook(body);
      if (parsed === null) return;
      for (const status of parsed.statuses) {
        expect(typeof status.messageId === "string" && status.messageId !== "").toBe(true);
        expect(
          status.timestamp === null || Number.isFinite(status.timestamp.getTime()),
          `timestamp of ${JSON.stringify(body).slice(0, 300)}`,
        ).toBe(true);
      }
      expect(parsed.inboundMessageIds.every((id) => typeof id === "string" && id !== "")).toBe(true);
    });
  });

  it("the admin search params: any query reads as a valid filter, never an error", async () => {
    const { z } = await import("zod");
    const { choiceParam, pageParam, parseSearchParams, textParam } = await import("@/lib/admin/search-params");
    const schema = z.object({ page: pageParam, q: textParam, state: choiceParam({ A: "A", B: "B" }) });
    const value = fc.oneof(
      hostileString,
      fc.array(hostileString, { maxLength: 3 }),
      fc.constant(undefined),
      hostileNumberText,
    );
    checked(
      fc.dictionary(fc.oneof(fc.constantFrom("page", "q", "state", "__proto__", "constructor"), hostileString), value),
      (raw) => {
        const filters = parseSearchParams(schema, raw);
        expect(Number.isInteger(filters.page) && filters.page >= 1 && filters.page <= 100_000).toBe(true);
        expect(
          filters.q === undefined || (filters.q.length <= 200 && filters.q === filters.q.trim() && filters.q !== ""),
        ).toBe(true);
        expect([undefined, "A", "B"]).toContain(filters.state);
      },
    );
  });
});
