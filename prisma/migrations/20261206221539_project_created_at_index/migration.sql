-- CreateIndex
CREATE INDEX "Project_createdAt_idx" ON "Project"("createdAt");
