-- DropIndex
DROP INDEX "Need_createdAt_idx";

-- DropIndex
DROP INDEX "Proposal_roundId_status_idx";

-- CreateIndex
CREATE INDEX "Need_voteCount_createdAt_number_idx" ON "Need"("voteCount", "createdAt", "number");

-- CreateIndex
CREATE INDEX "Need_createdAt_number_idx" ON "Need"("createdAt", "number");

-- CreateIndex
CREATE INDEX "Proposal_roundId_referenceNo_idx" ON "Proposal"("roundId", "referenceNo");

-- CreateIndex
CREATE INDEX "Proposal_roundId_status_referenceNo_idx" ON "Proposal"("roundId", "status", "referenceNo");
