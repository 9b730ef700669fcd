-- CreateIndex
CREATE INDEX "Tranche_projectId_status_amountFen_idx" ON "Tranche"("projectId", "status", "amountFen");

-- CreateIndex
CREATE INDEX "Expense_projectId_status_amountFen_idx" ON "Expense"("projectId", "status", "amountFen");

-- CreateIndex
CREATE INDEX "CallRecord_sampleId_outcome_calledAt_idx" ON "CallRecord"("sampleId", "outcome", "calledAt");
