import { afterAll, describe, expect, it } from "vitest";
import { IDLE } from "@/lib/admin/action-state";
import { localDefaults } from "@/lib/config/local-defaults";
import { API_KEY, PARTNER_ID } from "@/sandbox/test/helpers";
import { testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { importRouteWith, scheduledAfterResponse, signedInAs } from "@/test/route-harness";
import { absolutePath, actionId, discoverEndpoints } from "./support/authorization-inventory";
import { leaked, leakedBeyond, serialise, settle, type Outcome } from "./support/authorization-outcome";
import { revalidatedPaths, standInSessionForRealAuth, visiting } from "./support/authorization-session";
import {
  PERSONAS,
  secretsOfA,
  seedWorld,
  snapshotWritableState,
  type Persona,
  type World,
} from "./support/authorization-world";
import { printProof } from "./support/print-proof";

standInSessionForRealAuth();

/**
 * Issue 15, item 4: every route handler, page and server action, tried as a signed-out visitor,
 * client A (the owner), client B (asking for A's ids) and an admin, on a real database and the
 * real Hub sandbox. Wrong users get 401 / 404 / a redirect to /login as designed, and nothing of A's
 * (hub ids, phone number, email, row ids, state nonce) in what comes back; denied actions write
 * nothing. The tables below are checked against the tree, so a new endpoint needs a row.
 */

const sandbox = startHubSandboxPerFile();
const APP_ORIGIN = new URL(localDefaults.APP_URL).origin;

const tally = { cases: 0, leaks: 0, wrongStatus: 0 };

function load<T>(file: string, env: Record<string, string> = {}): Promise<T> {
  return importRouteWith(() => import(/* @vite-ignore */ absolutePath(file)) as Promise<T>, {
    HUB_API_URL: `${sandbox().url}/api/v2`,
    HUB_PARTNER_ID: PARTNER_ID,
    HUB_API_KEY: API_KEY,
    ...env,
  });
}

async function actAs(world: World, persona: Persona) {
  signedInAs.mockResolvedValue(world.users[persona]);
}

/** Records a case and whether it held, so the printed figures are the assertions' own count. */
function check(ok: boolean, kind: "status" | "leak"): boolean {
  tally.cases += kind === "status" ? 1 : 0;
  if (!ok) tally[kind === "status" ? "wrongStatus" : "leaks"] += 1;
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Public entries: deliberately open, each for the reason given. No row needed, but listed, so the
// inventory check still notices anything new.
const PUBLIC: Record<string, string> = {
  "app/(portal)/page.tsx": "the landing page: static text, reads no user or data",
  "app/(portal)/login/page.tsx": "sign-in form; a signed-in visitor is only sent on to a same-origin callback",
  "app/(portal)/login/check-email/page.tsx": "static notice after a magic link is mailed",
  "app/(portal)/login/sign-out/page.tsx": "shows the visitor's own email at most",
  "app/api/auth/[...nextauth]/route.ts": "Auth.js's own endpoints: how a session is obtained",
  [actionId("app/(portal)/login/actions.ts", "requestMagicLink")]: "mails a sign-in link: the sign-in itself",
  [actionId("app/(portal)/login/actions.ts", "continueWithGitHub")]: "starts GitHub sign-in",
  [actionId("app/(portal)/login/actions.ts", "signOutAction")]: "ends the caller's own session",
};

// ---------------------------------------------------------------------------------------------
// Route handlers.
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteCase = { as: Persona; status: number; headers?: Record<string, string>; name?: string };
type RouteRow = {
  method: "GET" | "POST";
  url: (world: World) => string;
  params?: (world: World) => Record<string, string>;
  body?: (world: World) => unknown;
  env?: Record<string, string>;
  cases: RouteCase[];
  /** Who may see A's data in the response: everyone else is checked for leaks. */
  entitled: Persona[];
  /** What an entitled 2xx response must contain: proves the leak check is looking at real data. */
  shows?: (world: World) => string[];
};

const byPersona = (statuses: Record<Persona, number>): RouteCase[] =>
  PERSONAS.map((as) => ({ as, status: statuses[as] }));

const ROUTES: Record<string, RouteRow> = {
  "app/api/channels/route.ts": {
    method: "GET",
    url: () => "/api/channels",
    cases: byPersona({ anonymous: 401, clientA: 200, clientB: 200, admin: 200 }),
    entitled: ["clientA"],
    shows: (w) => [w.a.channelHubId, w.a.phoneNumber],
  },
  "app/api/channels/[channelId]/messages/route.ts": {
    method: "POST",
    url: (w) => `/api/channels/${w.a.channelHubId}/messages`,
    params: (w) => ({ channelId: w.a.channelHubId }),
    body: () => ({ kind: "template", to: "+49 151 2345678" }),
    // A passes the ownership check and meets the next one (the seeded key has no address): 409,
    // where B and the admin, who do not own the channel, get the 404 of a channel that is not there.
    cases: byPersona({ anonymous: 401, clientA: 409, clientB: 404, admin: 404 }),
    entitled: ["clientA"],
  },
  "app/api/onboarding/route.ts#POST": {
    method: "POST",
    url: () => "/api/onboarding",
    body: (w) => ({ client: w.a.clientHubId, channels: [w.a.channelHubId] }),
    env: { HUB_IO_SIGNATURE: "off" },
    // Binding a client someone else holds is a conflict the Hub's redirect can produce honestly
    // (two people in one company): 409 with a fixed message that names nobody.
    cases: byPersona({ anonymous: 401, clientA: 200, clientB: 409, admin: 409 }),
    entitled: ["clientA"],
  },
  "app/api/onboarding/route.ts#GET": {
    method: "GET",
    url: (w) => `/api/onboarding?state=${w.a.attemptState}`,
    cases: byPersona({ anonymous: 401, clientA: 200, clientB: 404, admin: 404 }),
    entitled: ["clientA"],
  },
  "app/api/sign_io/route.ts": {
    method: "POST",
    url: () => "/api/sign_io",
    body: () => ({}),
    // Everyone signed in gets a signature; only A gets A's unclicked state back.
    cases: byPersona({ anonymous: 401, clientA: 200, clientB: 200, admin: 200 }),
    entitled: ["clientA"],
    shows: (w) => [w.a.attemptState],
  },
  "app/api/admin/webhook-events/[id]/route.ts": {
    method: "GET",
    url: (w) => `/api/admin/webhook-events/${w.a.eventId}`,
    params: (w) => ({ id: w.a.eventId }),
    cases: byPersona({ anonymous: 404, clientA: 404, clientB: 404, admin: 200 }),
    entitled: ["admin"],
    shows: (w) => [w.a.eventId, w.a.channelHubId],
  },
  "app/api/cron/reconcile/route.ts": {
    method: "GET",
    url: () => "/api/cron/reconcile",
    cases: [
      { as: "anonymous", status: 401, name: "no secret" },
      { as: "anonymous", status: 401, name: "wrong secret", headers: { authorization: "Bearer wrong-secret" } },
      { as: "anonymous", status: 401, name: "bare secret", headers: { authorization: localDefaults.CRON_SECRET } },
      { as: "admin", status: 401, name: "an admin session is not the secret" },
      {
        as: "anonymous",
        status: 200,
        name: "the secret",
        headers: { authorization: `Bearer ${localDefaults.CRON_SECRET}` },
      },
    ],
    entitled: [],
  },
  // Webhooks authenticate by their own signature; the proxy leaves them open.
  "app/api/webhooks/360dialog/route.ts": {
    method: "POST",
    url: () => "/api/webhooks/360dialog",
    body: (w) => ({ event: "channel_updated", channel: { id: w.b.channelHubId } }),
    cases: [
      { as: "anonymous", status: 401, name: "unsigned" },
      { as: "admin", status: 401, name: "signed in, unsigned", headers: { "x-360dialog-signature": "0".repeat(64) } },
    ],
    entitled: [],
  },
  "app/api/webhooks/messages/route.ts": {
    method: "POST",
    url: () => "/api/webhooks/messages",
    body: () => ({ object: "whatsapp_business_account", entry: [] }),
    cases: [
      { as: "anonymous", status: 401, name: "no token" },
      { as: "clientA", status: 401, name: "forged token", headers: { "x-portal-webhook-token": "forged" } },
    ],
    entitled: [],
  },
  // The benchmark's ceiling: a 404 like any unknown path without the token of a benchmark's server.
  "app/api/bench/bare/route.ts#POST": {
    method: "POST",
    url: () => "/api/bench/bare",
    body: () => ({}),
    cases: [
      ...byPersona({ anonymous: 404, clientA: 404, clientB: 404, admin: 404 }),
      { as: "admin", status: 404, name: "a guessed token", headers: { "x-bench-token": "x".repeat(32) } },
    ],
    entitled: [],
  },
  "app/api/bench/bare/route.ts#GET": {
    method: "GET",
    url: () => "/api/bench/bare",
    cases: byPersona({ anonymous: 404, clientA: 404, clientB: 404, admin: 404 }),
    entitled: [],
  },
  // Anonymous probes are its purpose; it reports the database's state and nothing else.
  "app/api/health/route.ts": {
    method: "GET",
    url: () => "/api/health",
    cases: byPersona({ anonymous: 200, clientA: 200, clientB: 200, admin: 200 }),
    entitled: [],
  },
};

const routeFile = (key: string) => key.split("#")[0]!;

describe("route handlers", () => {
  it.each(Object.keys(ROUTES))("%s", async (key) => {
    const row = ROUTES[key]!;
    const world = await seedWorld(sandbox());
    for (const routeCase of row.cases) {
      await actAs(world, routeCase.as);
      const handler = (await load<Record<string, Handler>>(routeFile(key), row.env))[row.method]!;
      const body = row.body?.(world);
      const response = await handler(
        new Request(`${APP_ORIGIN}${row.url(world)}`, {
          method: row.method,
          headers: {
            origin: APP_ORIGIN,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...routeCase.headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
        { params: Promise.resolve(row.params?.(world) ?? {}) },
      );
      const text = await response.text();
      const label = `${key} as ${routeCase.as}${routeCase.name ? ` (${routeCase.name})` : ""}: ${text.slice(0, 200)}`;
      expect(check(response.status === routeCase.status, "status"), label).toBe(true);
      if (row.entitled.includes(routeCase.as)) {
        if (response.ok) expect(leaked(text, row.shows?.(world) ?? []), label).toEqual(row.shows?.(world) ?? []);
      } else {
        const found = leakedBeyond(`${row.url(world)} ${JSON.stringify(body)}`, text, secretsOfA(world));
        expect(check(found.length === 0, "leak"), `${label} leaked ${found.join(", ")}`).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Pages: the default export called as Next calls it, its guard's notFound()/redirect() read from
// the thrown digest, and what it returns serialised (see serialise) for the leak check.
type PageExpectation = "renders" | "notFound" | "toLogin" | { redirect: string };
type PageRow = {
  path: (world: World) => string;
  props: (world: World) => Record<string, Promise<Record<string, string>>>;
  expect: Record<Persona, PageExpectation>;
  entitled: Persona[];
  /** What each persona's rendered page must contain. */
  shows?: Partial<Record<Persona, (world: World) => string[]>>;
};

const noSearch = () => ({ searchParams: Promise.resolve({}) });
const ADMIN_ONLY: Record<Persona, PageExpectation> = {
  anonymous: "toLogin",
  clientA: "notFound",
  clientB: "notFound",
  admin: "renders",
};
const adminPage = (path: string): PageRow => ({
  path: () => path,
  props: noSearch,
  expect: ADMIN_ONLY,
  entitled: ["admin"],
});

const PAGES: Record<string, PageRow> = {
  "app/(portal)/channels/page.tsx": {
    path: () => "/channels",
    props: () => ({}),
    expect: { anonymous: "toLogin", clientA: "renders", clientB: "renders", admin: "renders" },
    entitled: ["clientA"],
    shows: { clientA: (w) => [w.a.channelHubId], clientB: (w) => [w.b.channelHubId] },
  },
  "app/(portal)/onboarding/page.tsx": {
    path: () => "/onboarding",
    props: noSearch,
    expect: { anonymous: "toLogin", clientA: "renders", clientB: "renders", admin: "renders" },
    entitled: ["clientA"],
    shows: { clientA: (w) => [w.a.email], clientB: (w) => [w.b.email] },
  },
  // The console's front door sends an admin on to its first table.
  "app/admin/page.tsx": {
    ...adminPage("/admin"),
    expect: { ...ADMIN_ONLY, admin: { redirect: "/admin/clients" } },
  },
  "app/admin/audit/page.tsx": adminPage("/admin/audit"),
  "app/admin/bindings/page.tsx": adminPage("/admin/bindings"),
  "app/admin/channels/page.tsx": adminPage("/admin/channels"),
  "app/admin/clients/page.tsx": adminPage("/admin/clients"),
  "app/admin/events/page.tsx": adminPage("/admin/events"),
  "app/admin/funnel/page.tsx": adminPage("/admin/funnel"),
  "app/admin/jobs/page.tsx": adminPage("/admin/jobs"),
  // The doctor: its page is the only way to it over HTTP (`npm run doctor` is the CLI).
  "app/admin/setup/page.tsx": adminPage("/admin/setup"),
  "app/admin/channels/[id]/page.tsx": {
    // Addressed by the Hub's channel id, as the console links it.
    path: (w) => `/admin/channels/${w.a.channelHubId}`,
    props: (w) => ({ params: Promise.resolve({ id: w.a.channelHubId }) }),
    expect: ADMIN_ONLY,
    entitled: ["admin"],
    shows: { admin: (w) => [w.a.phoneNumber] },
  },
  "app/admin/events/[id]/page.tsx": {
    path: (w) => `/admin/events/${w.a.eventId}`,
    props: (w) => ({ params: Promise.resolve({ id: w.a.eventId }) }),
    expect: ADMIN_ONLY,
    entitled: ["admin"],
    shows: { admin: (w) => [w.a.eventId] },
  },
};

function pageOutcomeMatches(outcome: Outcome, expected: PageExpectation, path: string): boolean {
  if (typeof expected === "object") return outcome.kind === "redirected" && outcome.location === expected.redirect;
  if (expected === "renders") return outcome.kind === "returned";
  if (expected === "notFound") return outcome.kind === "denied" && outcome.status === 404;
  return outcome.kind === "redirected" && outcome.location === `/login?${new URLSearchParams({ callbackUrl: path })}`;
}

describe("pages", () => {
  it.each(Object.keys(PAGES))("%s", async (file) => {
    const row = PAGES[file]!;
    const world = await seedWorld(sandbox());
    for (const persona of PERSONAS) {
      await actAs(world, persona);
      visiting(row.path(world));
      const page = (await load<{ default: (props: unknown) => Promise<unknown> }>(file)).default;
      const outcome = await settle(() => Promise.resolve(page(row.props(world))));
      const text = outcome.kind === "returned" ? serialise(outcome.value) : JSON.stringify(outcome);
      const label = `${file} as ${persona}: ${outcome.kind === "returned" ? "rendered" : JSON.stringify(outcome)}`;
      expect(check(pageOutcomeMatches(outcome, row.expect[persona], row.path(world)), "status"), label).toBe(true);
      const shows = row.shows?.[persona]?.(world) ?? [];
      expect(leaked(text, shows), `${label} should show its own data`).toEqual(shows);
      if (!row.entitled.includes(persona)) {
        const found = leakedBeyond(row.path(world), text, secretsOfA(world));
        expect(check(found.length === 0, "leak"), `${label} leaked ${found.join(", ")}`).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Server actions: posted as Next would, with FormData naming A's rows.
type ActionRow = {
  form: (world: World) => Record<string, string>;
  /** (state, formData) for useActionState forms, (formData) for plain form actions. */
  takesState: boolean;
  /** What the admin's call ends in: the action's success line, or the redirect it answers with. */
  admin: { kind: "success" } | { kind: "redirect"; location: string };
};

const ACTIONS: Record<string, ActionRow> = {
  [actionId("app/admin/bindings/actions.ts", "decideBindingAction")]: {
    form: (w) => ({ clientId: w.a.pendingClientId, decision: "approve" }),
    takesState: false,
    admin: { kind: "success" },
  },
  [actionId("app/admin/clients/actions.ts", "decideClientBindingAction")]: {
    form: (w) => ({ clientId: w.a.pendingClientId, decision: "reject" }),
    takesState: true,
    admin: { kind: "success" },
  },
  [actionId("app/admin/channels/actions.ts", "rotateKeyAction")]: {
    form: (w) => ({ channelId: w.a.channelId, confirm: "yes" }),
    takesState: true,
    admin: { kind: "success" },
  },
  [actionId("app/admin/channels/actions.ts", "retryKeyProvisioningAction")]: {
    form: (w) => ({ channelId: w.a.failedKeyChannelId }),
    takesState: true,
    admin: { kind: "success" },
  },
  [actionId("app/admin/channels/actions.ts", "retryMessagingWebhookAction")]: {
    form: (w) => ({ channelId: w.a.channelId }),
    takesState: true,
    admin: { kind: "success" },
  },
  [actionId("app/admin/channels/actions.ts", "resyncChannelAction")]: {
    form: (w) => ({ channelId: w.a.channelId }),
    takesState: true,
    admin: { kind: "success" },
  },
  [actionId("app/admin/events/actions.ts", "retryWebhookEventAction")]: {
    form: (w) => ({ eventId: w.a.eventId }),
    takesState: true,
    admin: { kind: "success" },
  },
  [actionId("app/admin/jobs/actions.ts", "retryJobAction")]: {
    form: (w) => ({ jobId: w.a.jobId }),
    takesState: true,
    admin: { kind: "success" },
  },
  // The doctor's "Set them": points the partner's URLs at the Hub (the sandbox here).
  [actionId("app/admin/setup/actions.ts", "setPartnerUrlsAction")]: {
    form: () => ({ confirm: "yes" }),
    takesState: false,
    admin: { kind: "redirect", location: "/admin/setup?urls=set" },
  },
};

function formDataOf(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

describe("server actions", () => {
  it.each(Object.keys(ACTIONS))("%s", async (id) => {
    const row = ACTIONS[id]!;
    const [file, exportName] = id.split("#") as [string, string];
    const world = await seedWorld(sandbox());
    const call = async () => {
      const action = (await load<Record<string, (...args: unknown[]) => Promise<unknown>>>(file))[exportName]!;
      const form = formDataOf(row.form(world));
      return settle(() => (row.takesState ? action(IDLE, form) : action(form)));
    };

    const before = await snapshotWritableState();
    for (const persona of ["anonymous", "clientA", "clientB"] as const) {
      await actAs(world, persona);
      const outcome = await call();
      const label = `${id} as ${persona}: ${JSON.stringify(outcome)}`;
      expect(check(outcome.kind === "denied" && outcome.status === 404, "status"), label).toBe(true);
      const wroteNothing =
        (await snapshotWritableState()) === before &&
        revalidatedPaths.length === 0 &&
        scheduledAfterResponse.length === 0;
      expect(check(wroteNothing, "leak"), `${label} changed state`).toBe(true);
    }

    await actAs(world, "admin");
    const auditBefore = await testDb().auditLog.count();
    const outcome = await call();
    const label = `${id} as admin: ${JSON.stringify(outcome)}`;
    const worked =
      row.admin.kind === "redirect"
        ? outcome.kind === "redirected" && outcome.location === row.admin.location
        : outcome.kind === "returned" &&
          (outcome.value === undefined || (outcome.value as { status?: string }).status === "success");
    expect(check(worked, "status"), label).toBe(true);
    expect(await testDb().auditLog.count(), `${label} left no audit entry`).toBe(auditBefore + 1);
  });
});

// ---------------------------------------------------------------------------------------------
describe("inventory", () => {
  it("has a row or a public entry for every route handler, page and server action in the tree", async () => {
    const covered = new Set([
      ...Object.keys(PUBLIC),
      ...Object.keys(ROUTES).map(routeFile),
      ...Object.keys(PAGES),
      ...Object.keys(ACTIONS),
    ]);
    const discovered = discoverEndpoints();
    expect(discovered.filter((endpoint) => !covered.has(endpoint.id))).toEqual([]);
    expect([...covered].filter((id) => !discovered.some((endpoint) => endpoint.id === id))).toEqual([]);

    // Every method a route file exports is a row (a new PUT on an old file needs one too).
    for (const file of new Set(Object.keys(ROUTES).map(routeFile))) {
      const exported = Object.keys(await load<Record<string, unknown>>(file)).filter((name) =>
        ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].includes(name),
      );
      const rows = Object.entries(ROUTES)
        .filter(([key]) => routeFile(key) === file)
        .map(([, row]) => row.method);
      expect(exported.sort(), file).toEqual([...new Set(rows)].sort());
    }
  });
});

afterAll(() => {
  const endpoints = discoverEndpoints().length;
  printProof("authorization matrix", {
    endpoints,
    cases: tally.cases,
    leaks: tally.leaks,
    wrong_status: tally.wrongStatus,
  });
});
