-- CreateIndex
CREATE INDEX "Donation_foundationId_createdAt_id_idx" ON "Donation"("foundationId", "createdAt", "id");
