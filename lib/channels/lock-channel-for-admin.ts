import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { lockChannelForKey } from "./apply-status";

/** The channel an admin acts on, locked like the key job locks it; 404 when it does not exist. */
export async function lockChannelForAdmin(tx: Prisma.TransactionClient, channelId: string) {
  const channel = await lockChannelForKey(tx, channelId);
  if (!channel) throw new AppError("channel_not_found", 404, "There is no such channel.");
  return channel;
}
