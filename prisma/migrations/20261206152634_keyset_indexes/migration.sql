-- DropIndex
DROP INDEX "Notification_userId_createdAt_idx";

-- DropIndex
DROP INDEX "Donation_foundationId_status_paidAt_idx";

-- DropIndex
DROP INDEX "Donation_campaignId_status_idx";

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_id_idx" ON "Notification"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Proposal_organizationId_updatedAt_id_idx" ON "Proposal"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Donation_foundationId_status_paidAt_createdAt_id_idx" ON "Donation"("foundationId", "status", "paidAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Donation_campaignId_status_paidAt_createdAt_id_idx" ON "Donation"("campaignId", "status", "paidAt", "createdAt", "id");
