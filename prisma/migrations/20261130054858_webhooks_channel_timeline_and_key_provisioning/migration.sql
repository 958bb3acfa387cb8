-- CreateEnum
CREATE TYPE "WebhookEventState" AS ENUM ('PENDING', 'PROCESSED', 'IGNORED', 'WAITING_FOR_CHANNEL', 'FAILED');

-- AlterEnum
ALTER TYPE "ChannelStatus" ADD VALUE 'VERIFIED';

-- DropIndex
DROP INDEX "WebhookEvent_processedAt_receivedAt_idx";

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "lastFour" TEXT;

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "keyError" TEXT,
ADD COLUMN     "keyRetryAt" TIMESTAMP(3),
ADD COLUMN     "rawStatus" TEXT,
ADD COLUMN     "restriction" TEXT;

-- AlterTable
ALTER TABLE "ChannelEvent" ADD COLUMN     "detail" TEXT,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'status',
ALTER COLUMN "toStatus" DROP NOT NULL;

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "channelHubId" TEXT,
ADD COLUMN     "state" "WebhookEventState" NOT NULL DEFAULT 'PENDING',
ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- CreateTable
CREATE TABLE "KeyCreationGuard" (
    "channelId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyCreationGuard_pkey" PRIMARY KEY ("channelId")
);

-- CreateIndex
CREATE INDEX "WebhookEvent_state_receivedAt_idx" ON "WebhookEvent"("state", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_channelHubId_idx" ON "WebhookEvent"("channelHubId");

-- AddForeignKey
ALTER TABLE "KeyCreationGuard" ADD CONSTRAINT "KeyCreationGuard_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
