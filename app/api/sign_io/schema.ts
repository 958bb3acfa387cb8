import { z } from "zod";
import { stateNonceSchema } from "@/lib/onboarding/hub-ids";

/** The body of POST /api/sign_io: the state of the attempt the page has just clicked, if any. */
export const signIoRequestSchema = z.object({ spent: stateNonceSchema.optional() }).strict();
