-- DropIndex
DROP INDEX "Revocation_channelId_source_key";

-- CreateIndex
CREATE INDEX "Revocation_channelId_createdAt_idx" ON "Revocation"("channelId", "createdAt");
