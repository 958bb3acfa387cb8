-- A revocation is the partner losing its permission on a number, not a channel status: the Hub
-- can still report the channel as running. Access becomes its own column, and the statuses that
-- were never 360dialog's (revoked, restricted) leave the enum.

-- CreateEnum
CREATE TYPE "ChannelAccess" AS ENUM ('GRANTED', 'REMOVED');

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "access" "ChannelAccess" NOT NULL DEFAULT 'GRANTED';

-- Carry the old values over: a revoked channel's stage before the revocation is unknown, so it
-- restarts at PENDING and the next report moves it; restrictions live in "restriction".
UPDATE "Channel" SET "access" = 'REMOVED', "status" = 'PENDING' WHERE "status" = 'REVOKED';
UPDATE "Channel" SET "restriction" = COALESCE("restriction", 'restricted'), "status" = 'PENDING' WHERE "status" = 'RESTRICTED';
UPDATE "ChannelEvent" SET "kind" = 'access', "detail" = 'removed', "toStatus" = NULL WHERE "toStatus" = 'REVOKED';
UPDATE "ChannelEvent" SET "kind" = 'restriction', "detail" = 'restricted', "toStatus" = NULL WHERE "toStatus" = 'RESTRICTED';
UPDATE "ChannelEvent" SET "fromStatus" = NULL WHERE "fromStatus" IN ('REVOKED', 'RESTRICTED');

-- AlterEnum
BEGIN;
CREATE TYPE "ChannelStatus_new" AS ENUM ('PENDING', 'CREATED', 'VERIFIED', 'SUBMITTED', 'READY', 'RUNNING', 'LIVE');
ALTER TABLE "Channel" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Channel" ALTER COLUMN "status" TYPE "ChannelStatus_new" USING ("status"::text::"ChannelStatus_new");
ALTER TABLE "ChannelEvent" ALTER COLUMN "fromStatus" TYPE "ChannelStatus_new" USING ("fromStatus"::text::"ChannelStatus_new");
ALTER TABLE "ChannelEvent" ALTER COLUMN "toStatus" TYPE "ChannelStatus_new" USING ("toStatus"::text::"ChannelStatus_new");
ALTER TYPE "ChannelStatus" RENAME TO "ChannelStatus_old";
ALTER TYPE "ChannelStatus_new" RENAME TO "ChannelStatus";
DROP TYPE "ChannelStatus_old";
ALTER TABLE "Channel" ALTER COLUMN "status" SET DEFAULT 'PENDING';
COMMIT;
