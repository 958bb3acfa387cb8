// The JSON contracts of /api/sign_io and /api/onboarding, shared by the route handlers and the
// browser hooks so the two sides cannot drift. Types only: nothing here runs.
import type { BindingView } from "@/lib/clients/binding";
import type { ChannelStatus } from "@/lib/generated/prisma/enums";

export type IssuedIoSignature = { signature: string; timestamp: number; state: string; expiresAt: string };

export type RedirectPayload = { client: string; channels: string[]; revoked: string[]; state?: string };

/** Phone numbers are masked unless the binding is `bound`. */
export type OnboardingResult = {
  client: { id: string; binding: BindingView };
  channels: Array<{ id: string; phoneNumber: string | null; status: ChannelStatus }>;
  revoked: string[];
};

export type AttemptOutcome = { status: "pending" } | { status: "completed"; result: OnboardingResult };
