import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";

/** The channel an admin acts on, locked until the transaction ends; 404 when it does not exist. */
export async function lockChannelForAdmin(tx: Prisma.TransactionClient, channelId: string) {
  await tx.$executeRaw`SELECT 1 FROM "Channel" WHERE "id" = ${channelId} FOR UPDATE`;
  const channel = await tx.channel.findUnique({
    where: { id: channelId },
    include: { client: { select: { bindingState: true } } },
  });
  if (!channel) throw new AppError("channel_not_found", 404, "There is no such channel.");
  return channel;
}
