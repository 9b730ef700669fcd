-- AlterTable
ALTER TABLE "Donation" ADD COLUMN     "invitationId" TEXT;

-- AlterTable
ALTER TABLE "RecurringGift" ADD COLUMN     "invitationId" TEXT;

-- CreateTable
CREATE TABLE "DirectedInvitation" (
    "id" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "codeEncrypted" TEXT NOT NULL,
    "audienceZh" TEXT NOT NULL,
    "audienceEn" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "DirectedInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DirectedInvitation_codeHash_key" ON "DirectedInvitation"("codeHash");

-- CreateIndex
CREATE INDEX "DirectedInvitation_foundationId_createdAt_idx" ON "DirectedInvitation"("foundationId", "createdAt");

-- CreateIndex
CREATE INDEX "Donation_invitationId_idx" ON "Donation"("invitationId");

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "DirectedInvitation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecurringGift" ADD CONSTRAINT "RecurringGift_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "DirectedInvitation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectedInvitation" ADD CONSTRAINT "DirectedInvitation_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectedInvitation" ADD CONSTRAINT "DirectedInvitation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectedInvitation" ADD CONSTRAINT "DirectedInvitation_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
