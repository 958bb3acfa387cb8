import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { consumeRateLimit, type RateLimitRule } from "@/lib/rate-limit/consume-rate-limit";
import { normalizeEmail } from "./roles";

// Enough for a user whose mail is slow to ask again a few times; a mail bomb gets 5 mails per
// address, and one address (network) cannot spray more than 20 inboxes, per quarter hour.
export const MAGIC_LINK_EMAIL_LIMIT: RateLimitRule = { limit: 5, windowMs: 15 * 60 * 1000 };
export const MAGIC_LINK_IP_LIMIT: RateLimitRule = { limit: 20, windowMs: 15 * 60 * 1000 };

/** Whether another magic link may be mailed to `email` at the request of `clientIp` (see lib/http/client-ip.ts); counts it. */
export async function allowMagicLink(
  db: PrismaClient,
  email: string,
  clientIp: string | null,
  now?: Date,
): Promise<boolean> {
  const byEmail = await consumeRateLimit(db, `magic_link:email:${normalizeEmail(email)}`, MAGIC_LINK_EMAIL_LIMIT, now);
  if (!clientIp) return byEmail.allowed;
  const byIp = await consumeRateLimit(db, `magic_link:ip:${clientIp}`, MAGIC_LINK_IP_LIMIT, now);
  return byEmail.allowed && byIp.allowed;
}
