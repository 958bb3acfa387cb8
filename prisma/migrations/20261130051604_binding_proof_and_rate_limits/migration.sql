-- Clients bound before this migration were bound without an ownership proof: they wait for an
-- ADMIN (the column default), and no API key is created for them until approved.

-- CreateEnum
CREATE TYPE "BindingState" AS ENUM ('BOUND', 'AWAITING_APPROVAL', 'REJECTED');

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "bindingState" "BindingState" NOT NULL DEFAULT 'AWAITING_APPROVAL',
ADD COLUMN     "contactEmail" TEXT,
ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedById" TEXT;

-- AlterTable
ALTER TABLE "OnboardingAttempt" ADD COLUMN     "clickedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Client_bindingState_createdAt_idx" ON "Client"("bindingState", "createdAt");

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
