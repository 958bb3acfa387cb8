import { z } from "zod";
import { hubIdSchema, stateNonceSchema } from "@/lib/onboarding/hub-ids";

const uniqueIds = z
  .array(hubIdSchema)
  .max(20, "lists at most 20 ids")
  .refine((ids) => new Set(ids).size === ids.length, "must not repeat an id");

/** The body of POST /api/onboarding: what the Connect Button's callback read from the redirect. */
export const completeOnboardingSchema = z
  .object({
    client: hubIdSchema,
    channels: uniqueIds,
    revoked: uniqueIds.default([]),
    state: stateNonceSchema.optional(),
  })
  .strict()
  .refine((body) => body.channels.length + body.revoked.length > 0, { message: "names no channel", path: ["channels"] })
  .refine((body) => !body.channels.some((id) => body.revoked.includes(id)), {
    message: "a channel cannot be both connected and revoked",
    path: ["revoked"],
  });

/** The query of GET /api/onboarding. */
export const attemptQuerySchema = z.object({ state: stateNonceSchema }).strict();
