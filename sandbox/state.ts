import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ChannelStatus } from "./config";

export type BillingModel = "partner_paid" | "direct_paid";

export interface ClientRecord {
  id: string;
  partnerId: string;
  name: string;
  email: string;
  billing: BillingModel;
  apiKeyPermission: boolean;
  createdAt: string;
  modifiedAt: string;
}

export interface ChannelRecord {
  id: string;
  clientId: string;
  wabaId: string;
  phoneNumber: string;
  status: ChannelStatus;
  currentLimit: string;
  qualityRating: string;
  createdAt: string;
  modifiedAt: string;
  revokedAt: string | null;
}

export interface ApiKeyRecord {
  id: string;
  channelId: string;
  apiKey: string;
  address: string;
  appId: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface SignatureCheck {
  at: string;
  outcome: "accepted" | "refused";
  reason: string;
  partnerId: string;
  timestamp: string | null;
  /** First 16 hex chars: enough to tell two signatures apart without copying a credential around. */
  signaturePrefix: string | null;
  sessionId: string | null;
}

/** One opened IO page; the form carries its id so the POST needs no signature. */
export interface IoSession {
  id: string;
  partnerId: string;
  createdAt: string;
  email: string;
  name: string;
  state: string | null;
  redirectUrl: string;
  offeredNumbers: string[];
  completedAt: string | null;
  /** Where the completed session redirected, so a resubmission lands on the same result. */
  resultUrl: string | null;
}

export interface DeliveryAttempt {
  at: string;
  url: string;
  status: number | null;
  error: string | null;
  /** Set when a fault made the sandbox treat this attempt as failed whatever the answer. */
  forcedFailure: boolean;
  durationMs: number;
  responseBody: string | null;
}

export interface DeliveryRecord {
  /** Unique per delivery; a duplicated event gets two deliveries with the same eventId. */
  deliveryId: string;
  eventId: string;
  event: string;
  body: string;
  createdAt: string;
  state: "pending" | "delivered" | "failed" | "skipped";
  attempts: DeliveryAttempt[];
  faults: string[];
}

export interface PartnerSettings {
  partnerRedirectUrl: string;
  webhookUrl: string;
}

export interface SandboxState {
  partner: PartnerSettings;
  clients: ClientRecord[];
  channels: ChannelRecord[];
  apiKeys: ApiKeyRecord[];
  /** Creations per channel id, including ones later revoked. */
  apiKeyCreations: Record<string, number>;
  usedSignatures: string[];
  signatureChecks: SignatureCheck[];
  sessions: IoSession[];
  deliveries: DeliveryRecord[];
  phoneSequence: number;
}

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
  };
}

// Bounded so a long dev session does not grow the file without end.
const KEEP_DELIVERIES = 500;
const KEEP_CHECKS = 500;

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
  ) {
    this.state = emptyState(partner);
    if (file) this.state = { ...this.load(file), partner: { ...partner } };
  }

  private load(file: string): SandboxState {
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<SandboxState>;
      return { ...emptyState(this.partner), ...parsed };
    } catch {
      return emptyState(this.partner);
    }
  }

  reset(): void {
    this.state = emptyState(this.partner);
    this.changed();
  }

  changed(): void {
    if (this.state.deliveries.length > KEEP_DELIVERIES) this.state.deliveries.splice(0, this.state.deliveries.length - KEEP_DELIVERIES);
    if (this.state.signatureChecks.length > KEEP_CHECKS) this.state.signatureChecks.splice(0, this.state.signatureChecks.length - KEEP_CHECKS);
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 100);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2));
    renameSync(tmp, this.file);
  }
}
