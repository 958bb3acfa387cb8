import type { SandboxContext } from "./context";
import { revokeAccess } from "./events";
import { newChannelId, newClientId, newWabaId, phoneNumberFor } from "./ids";
import { startLifecycle } from "./lifecycle";
import type { BillingModel, ChannelRecord, ClientRecord, IoSession } from "./state";

export interface OnboardingChoice {
  email: string;
  name: string;
  numbers: string[];
  revoke: string[];
  billing: BillingModel;
  apiKeyPermission: boolean;
}

const MAX_NUMBERS = 3;

/** Numbers are reserved when offered so two open pages never offer the same one. */
export function reserveNumbers(ctx: SandboxContext, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    ctx.store.state.phoneSequence += 1;
    out.push(phoneNumberFor(ctx.store.state.phoneSequence));
  }
  ctx.store.changed();
  return out;
}

export function findClientByEmail(ctx: SandboxContext, partnerId: string, email: string): ClientRecord | undefined {
  const wanted = email.trim().toLowerCase();
  return ctx.store.state.clients.find((c) => c.partnerId === partnerId && c.email.toLowerCase() === wanted);
}

export function activeChannelsOf(ctx: SandboxContext, clientId: string): ChannelRecord[] {
  return ctx.store.state.channels.filter((c) => c.clientId === clientId && c.revokedAt === null);
}

/** Returns a list of human-readable problems; empty means the choice can be applied. */
export function validateChoice(ctx: SandboxContext, session: IoSession, choice: OnboardingChoice): string[] {
  const problems: string[] = [];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(choice.email)) problems.push("Enter a valid email address.");
  if (choice.name.trim() === "") problems.push("Enter the client name.");
  if (choice.numbers.length < 1 || choice.numbers.length > MAX_NUMBERS)
    problems.push("Select one to three phone numbers.");
  if (choice.numbers.some((n) => !session.offeredNumbers.includes(n)))
    problems.push("Select only offered phone numbers.");
  const existing = findClientByEmail(ctx, session.partnerId, choice.email);
  const revocable = existing ? activeChannelsOf(ctx, existing.id).map((c) => c.id) : [];
  if (choice.revoke.some((id) => !revocable.includes(id))) problems.push("Only this client's numbers can be revoked.");
  return problems;
}

export interface OnboardingResult {
  client: ClientRecord;
  clientIsNew: boolean;
  channels: ChannelRecord[];
  revoked: ChannelRecord[];
}

export function applyChoice(ctx: SandboxContext, session: IoSession, choice: OnboardingChoice): OnboardingResult {
  const now = new Date().toISOString();
  const state = ctx.store.state;
  let client = findClientByEmail(ctx, session.partnerId, choice.email);
  const clientIsNew = !client;
  if (!client) {
    client = {
      id: unique(newClientId, (id) => state.clients.some((c) => c.id === id)),
      partnerId: session.partnerId,
      name: choice.name.trim(),
      email: choice.email.trim(),
      billing: choice.billing,
      apiKeyPermission: choice.apiKeyPermission,
      createdAt: now,
      modifiedAt: now,
    };
    state.clients.push(client);
  } else {
    client.name = choice.name.trim();
    client.billing = choice.billing;
    client.apiKeyPermission = choice.apiKeyPermission;
    client.modifiedAt = now;
  }
  const ownerId = client.id;
  const channels = choice.numbers.map((phoneNumber): ChannelRecord => {
    const channel: ChannelRecord = {
      id: unique(newChannelId, (id) => state.channels.some((c) => c.id === id)),
      clientId: ownerId,
      wabaId: newWabaId(),
      phoneNumber,
      status: "created",
      currentLimit: "TIER_250",
      qualityRating: "GREEN",
      createdAt: now,
      modifiedAt: now,
      revokedAt: null,
    };
    state.channels.push(channel);
    return channel;
  });
  const revoked = state.channels.filter((c) => choice.revoke.includes(c.id));
  // No webhook: hub-facts.md documents no revocation event; the Hub reports revocations to the
  // partner only through the redirect's `revoked=[…]`, which redirectUrlFor writes.
  for (const channel of revoked) revokeAccess(ctx, channel, now);
  ctx.store.changed();
  startLifecycle(ctx, client, clientIsNew, channels);
  return { client, clientIsNew, channels, revoked };
}

/**
 * `?client=<id>&channels=[a,b]&revoked=[c]&state=<s>`: brackets and commas literal, as the Connect
 * Button strips the first and last character after decodeURIComponent (either form would parse).
 * Ids are alphanumeric, so nothing inside the brackets needs encoding.
 */
export function redirectUrlFor(session: IoSession, result: OnboardingResult): string {
  const parts = [
    `client=${encodeURIComponent(result.client.id)}`,
    `channels=[${result.channels.map((c) => c.id).join(",")}]`,
  ];
  if (result.revoked.length > 0) parts.push(`revoked=[${result.revoked.map((c) => c.id).join(",")}]`);
  if (session.state !== null) parts.push(`state=${encodeURIComponent(session.state)}`);
  const base = new URL(session.redirectUrl);
  const hash = base.hash;
  base.hash = "";
  const separator = base.search ? "&" : "?";
  return `${base.toString()}${separator}${parts.join("&")}${hash}`;
}

function unique(make: () => string, taken: (id: string) => boolean): string {
  for (;;) {
    const id = make();
    if (!taken(id)) return id;
  }
}
