import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localDefaults } from "@/lib/config/local-defaults";
import { runReconciliation } from "@/lib/cron/run-reconciliation";
import { createPrismaClient } from "@/lib/db";
import { createPartnerApi } from "@/lib/hub/partner-api";
import { control, waitFor } from "@/sandbox/test/helpers";
import { createUser, testDb } from "@/test/db";
import { startHubSandboxPerFile } from "@/test/hub-sandbox";
import { TEST_KEY_RING, TEST_MESSAGING } from "@/test/jobs";
import { importRouteWith } from "@/test/route-harness";
import type { CheckId, CheckResult } from "./check-result";
import { pointHubAtDeployment } from "./point-hub-at-deployment";
import { runDoctor } from "./run-doctor";

// The sandbox plays the Hub with the very values an unconfigured deployment defaults to.
const currentSandbox = startHubSandboxPerFile({
  partnerId: localDefaults.HUB_PARTNER_ID,
  platformSecret: localDefaults.HUB_PLATFORM_SECRET,
  apiKey: localDefaults.HUB_API_KEY,
  username: localDefaults.HUB_USERNAME,
  password: localDefaults.HUB_PASSWORD,
});

type Handler = (request: Request) => Promise<Response>;
let receive: Handler = async () => new Response(null, { status: 404 });
let app: Server;
let appUrl: string;

/** This deployment's webhook receiver over real HTTP: the route handler behind a node server. */
async function serve(request: IncomingMessage, response: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
  const answer =
    request.method === "POST" && request.url === "/api/webhooks/360dialog"
      ? await receive(new Request(`${appUrl}${request.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }))
      : new Response(null, { status: 404 });
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
}

beforeAll(async () => {
  app = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

/** The deployment under test: the defaults, with only the ports of this run and what a test changes. */
const deployment = (overrides: Record<string, string> = {}) => ({
  APP_URL: appUrl,
  HUB_API_URL: `${currentSandbox().url}/api/v2`,
  ...overrides,
});

/** Starts the receiver with the deployment's configuration, then runs the doctor with the same. */
async function doctor(overrides: Record<string, string> = {}): Promise<CheckResult[]> {
  const env = deployment(overrides);
  receive = (await importRouteWith(() => import("@/app/api/webhooks/360dialog/route"), env)).POST;
  return runDoctor({ source: { ...process.env, ...env }, connect: () => testDb() });
}

const statusOf = (results: CheckResult[]) => Object.fromEntries(results.map((result) => [result.id, result.status]));
const notPassing = (results: CheckResult[]) => results.filter((result) => result.status !== "pass");
const find = (results: CheckResult[], id: CheckId) => results.find((result) => result.id === id)!;

const partnerApi = () =>
  createPartnerApi({
    baseUrl: `${currentSandbox().url}/api/v2`,
    partnerId: localDefaults.HUB_PARTNER_ID,
    apiKey: localDefaults.HUB_API_KEY,
  });

beforeEach(async () => {
  // The Hub points at this deployment, and the cron has run, as on a deployment that works.
  await control(currentSandbox(), "PATCH", "/config", {
    partnerRedirectUrl: `${appUrl}/onboarding`,
    webhookUrl: `${appUrl}/api/webhooks/360dialog`,
  });
  await runReconciliation({
    db: testDb(),
    partnerApi: partnerApi(),
    keyRing: TEST_KEY_RING,
    messaging: TEST_MESSAGING,
    connectionString: process.env.DATABASE_URL!,
    quiet: true,
  });
});

describe("runDoctor against the sandbox", () => {
  it("passes every check with the default configuration, in the reported order", async () => {
    const results = await doctor();
    expect(notPassing(results)).toEqual([]);
    expect(results.map((result) => result.id)).toEqual([
      "variables",
      "database",
      "migrations",
      "partner_api",
      "hub_redirect_url",
      "hub_webhook_url",
      "webhook_secret",
      "key_ring",
      "job_queue",
      "cron",
    ]);
    // The ping was answered without a trace: no event, no job.
    expect(await testDb().webhookEvent.count()).toBe(0);
  });

  it("turns only the Partner API red for a wrong partner id, and skips the URL checks that need it", async () => {
    const results = await doctor({ HUB_PARTNER_ID: "someoneElsePA" });
    expect(notPassing(results).map((result) => [result.id, result.status])).toEqual([
      ["partner_api", "fail"],
      ["hub_redirect_url", "skipped"],
      ["hub_webhook_url", "skipped"],
    ]);
    expect(find(results, "partner_api").detail).toContain("403");
    expect(find(results, "partner_api").fix).toContain("HUB_PARTNER_ID");
  });

  it("turns only the webhook check red once the Hub's webhooks are refused for another secret, and green once one is accepted", async () => {
    const wrongSecret = { HUB_PLATFORM_SECRET: "a-secret-the-hub-does-not-have" };
    await doctor(wrongSecret);
    await control(currentSandbox(), "POST", "/events", { event: "client_created", data: { id: "anyCL" } });
    await waitFor(() => testDb().heartbeat.findUnique({ where: { key: "partner_webhook.signature_refused" } }));

    const results = await doctor(wrongSecret);
    expect(notPassing(results).map((result) => result.id)).toEqual(["webhook_secret"]);
    expect(find(results, "webhook_secret").fix).toBe(
      "360dialog signs with another secret: copy the platform secret from the Partner Hub into HUB_PLATFORM_SECRET.",
    );

    // The fix: the Hub's secret, which the sandbox signs with.
    const hubSecret = { HUB_PLATFORM_SECRET: localDefaults.HUB_PLATFORM_SECRET };
    await doctor(hubSecret);
    await control(currentSandbox(), "POST", "/events", { event: "client_created", data: { id: "otherCL" } });
    await waitFor(() => testDb().webhookEvent.findFirst({ where: { source: "PARTNER" } }));
    expect(notPassing(await doctor(hubSecret))).toEqual([]);
  });

  it("turns only the webhook URL check red when the Hub delivers elsewhere, and “Set them” makes it green", async () => {
    await control(currentSandbox(), "PATCH", "/config", { webhookUrl: "https://elsewhere.example.com/hooks" });
    const results = await doctor();
    expect(notPassing(results).map((result) => result.id)).toEqual(["hub_webhook_url"]);
    expect(find(results, "hub_webhook_url").detail).toContain("https://elsewhere.example.com/hooks");
    expect(find(results, "hub_webhook_url").fix).toContain(`${appUrl}/api/webhooks/360dialog`);

    await control(currentSandbox(), "PATCH", "/config", { partnerRedirectUrl: "https://elsewhere.example.com/" });
    expect(notPassing(await doctor()).map((result) => result.id)).toEqual(["hub_redirect_url", "hub_webhook_url"]);

    const admin = await createUser("admin@example.com", "ADMIN");
    await pointHubAtDeployment(testDb(), partnerApi(), { appUrl, admin });
    expect(notPassing(await doctor())).toEqual([]);
    expect(await testDb().auditLog.findMany()).toEqual([
      expect.objectContaining({
        actorEmail: "admin@example.com",
        action: "partner.set_urls",
        targetType: "partner_settings",
        detail: {
          before: {
            partnerRedirectUrl: "https://elsewhere.example.com/",
            webhookUrl: "https://elsewhere.example.com/hooks",
          },
          after: { partnerRedirectUrl: `${appUrl}/onboarding`, webhookUrl: `${appUrl}/api/webhooks/360dialog` },
        },
      }),
    ]);
  });

  it("turns only the key ring red when the key the canary was sealed with is missing", async () => {
    const key = () => randomBytes(32).toString("base64");
    const [v1, v2] = [key(), key()];
    expect(notPassing(await doctor({ ENCRYPTION_KEYS: `1:${v1},2:${v2}` }))).toEqual([]);

    const lostVersion2 = await doctor({ ENCRYPTION_KEYS: `1:${v1}` });
    expect(notPassing(lostVersion2).map((result) => result.id)).toEqual(["key_ring"]);
    expect(find(lostVersion2, "key_ring").fix).toContain("Restore key version 2");

    // Unset in development means the published local key stands in: it opens nothing sealed before.
    const withoutKeys: Record<string, string | undefined> = {
      ...process.env,
      ...deployment(),
      ENCRYPTION_KEYS: undefined,
    };
    receive = (await importRouteWith(() => import("@/app/api/webhooks/360dialog/route"), deployment())).POST;
    const unset = await runDoctor({ source: withoutKeys, connect: () => testDb() });
    expect(statusOf(unset)).toMatchObject({ variables: "pass", key_ring: "fail" });
    expect(notPassing(unset).map((result) => result.id)).toEqual(["key_ring"]);
  });
});

describe("runDoctor with a broken environment", () => {
  /** A production configuration that parses: no published default, loopback so http and the sandbox are allowed. */
  const production = () => ({
    NODE_ENV: "production",
    DATABASE_URL: process.env.DATABASE_URL!,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    HUB_ENV: "local",
    HUB_PARTNER_ID: localDefaults.HUB_PARTNER_ID,
    HUB_PLATFORM_SECRET: randomBytes(16).toString("hex"),
    HUB_API_KEY: localDefaults.HUB_API_KEY,
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    CRON_SECRET: randomBytes(16).toString("hex"),
    SMTP_URL: "smtp://127.0.0.1:1025",
    EMAIL_FROM: "portal@example.com",
  });

  /** The receiver runs the complete configuration; the doctor reads it with `breakage` applied. */
  async function productionDoctor(breakage: Record<string, string | undefined> = {}) {
    const complete = { ...production(), ...deployment() };
    receive = (await importRouteWith(() => import("@/app/api/webhooks/360dialog/route"), complete)).POST;
    return runDoctor({ source: { ...complete, ...breakage }, connect: () => testDb() });
  }

  it("passes a complete production configuration", async () => {
    expect(notPassing(await productionDoctor())).toEqual([]);
  });

  it("reports a missing encryption key ring in production as the variable and the key ring, running the rest", async () => {
    const results = await productionDoctor({ ENCRYPTION_KEYS: undefined });
    expect(notPassing(results).map((result) => result.id)).toEqual(["variables", "key_ring"]);
    expect(find(results, "variables").detail).toContain("ENCRYPTION_KEYS: is required");
    expect(find(results, "key_ring").fix).toContain("Set ENCRYPTION_KEYS");
  });

  it("skips what needs a broken variable and runs the rest on the real values", async () => {
    const results = await productionDoctor({ HUB_PARTNER_ID: undefined, CRON_SECRET: "short" });
    expect(notPassing(results).map((result) => [result.id, result.status])).toEqual([
      ["variables", "fail"],
      ["partner_api", "skipped"],
      ["hub_redirect_url", "skipped"],
      ["hub_webhook_url", "skipped"],
    ]);
    expect(find(results, "variables").fix).toContain("HUB_PARTNER_ID, CRON_SECRET");
  });

  it("turns only the database red when it cannot be reached, skipping what reads it", async () => {
    const unreachable = createPrismaClient("postgresql://postgres:postgres@127.0.0.1:9/none");
    try {
      const results = await runDoctor({
        source: { ...process.env, ...deployment(), DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:9/none" },
        connect: () => unreachable,
      });
      expect(statusOf(results)).toEqual({
        variables: "pass",
        database: "fail",
        migrations: "skipped",
        partner_api: "pass",
        hub_redirect_url: "pass",
        hub_webhook_url: "pass",
        webhook_secret: "skipped",
        key_ring: "skipped",
        job_queue: "skipped",
        cron: "skipped",
      });
      expect(find(results, "database").detail).not.toContain("postgres:postgres");
    } finally {
      await unreachable.$disconnect();
    }
  });
});
