-- CreateEnum
CREATE TYPE "ProjectStatus" AS ENUM ('AWAITING_ACCEPTANCE', 'AWAITING_COUNTERSIGN', 'ACTIVE', 'EVALUATION_FAILED', 'CLOSED');

-- CreateEnum
CREATE TYPE "MilestoneStatus" AS ENUM ('PENDING', 'APPROVED');

-- CreateEnum
CREATE TYPE "TrancheTrigger" AS ENUM ('AGREEMENT', 'MIDTERM', 'FINAL');

-- CreateEnum
CREATE TYPE "TrancheStatus" AS ENUM ('LOCKED', 'RELEASABLE', 'PREPARED', 'RELEASED', 'HELD');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED');

-- CreateEnum
CREATE TYPE "ReportFileKind" AS ENUM ('PHOTO', 'FILE');

-- CreateEnum
CREATE TYPE "ReviewDecisionKind" AS ENUM ('APPROVED', 'RETURNED');

-- CreateEnum
CREATE TYPE "ExpenseStatus" AS ENUM ('SUBMITTED', 'RETURNED', 'APPROVED');

-- CreateEnum
CREATE TYPE "AdjustmentStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('DUE_SOON', 'OVERDUE', 'OVER_BUDGET', 'OFF_BUDGET', 'NO_REPORT');

-- CreateEnum
CREATE TYPE "CallOutcome" AS ENUM ('SATISFIED', 'PARTLY', 'NOT_SATISFIED', 'UNREACHED');

-- CreateEnum
CREATE TYPE "EvaluationStatus" AS ENUM ('INVITED', 'PASSED', 'FAILED');

-- AlterTable
ALTER TABLE "Area" ADD COLUMN     "rankingWeights" JSONB;

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "evaluationPassScore" INTEGER NOT NULL DEFAULT 60;

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "awardId" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "communityId" TEXT,
    "areaPath" TEXT NOT NULL,
    "referenceNo" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "category" TEXT,
    "awardFen" INTEGER NOT NULL,
    "status" "ProjectStatus" NOT NULL DEFAULT 'AWAITING_ACCEPTANCE',
    "terms" JSONB NOT NULL,
    "termsSha256" TEXT NOT NULL,
    "acceptedById" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "countersignedById" TEXT,
    "countersignedAt" TIMESTAMP(3),
    "unspentReturnedFen" INTEGER,
    "closedAt" TIMESTAMP(3),
    "callSampleSize" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectMilestone" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "dueOn" TIMESTAMP(3),
    "deliverable" TEXT NOT NULL DEFAULT '',
    "status" "MilestoneStatus" NOT NULL DEFAULT 'PENDING',
    "approvedAt" TIMESTAMP(3),

    CONSTRAINT "ProjectMilestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tranche" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "trigger" "TrancheTrigger" NOT NULL,
    "milestoneId" TEXT,
    "status" "TrancheStatus" NOT NULL DEFAULT 'LOCKED',
    "releasableAt" TIMESTAMP(3),
    "preparedById" TEXT,
    "preparedAt" TIMESTAMP(3),
    "transferRef" TEXT,
    "approvedById" TEXT,
    "releasedAt" TIMESTAMP(3),
    "ledgerTransactionId" TEXT,
    "heldReason" TEXT,

    CONSTRAINT "Tranche_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectBudgetLine" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "agreedFen" INTEGER NOT NULL,
    "budgetFen" INTEGER NOT NULL,

    CONSTRAINT "ProjectBudgetLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MilestoneReport" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'DRAFT',
    "narrative" TEXT NOT NULL DEFAULT '',
    "beneficiariesServed" INTEGER,
    "authorId" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "comment" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MilestoneReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportFile" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "kind" "ReportFileKind" NOT NULL,
    "uploadId" TEXT NOT NULL,
    "thumbnailUploadId" TEXT,
    "caption" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportDecision" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "decision" "ReviewDecisionKind" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "decidedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Expense" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "spentOn" TIMESTAMP(3) NOT NULL,
    "payee" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "budgetLineId" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "ExpenseStatus" NOT NULL DEFAULT 'SUBMITTED',
    "submittedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "comment" TEXT,
    "duplicateReceipt" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Expense_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExpenseReceipt" (
    "id" TEXT NOT NULL,
    "expenseId" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExpenseReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAdjustment" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "fromLineId" TEXT NOT NULL,
    "toLineId" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "AdjustmentStatus" NOT NULL DEFAULT 'PENDING',
    "requestedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectAlert" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "key" TEXT NOT NULL,
    "subjectId" TEXT,
    "params" JSONB NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "emailedAt" TIMESTAMP(3),

    CONSTRAINT "ProjectAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Beneficiary" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "nameEnc" TEXT NOT NULL,
    "phoneEnc" TEXT NOT NULL,
    "phoneHmac" TEXT NOT NULL,
    "consentAt" TIMESTAMP(3) NOT NULL,
    "consentNote" TEXT NOT NULL DEFAULT '',
    "registeredById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Beneficiary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallSample" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "drawnById" TEXT NOT NULL,
    "drawnAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallRecord" (
    "id" TEXT NOT NULL,
    "sampleId" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,
    "outcome" "CallOutcome",
    "note" TEXT NOT NULL DEFAULT '',
    "calledById" TEXT,
    "calledAt" TIMESTAMP(3),

    CONSTRAINT "CallRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "evaluatorId" TEXT NOT NULL,
    "status" "EvaluationStatus" NOT NULL DEFAULT 'INVITED',
    "scores" JSONB,
    "total" INTEGER,
    "reasons" TEXT NOT NULL DEFAULT '',
    "unspentFen" INTEGER,
    "invitedById" TEXT,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Project_awardId_key" ON "Project"("awardId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_proposalId_key" ON "Project"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_referenceNo_key" ON "Project"("referenceNo");

-- CreateIndex
CREATE INDEX "Project_areaPath_idx" ON "Project"("areaPath");

-- CreateIndex
CREATE INDEX "Project_roundId_idx" ON "Project"("roundId");

-- CreateIndex
CREATE INDEX "Project_organizationId_idx" ON "Project"("organizationId");

-- CreateIndex
CREATE INDEX "Project_status_idx" ON "Project"("status");

-- CreateIndex
CREATE INDEX "ProjectMilestone_status_dueOn_idx" ON "ProjectMilestone"("status", "dueOn");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectMilestone_projectId_position_key" ON "ProjectMilestone"("projectId", "position");

-- CreateIndex
CREATE INDEX "Tranche_status_idx" ON "Tranche"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Tranche_projectId_position_key" ON "Tranche"("projectId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectBudgetLine_projectId_position_key" ON "ProjectBudgetLine"("projectId", "position");

-- CreateIndex
CREATE INDEX "MilestoneReport_projectId_status_idx" ON "MilestoneReport"("projectId", "status");

-- CreateIndex
CREATE INDEX "MilestoneReport_milestoneId_idx" ON "MilestoneReport"("milestoneId");

-- CreateIndex
CREATE INDEX "MilestoneReport_status_submittedAt_idx" ON "MilestoneReport"("status", "submittedAt");

-- CreateIndex
CREATE INDEX "ReportFile_reportId_idx" ON "ReportFile"("reportId");

-- CreateIndex
CREATE INDEX "ReportDecision_reportId_idx" ON "ReportDecision"("reportId");

-- CreateIndex
CREATE INDEX "Expense_projectId_status_idx" ON "Expense"("projectId", "status");

-- CreateIndex
CREATE INDEX "Expense_budgetLineId_idx" ON "Expense"("budgetLineId");

-- CreateIndex
CREATE INDEX "Expense_status_createdAt_idx" ON "Expense"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ExpenseReceipt_expenseId_idx" ON "ExpenseReceipt"("expenseId");

-- CreateIndex
CREATE INDEX "ExpenseReceipt_sha256_idx" ON "ExpenseReceipt"("sha256");

-- CreateIndex
CREATE INDEX "BudgetAdjustment_projectId_status_idx" ON "BudgetAdjustment"("projectId", "status");

-- CreateIndex
CREATE INDEX "ProjectAlert_projectId_idx" ON "ProjectAlert"("projectId");

-- CreateIndex
CREATE INDEX "ProjectAlert_resolvedAt_kind_idx" ON "ProjectAlert"("resolvedAt", "kind");

-- CreateIndex
CREATE INDEX "Beneficiary_projectId_idx" ON "Beneficiary"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "Beneficiary_projectId_phoneHmac_key" ON "Beneficiary"("projectId", "phoneHmac");

-- CreateIndex
CREATE UNIQUE INDEX "CallSample_projectId_month_key" ON "CallSample"("projectId", "month");

-- CreateIndex
CREATE INDEX "CallRecord_beneficiaryId_idx" ON "CallRecord"("beneficiaryId");

-- CreateIndex
CREATE UNIQUE INDEX "CallRecord_sampleId_beneficiaryId_key" ON "CallRecord"("sampleId", "beneficiaryId");

-- CreateIndex
CREATE INDEX "Evaluation_projectId_idx" ON "Evaluation"("projectId");

-- CreateIndex
CREATE INDEX "Evaluation_evaluatorId_status_idx" ON "Evaluation"("evaluatorId", "status");

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_awardId_fkey" FOREIGN KEY ("awardId") REFERENCES "Award"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Area"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectMilestone" ADD CONSTRAINT "ProjectMilestone_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tranche" ADD CONSTRAINT "Tranche_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tranche" ADD CONSTRAINT "Tranche_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "ProjectMilestone"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectBudgetLine" ADD CONSTRAINT "ProjectBudgetLine_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MilestoneReport" ADD CONSTRAINT "MilestoneReport_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MilestoneReport" ADD CONSTRAINT "MilestoneReport_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "ProjectMilestone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportFile" ADD CONSTRAINT "ReportFile_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "MilestoneReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportFile" ADD CONSTRAINT "ReportFile_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportFile" ADD CONSTRAINT "ReportFile_thumbnailUploadId_fkey" FOREIGN KEY ("thumbnailUploadId") REFERENCES "Upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportDecision" ADD CONSTRAINT "ReportDecision_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "MilestoneReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expense" ADD CONSTRAINT "Expense_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expense" ADD CONSTRAINT "Expense_budgetLineId_fkey" FOREIGN KEY ("budgetLineId") REFERENCES "ProjectBudgetLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpenseReceipt" ADD CONSTRAINT "ExpenseReceipt_expenseId_fkey" FOREIGN KEY ("expenseId") REFERENCES "Expense"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpenseReceipt" ADD CONSTRAINT "ExpenseReceipt_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAdjustment" ADD CONSTRAINT "BudgetAdjustment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAdjustment" ADD CONSTRAINT "BudgetAdjustment_fromLineId_fkey" FOREIGN KEY ("fromLineId") REFERENCES "ProjectBudgetLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAdjustment" ADD CONSTRAINT "BudgetAdjustment_toLineId_fkey" FOREIGN KEY ("toLineId") REFERENCES "ProjectBudgetLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAlert" ADD CONSTRAINT "ProjectAlert_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Beneficiary" ADD CONSTRAINT "Beneficiary_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallSample" ADD CONSTRAINT "CallSample_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallRecord" ADD CONSTRAINT "CallRecord_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "CallSample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallRecord" ADD CONSTRAINT "CallRecord_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───────────── hand-written: rules the schema language cannot state ─────────────

ALTER TABLE "Project" ADD CONSTRAINT "Project_amounts" CHECK ("awardFen" > 0 AND ("unspentReturnedFen" IS NULL OR "unspentReturnedFen" BETWEEN 0 AND "awardFen"));
ALTER TABLE "Tranche" ADD CONSTRAINT "Tranche_amount" CHECK ("amountFen" >= 0 AND "percent" BETWEEN 0 AND 100);
ALTER TABLE "ProjectBudgetLine" ADD CONSTRAINT "ProjectBudgetLine_amounts" CHECK ("agreedFen" >= 0 AND "budgetFen" >= 0);
ALTER TABLE "Expense" ADD CONSTRAINT "Expense_amount" CHECK ("amountFen" > 0);
ALTER TABLE "BudgetAdjustment" ADD CONSTRAINT "BudgetAdjustment_amount" CHECK ("amountFen" > 0 AND "fromLineId" <> "toLineId");
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_total" CHECK ("total" IS NULL OR "total" BETWEEN 0 AND 100);
-- at most one open alert per condition
CREATE UNIQUE INDEX "ProjectAlert_open_key" ON "ProjectAlert" ("projectId", "key") WHERE "resolvedAt" IS NULL;

-- the agreement both parties signed cannot change once the applicant accepted it
CREATE FUNCTION "project_terms_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."acceptedAt" IS NOT NULL AND (NEW."terms" IS DISTINCT FROM OLD."terms" OR NEW."termsSha256" IS DISTINCT FROM OLD."termsSha256"
       OR NEW."awardFen" IS DISTINCT FROM OLD."awardFen") THEN
    RAISE EXCEPTION 'project %: the accepted agreement cannot change', OLD."id" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Project_terms_frozen" BEFORE UPDATE ON "Project"
  FOR EACH ROW EXECUTE FUNCTION "project_terms_frozen"();

-- a released tranche is history: never changed, never deleted
CREATE FUNCTION "tranche_released_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'RELEASED' THEN
    RAISE EXCEPTION 'tranche % was released: % refused', OLD."id", TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Tranche_released_frozen" BEFORE UPDATE OR DELETE ON "Tranche"
  FOR EACH ROW EXECUTE FUNCTION "tranche_released_frozen"();

-- decisions on reports are append-only history
CREATE TRIGGER "ReportDecision_append_only" BEFORE UPDATE OR DELETE ON "ReportDecision"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
