import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/http/errors";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * `Authorization: Bearer <CRON_SECRET>`, as Vercel Cron sends it, compared in constant time
 * (digests, so the length does not leak either). Anything else is a 401.
 */
export function verifyCronSecret(authorization: string | null, cronSecret: string): void {
  const presented = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(presented), digest(cronSecret)) || presented === "") {
    throw new AppError("unauthorized", 401, "This endpoint needs the cron secret.");
  }
}
