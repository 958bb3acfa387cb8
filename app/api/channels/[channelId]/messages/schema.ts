import { z } from "zod";
import { recordId } from "@/lib/http/record-id";

// E.164 without the plus: what the Cloud API calls a wa_id. Spaces, dashes and a leading + are tolerated.
const recipient = z
  .string()
  .transform((value) => value.replace(/[\s\-().]/g, "").replace(/^\+/, ""))
  .pipe(z.string().regex(/^[1-9]\d{6,14}$/, "must be a phone number in international format, e.g. +49 151 2345678"));

export const testMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("template"), to: recipient }).strict(),
  z.object({ kind: z.literal("text"), to: recipient, body: z.string().trim().min(1).max(1024) }).strict(),
]);

export const channelParamsSchema = z.object({ channelId: recordId() });
