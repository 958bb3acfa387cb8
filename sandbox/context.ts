import type { SandboxConfig } from "./config";
import type { Faults } from "./faults";
import type { MailStore } from "./mail";
import type { Messaging } from "./messaging";
import type { StateStore } from "./state";
import type { Timers } from "./timers";
import type { TokenStore } from "./tokens";
import type { WebhookDispatcher } from "./webhooks";

/** What every route module needs; `config` is the live, PATCH-able configuration. */
export interface SandboxContext {
  config: SandboxConfig;
  store: StateStore;
  faults: Faults;
  timers: Timers;
  webhooks: WebhookDispatcher;
  mail: MailStore;
  messaging: Messaging;
  tokens: TokenStore;
}
