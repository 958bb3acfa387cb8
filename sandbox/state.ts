import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { CHANNEL_STATUSES } from "./config";
import type { Logger } from "./logger";

// The records are zod schemas so the persisted file is checked against the very shapes the code uses.

const billingModel = z.enum(["partner_paid", "direct_paid"]);
export type BillingModel = z.infer<typeof billingModel>;

const clientRecord = z.object({
  id: z.string(),
  partnerId: z.string(),
  name: z.string(),
  email: z.string(),
  billing: billingModel,
  apiKeyPermission: z.boolean(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type ClientRecord = z.infer<typeof clientRecord>;

const channelRecord = z.object({
  id: z.string(),
  clientId: z.string(),
  wabaId: z.string(),
  phoneNumber: z.string(),
  // Files written before the sandbox spoke 360dialog's vocabulary hold `pending` and `submitted`.
  status: z.preprocess(
    (value) => (value === "pending" ? "created" : value === "submitted" ? "ready" : value),
    z.enum(CHANNEL_STATUSES),
  ),
  currentLimit: z.string(),
  qualityRating: z.string(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ChannelRecord = z.infer<typeof channelRecord>;

const apiKeyRecord = z.object({
  id: z.string(),
  channelId: z.string(),
  apiKey: z.string(),
  address: z.string(),
  appId: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecord>;

/** A consumed IO signature with its io_timestamp (UNIX seconds), which decides when it may be forgotten. */
const usedSignature = z.object({ signature: z.string(), timestamp: z.number().int() });
export type UsedSignature = z.infer<typeof usedSignature>;

const signatureCheck = z.object({
  at: z.string(),
  outcome: z.enum(["accepted", "refused"]),
  reason: z.string(),
  partnerId: z.string(),
  timestamp: z.string().nullable(),
  /** First 16 hex chars: enough to tell two signatures apart without copying a credential around. */
  signaturePrefix: z.string().nullable(),
  sessionId: z.string().nullable(),
});
export type SignatureCheck = z.infer<typeof signatureCheck>;

/** One opened IO page; the form carries its id so the POST needs no signature. */
const ioSession = z.object({
  id: z.string(),
  partnerId: z.string(),
  createdAt: z.string(),
  email: z.string(),
  name: z.string(),
  state: z.string().nullable(),
  redirectUrl: z.string(),
  offeredNumbers: z.array(z.string()),
  completedAt: z.string().nullable(),
  /** Where the completed session redirected, so a resubmission lands on the same result. */
  resultUrl: z.string().nullable(),
});
export type IoSession = z.infer<typeof ioSession>;

const deliveryAttempt = z.object({
  at: z.string(),
  url: z.string(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  /** Set when a fault made the sandbox treat this attempt as failed whatever the answer. */
  forcedFailure: z.boolean(),
  durationMs: z.number(),
  responseBody: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttempt>;

const deliveryRecord = z.object({
  /** Unique per delivery; a duplicated event gets two deliveries with the same eventId. */
  deliveryId: z.string(),
  eventId: z.string(),
  event: z.string(),
  body: z.string(),
  createdAt: z.string(),
  state: z.enum(["pending", "delivered", "failed", "skipped"]),
  attempts: z.array(deliveryAttempt),
  faults: z.array(z.string()),
});
export type DeliveryRecord = z.infer<typeof deliveryRecord>;

/** A number's messaging webhook, set through `POST {address}/v1/configs/webhook` with a channel key. */
const messagingWebhook = z.object({
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  setAt: z.string(),
  setWithKeyId: z.string(),
});
export type MessagingWebhook = z.infer<typeof messagingWebhook>;

export const MESSAGE_STATUSES = ["accepted", "sent", "delivered", "failed"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** An outbound message accepted by `POST {address}/messages`. */
const messageRecord = z.object({
  id: z.string(),
  channelId: z.string(),
  /** As the caller wrote it; `waId` is its digits, the customer's WhatsApp id. */
  to: z.string(),
  waId: z.string(),
  type: z.enum(["text", "template"]),
  text: z.string().nullable(),
  template: z.object({ name: z.string(), language: z.string() }).nullable(),
  status: z.enum(MESSAGE_STATUSES),
  error: z.object({ code: z.number().int(), title: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MessageRecord = z.infer<typeof messageRecord>;

/** A simulated message from a customer; it opens that customer's 24-hour window. */
const inboundRecord = z.object({
  id: z.string(),
  channelId: z.string(),
  from: z.string(),
  name: z.string(),
  text: z.string(),
  receivedAt: z.string(),
});
export type InboundRecord = z.infer<typeof inboundRecord>;

const messagingDeliveryRecord = deliveryRecord.extend({
  channelId: z.string(),
  /** The outbound message a status is about, or the inbound message delivered. */
  messageId: z.string(),
});
export type MessagingDeliveryRecord = z.infer<typeof messagingDeliveryRecord>;

export interface PartnerSettings {
  partnerRedirectUrl: string;
  webhookUrl: string;
}

/** What the state file holds besides the partner settings, which always come from configuration. */
const persistedState = z.object({
  clients: z.array(clientRecord),
  channels: z.array(channelRecord),
  apiKeys: z.array(apiKeyRecord),
  /** Creations per channel id, including ones later revoked. */
  apiKeyCreations: z.record(z.string(), z.number().int().min(0)),
  // Files written before signatures carried their timestamp list bare strings. Their age is
  // unknown, so they are dropped; the rest of the file (clients, channels) is kept.
  usedSignatures: z
    .array(z.union([usedSignature, z.string()]))
    .transform((list) => list.filter((used) => typeof used !== "string")),
  signatureChecks: z.array(signatureCheck),
  sessions: z.array(ioSession),
  deliveries: z.array(deliveryRecord),
  phoneSequence: z.number().int().min(0),
  // Files written before the messaging API have none of these; they start empty.
  /** By channel id. */
  messagingWebhooks: z.record(z.string(), messagingWebhook).default({}),
  /** By channel id, then customer wa_id: when that customer last wrote in (ISO). */
  customerWindows: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  messages: z.array(messageRecord).default([]),
  inbound: z.array(inboundRecord).default([]),
  messagingDeliveries: z.array(messagingDeliveryRecord).default([]),
});

export type SandboxState = z.infer<typeof persistedState> & { partner: PartnerSettings };

export function emptyState(partner: PartnerSettings): SandboxState {
  return {
    partner: { ...partner },
    clients: [],
    channels: [],
    apiKeys: [],
    apiKeyCreations: {},
    usedSignatures: [],
    signatureChecks: [],
    sessions: [],
    deliveries: [],
    phoneSequence: 0,
    messagingWebhooks: {},
    customerWindows: {},
    messages: [],
    inbound: [],
    messagingDeliveries: [],
  };
}

// Bounded so a long dev session does not grow the file without end.
const KEEP_DELIVERIES = 500;
const KEEP_CHECKS = 500;
const KEEP_MESSAGES = 500;

function keepLast(list: unknown[], count: number): void {
  if (list.length > count) list.splice(0, list.length - count);
}

/**
 * Holds the state and writes it to disk shortly after each change, so a restarted dev sandbox still
 * knows its clients and refuses signatures it already consumed. Partner settings are not restored:
 * they come from configuration on each start so a changed APP_URL takes effect.
 */
export class StateStore {
  state: SandboxState;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string | null,
    private readonly partner: PartnerSettings,
    private readonly logger: Logger,
  ) {
    const restored = file ? readStateFile(file, logger) : null;
    this.state = { ...emptyState(partner), ...restored };
  }

  reset(): void {
    this.state = emptyState(this.partner);
    this.changed();
  }

  isSignatureUsed(signature: string): boolean {
    return this.state.usedSignatures.some((used) => used.signature === signature);
  }

  /**
   * Signatures older than the maximum age are dropped on the way: the age check refuses them before
   * the used check is reached, so remembering them would only grow the state.
   */
  rememberSignature(used: UsedSignature, nowSeconds: number, maxAgeSeconds: number): void {
    this.state.usedSignatures = this.state.usedSignatures.filter((u) => nowSeconds - u.timestamp <= maxAgeSeconds);
    this.state.usedSignatures.push(used);
    this.changed();
  }

  changed(): void {
    keepLast(this.state.deliveries, KEEP_DELIVERIES);
    keepLast(this.state.signatureChecks, KEEP_CHECKS);
    keepLast(this.state.messages, KEEP_MESSAGES);
    keepLast(this.state.inbound, KEEP_MESSAGES);
    keepLast(this.state.messagingDeliveries, KEEP_DELIVERIES);
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 100);
  }

  /** A failed write is logged, not thrown: it runs on a timer, where a throw would end the process. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.file) return;
    try {
      writeStateFile(this.file, this.state);
    } catch (error) {
      this.logger.error(
        `could not write the state file ${this.file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** null (start empty) when the file is missing or invalid; an invalid one is replaced on the next write. */
function readStateFile(file: string, logger: Logger): z.infer<typeof persistedState> | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (isMissingFile(error)) return null;
    logger.warn(
      `could not read the state file ${file}, starting empty: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    logger.warn(`the state file ${file} is not JSON; starting empty and replacing it on the next change`);
    return null;
  }
  const parsed = persistedState.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  logger.warn(
    `the state file ${file} has an unexpected shape (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}); starting empty and replacing it on the next change`,
  );
  return null;
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function writeStateFile(file: string, state: SandboxState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}
