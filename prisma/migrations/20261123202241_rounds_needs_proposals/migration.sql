-- CreateEnum
CREATE TYPE "RoundPhase" AS ENUM ('DRAFT', 'NEEDS', 'PROPOSALS', 'SCREENING', 'REVIEW', 'NOTICE', 'IMPLEMENTATION', 'CLOSED');

-- CreateEnum
CREATE TYPE "NeedStatus" AS ENUM ('OPEN', 'PUBLISHED', 'MERGED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'WITHDRAWN', 'ELIGIBLE', 'INELIGIBLE');

-- CreateEnum
CREATE TYPE "ScreeningOutcome" AS ENUM ('ELIGIBLE', 'INELIGIBLE');

-- CreateTable
CREATE TABLE "Round" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "phase" "RoundPhase" NOT NULL DEFAULT 'DRAFT',
    "poolFen" BIGINT NOT NULL DEFAULT 0,
    "minAwardFen" INTEGER NOT NULL DEFAULT 500000,
    "maxAwardFen" INTEGER NOT NULL DEFAULT 1500000,
    "categories" JSONB NOT NULL,
    "rubric" JSONB NOT NULL,
    "judgesPerProposal" INTEGER NOT NULL DEFAULT 5,
    "weightReview" INTEGER NOT NULL DEFAULT 100,
    "weightRoadshow" INTEGER NOT NULL DEFAULT 0,
    "weightPublicVote" INTEGER NOT NULL DEFAULT 0,
    "noticeDays" INTEGER NOT NULL DEFAULT 5,
    "trancheSchedule" JSONB NOT NULL,
    "labourCapPercent" INTEGER NOT NULL DEFAULT 30,
    "maxProposalsPerOrg" INTEGER NOT NULL DEFAULT 1,
    "needsStartsAt" TIMESTAMP(3) NOT NULL,
    "proposalsStartsAt" TIMESTAMP(3) NOT NULL,
    "proposalsDeadline" TIMESTAMP(3) NOT NULL,
    "screeningStartsAt" TIMESTAMP(3) NOT NULL,
    "reviewStartsAt" TIMESTAMP(3) NOT NULL,
    "noticeStartsAt" TIMESTAMP(3) NOT NULL,
    "implementationStartsAt" TIMESTAMP(3) NOT NULL,
    "implementationEndsAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "nextProposalSeq" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 1,
    "phaseChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Need" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "areaId" TEXT NOT NULL,
    "authorId" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "photoUploadId" TEXT,
    "status" "NeedStatus" NOT NULL DEFAULT 'OPEN',
    "rejectionReason" TEXT,
    "mergedIntoId" TEXT,
    "roundId" TEXT,
    "publishedAt" TIMESTAMP(3),
    "curatedById" TEXT,
    "curatedAt" TIMESTAMP(3),
    "voteCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Need_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NeedVote" (
    "needId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NeedVote_pkey" PRIMARY KEY ("needId","userId")
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "referenceNo" TEXT,
    "title" TEXT NOT NULL DEFAULT '',
    "summary" TEXT NOT NULL DEFAULT '',
    "communityId" TEXT,
    "category" TEXT,
    "beneficiaryGroups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "beneficiaryCount" INTEGER,
    "activityPlan" TEXT NOT NULL DEFAULT '',
    "coFundingFen" INTEGER NOT NULL DEFAULT 0,
    "requestedFen" INTEGER,
    "snapshot" JSONB,
    "snapshotSha256" TEXT,
    "submittedAt" TIMESTAMP(3),
    "submittedById" TEXT,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnById" TEXT,
    "screeningReason" TEXT,
    "screenedAt" TIMESTAMP(3),
    "screenedById" TEXT,
    "updatedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalMilestone" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "dueOn" TIMESTAMP(3),
    "deliverable" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ProposalMilestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalBudgetLine" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceFen" INTEGER NOT NULL,
    "totalFen" INTEGER NOT NULL,

    CONSTRAINT "ProposalBudgetLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalTeamMember" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT '',
    "experience" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ProposalTeamMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalNeed" (
    "proposalId" TEXT NOT NULL,
    "needId" TEXT NOT NULL,

    CONSTRAINT "ProposalNeed_pkey" PRIMARY KEY ("proposalId","needId")
);

-- CreateTable
CREATE TABLE "ProposalAttachment" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScreeningDecision" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "outcome" "ScreeningOutcome" NOT NULL,
    "reason" TEXT NOT NULL,
    "reversesId" TEXT,
    "decidedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScreeningDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Round_code_key" ON "Round"("code");

-- CreateIndex
CREATE INDEX "Round_areaId_idx" ON "Round"("areaId");

-- CreateIndex
CREATE INDEX "Round_phase_idx" ON "Round"("phase");

-- CreateIndex
CREATE UNIQUE INDEX "Need_number_key" ON "Need"("number");

-- CreateIndex
CREATE INDEX "Need_areaId_status_idx" ON "Need"("areaId", "status");

-- CreateIndex
CREATE INDEX "Need_status_voteCount_idx" ON "Need"("status", "voteCount");

-- CreateIndex
CREATE INDEX "Need_createdAt_idx" ON "Need"("createdAt");

-- CreateIndex
CREATE INDEX "Need_roundId_idx" ON "Need"("roundId");

-- CreateIndex
CREATE INDEX "NeedVote_userId_idx" ON "NeedVote"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_referenceNo_key" ON "Proposal"("referenceNo");

-- CreateIndex
CREATE INDEX "Proposal_roundId_status_idx" ON "Proposal"("roundId", "status");

-- CreateIndex
CREATE INDEX "Proposal_organizationId_roundId_idx" ON "Proposal"("organizationId", "roundId");

-- CreateIndex
CREATE UNIQUE INDEX "ProposalMilestone_proposalId_position_key" ON "ProposalMilestone"("proposalId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ProposalBudgetLine_proposalId_position_key" ON "ProposalBudgetLine"("proposalId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ProposalTeamMember_proposalId_position_key" ON "ProposalTeamMember"("proposalId", "position");

-- CreateIndex
CREATE INDEX "ProposalNeed_needId_idx" ON "ProposalNeed"("needId");

-- CreateIndex
CREATE INDEX "ProposalAttachment_proposalId_idx" ON "ProposalAttachment"("proposalId");

-- CreateIndex
CREATE INDEX "ScreeningDecision_proposalId_createdAt_idx" ON "ScreeningDecision"("proposalId", "createdAt");

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_photoUploadId_fkey" FOREIGN KEY ("photoUploadId") REFERENCES "Upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Need"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedVote" ADD CONSTRAINT "NeedVote_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedVote" ADD CONSTRAINT "NeedVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Area"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalMilestone" ADD CONSTRAINT "ProposalMilestone_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalBudgetLine" ADD CONSTRAINT "ProposalBudgetLine_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalTeamMember" ADD CONSTRAINT "ProposalTeamMember_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalNeed" ADD CONSTRAINT "ProposalNeed_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalNeed" ADD CONSTRAINT "ProposalNeed_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalAttachment" ADD CONSTRAINT "ProposalAttachment_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalAttachment" ADD CONSTRAINT "ProposalAttachment_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScreeningDecision" ADD CONSTRAINT "ScreeningDecision_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScreeningDecision" ADD CONSTRAINT "ScreeningDecision_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ───────────── hand-written: a submitted proposal is an immutable snapshot ─────────────
-- Once a proposal leaves DRAFT its content and its child rows can no longer change; only the
-- status (withdrawal, screening) and the fields recording those decisions may.
CREATE FUNCTION "proposal_frozen_after_submit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'DRAFT' THEN
      RAISE EXCEPTION 'proposal % is submitted: DELETE refused', OLD."id" USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."status" <> 'DRAFT' AND (
       NEW."status" = 'DRAFT'
    OR (NEW."roundId", NEW."organizationId", NEW."createdById", NEW."referenceNo", NEW."title",
        NEW."summary", NEW."communityId", NEW."category", NEW."beneficiaryGroups",
        NEW."beneficiaryCount", NEW."activityPlan", NEW."coFundingFen", NEW."requestedFen",
        NEW."snapshot"::text, NEW."snapshotSha256", NEW."submittedAt", NEW."submittedById", NEW."version")
       IS DISTINCT FROM
       (OLD."roundId", OLD."organizationId", OLD."createdById", OLD."referenceNo", OLD."title",
        OLD."summary", OLD."communityId", OLD."category", OLD."beneficiaryGroups",
        OLD."beneficiaryCount", OLD."activityPlan", OLD."coFundingFen", OLD."requestedFen",
        OLD."snapshot"::text, OLD."snapshotSha256", OLD."submittedAt", OLD."submittedById", OLD."version")
  ) THEN
    RAISE EXCEPTION 'proposal % is submitted: its content cannot change', OLD."id" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Proposal_frozen_after_submit" BEFORE UPDATE OR DELETE ON "Proposal"
  FOR EACH ROW EXECUTE FUNCTION "proposal_frozen_after_submit"();

CREATE FUNCTION "proposal_child_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent_status "ProposalStatus";
BEGIN
  SELECT "status" INTO parent_status FROM "Proposal"
    WHERE "id" = (CASE WHEN TG_OP = 'DELETE' THEN OLD."proposalId" ELSE NEW."proposalId" END);
  -- NULL: the parent is being deleted (a draft, cascading) — allowed
  IF parent_status IS NOT NULL AND parent_status <> 'DRAFT' THEN
    RAISE EXCEPTION '% of a submitted proposal: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "ProposalMilestone_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "ProposalMilestone"
  FOR EACH ROW EXECUTE FUNCTION "proposal_child_frozen"();
CREATE TRIGGER "ProposalBudgetLine_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "ProposalBudgetLine"
  FOR EACH ROW EXECUTE FUNCTION "proposal_child_frozen"();
CREATE TRIGGER "ProposalTeamMember_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "ProposalTeamMember"
  FOR EACH ROW EXECUTE FUNCTION "proposal_child_frozen"();
CREATE TRIGGER "ProposalNeed_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "ProposalNeed"
  FOR EACH ROW EXECUTE FUNCTION "proposal_child_frozen"();
CREATE TRIGGER "ProposalAttachment_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "ProposalAttachment"
  FOR EACH ROW EXECUTE FUNCTION "proposal_child_frozen"();

-- Screening decisions are history: never edited or removed (a reversal is a new row).
CREATE TRIGGER "ScreeningDecision_append_only" BEFORE UPDATE OR DELETE ON "ScreeningDecision"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
CREATE TRIGGER "ScreeningDecision_no_truncate" BEFORE TRUNCATE ON "ScreeningDecision"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"();
