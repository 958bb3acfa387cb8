import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { assertHttpPartnerUrls, loadSandboxConfig, type SandboxConfig } from "./config";
import type { SandboxContext } from "./context";
import { controlApi } from "./control";
import { Faults } from "./faults";
import { errorPage } from "./html";
import { hubError } from "./hub-errors";
import { MailStore, startMailCatcher } from "./mail";
import { Messaging } from "./messaging";
import { messagingApi } from "./messaging-api";
import { homePage } from "./pages/home";
import { onboardingPages } from "./pages/onboarding";
import { partnerApi } from "./partner-api";
import { StateStore } from "./state";
import { Timers } from "./timers";
import { TokenStore } from "./tokens";
import { WebhookDispatcher } from "./webhooks";

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:8082 (Partner API at `${url}/api/v2`). */
  url: string;
  smtpPort: number;
  /** The live configuration, with the real ports filled in when 0 was asked for. */
  config: SandboxConfig;
  close(): Promise<void>;
}

/**
 * Options override the environment (same variables as the app, see config.ts). The logger is
 * silent unless one is passed, so tests stay quiet; main.ts passes the console logger.
 */
export async function startSandbox(options: Partial<SandboxConfig> = {}): Promise<RunningSandbox> {
  const initial: SandboxConfig = { ...loadSandboxConfig(process.env), ...options };
  assertHttpPartnerUrls(initial);
  const config: SandboxConfig = { ...initial };
  const logger = config.logger;
  const store = new StateStore(
    config.stateFile,
    { partnerRedirectUrl: config.partnerRedirectUrl, webhookUrl: config.webhookUrl },
    logger,
  );
  const faults = new Faults();
  const timers = new Timers();
  const mail = new MailStore();
  const tokens = new TokenStore();
  const webhooks = new WebhookDispatcher(config, store, faults, timers);
  const messaging = new Messaging(config, store, faults, timers);
  const ctx: SandboxContext = { config, store, faults, timers, webhooks, mail, messaging, tokens };

  const reset = (): void => {
    timers.cancelAll();
    webhooks.abortAll();
    messaging.abortAll();
    faults.clear();
    tokens.clear();
    mail.clear();
    Object.assign(config, initial);
    store.reset();
  };

  const app = new Hono();
  app.route("/", homePage(ctx));
  app.route("/", onboardingPages(ctx));
  app.route("/api/v2", partnerApi(ctx));
  // The messaging API lives at the root, where an API key's `address` points.
  app.route("/", messagingApi(ctx));
  app.route("/__sandbox", controlApi(ctx, reset));
  // Only the top-level handler counts: route() does not carry a sub-app's notFound.
  app.notFound(notFoundAnswer);
  app.onError((error, c) => {
    logger.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ meta: { success: false, http_code: 500, developer_message: "sandbox error" } }, 500);
  });

  const catcher = await startMailCatcher(config.host, config.smtpPort, mail, logger);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await catcher.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  // Reset restores `initial`, so it must carry the real ports too.
  for (const target of [initial, config]) {
    target.port = port;
    target.smtpPort = catcher.port;
  }

  let closed = false;
  return {
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    smtpPort: catcher.port,
    config,
    async close() {
      if (closed) return;
      closed = true;
      timers.cancelAll();
      webhooks.abortAll();
      messaging.abortAll();
      store.flush();
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive sockets and hung fault answers would otherwise hold close() open.
          server.closeAllConnections();
        }),
        catcher.close(),
      ]);
    },
  };
}

const isUnder = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

/** Unknown paths and wrong methods answer in the language of the API they fell into. */
function notFoundAnswer(c: Context): Response {
  const { method, path } = c.req;
  if (isUnder(path, "/api/v2") || isUnder(path, "/v1") || isUnder(path, "/messages")) {
    return hubError(c, 404, `No route for ${method} ${path}`);
  }
  if (isUnder(path, "/__sandbox")) return c.json({ error: "unknown sandbox control endpoint", method, path }, 404);
  return c.html(errorPage("Not found", "not_found", "The Hub sandbox has no page at this address."), 404);
}
