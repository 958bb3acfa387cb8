import { z } from "zod";

// 360dialog ids are short alphanumeric strings; anything else in a redirect is forged or broken.
export const hubIdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(64, "is too long")
  .regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, '-' or '_'");

export const stateNonceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, "is not a state nonce issued by this portal");
