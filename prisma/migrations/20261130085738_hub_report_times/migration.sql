-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "limitReportedAt" TIMESTAMP(3),
ADD COLUMN     "restrictionReportedAt" TIMESTAMP(3);
