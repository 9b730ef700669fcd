-- CreateEnum
CREATE TYPE "RoundJudgeStatus" AS ENUM ('INVITED', 'ACCEPTED', 'DECLINED', 'REMOVED');

-- CreateEnum
CREATE TYPE "ConflictKind" AS ENUM ('MEMBER', 'ADVISOR', 'EMPLOYMENT', 'RELATED', 'OTHER');

-- CreateEnum
CREATE TYPE "ScoreSheetStatus" AS ENUM ('DRAFT', 'SUBMITTED');

-- CreateEnum
CREATE TYPE "AwardOutcome" AS ENUM ('FUNDED', 'PARTIAL', 'WAITLIST', 'BELOW_MINIMUM', 'EXCLUDED');

-- CreateEnum
CREATE TYPE "AwardStatus" AS ENUM ('PROPOSED', 'FINAL');

-- CreateEnum
CREATE TYPE "ObjectionStatus" AS ENUM ('OPEN', 'UPHELD', 'DISMISSED');

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "awardsFinalizedAt" TIMESTAMP(3),
ADD COLUMN     "awardsPublishedAt" TIMESTAMP(3),
ADD COLUMN     "blindReview" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "categoryCapFen" INTEGER,
ADD COLUMN     "communityCapFen" INTEGER,
ADD COLUMN     "disagreementRange" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "minScore" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "zScore" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "RoundJudge" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userId" TEXT,
    "status" "RoundJudgeStatus" NOT NULL DEFAULT 'INVITED',
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "invitedById" TEXT NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "employerUsccs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "remindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoundJudge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConflictDeclaration" (
    "id" TEXT NOT NULL,
    "roundJudgeId" TEXT NOT NULL,
    "organizationId" TEXT,
    "proposalId" TEXT,
    "kind" "ConflictKind" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConflictDeclaration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewAssignment" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "roundJudgeId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,

    CONSTRAINT "ReviewAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreSheet" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "roundJudgeId" TEXT NOT NULL,
    "status" "ScoreSheetStatus" NOT NULL DEFAULT 'DRAFT',
    "scores" JSONB NOT NULL DEFAULT '{}',
    "comments" JSONB NOT NULL DEFAULT '{}',
    "overallComment" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'WEB',
    "version" INTEGER NOT NULL DEFAULT 1,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScoreSheet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoadshowScore" (
    "proposalId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "scoreCenti" INTEGER NOT NULL,
    "enteredById" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoadshowScore_pkey" PRIMARY KEY ("proposalId")
);

-- CreateTable
CREATE TABLE "PublicVote" (
    "proposalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublicVote_pkey" PRIMARY KEY ("proposalId","userId")
);

-- CreateTable
CREATE TABLE "AllocationOverride" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountFen" INTEGER,
    "reason" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "AllocationOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Award" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "composite" DOUBLE PRECISION,
    "review" DOUBLE PRECISION,
    "outcome" "AwardOutcome" NOT NULL,
    "awardFen" INTEGER NOT NULL,
    "reasonCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "AwardStatus" NOT NULL DEFAULT 'PROPOSED',
    "noticeStartsAt" TIMESTAMP(3) NOT NULL,
    "noticeEndsAt" TIMESTAMP(3) NOT NULL,
    "finalizedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Award_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objection" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "awardId" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "attachmentUploadId" TEXT,
    "status" "ObjectionStatus" NOT NULL DEFAULT 'OPEN',
    "resolution" TEXT,
    "resolvedById" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RoundJudge_tokenHash_key" ON "RoundJudge"("tokenHash");

-- CreateIndex
CREATE INDEX "RoundJudge_userId_idx" ON "RoundJudge"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "RoundJudge_roundId_email_key" ON "RoundJudge"("roundId", "email");

-- CreateIndex
CREATE INDEX "ConflictDeclaration_roundJudgeId_idx" ON "ConflictDeclaration"("roundJudgeId");

-- CreateIndex
CREATE INDEX "ReviewAssignment_roundId_roundJudgeId_idx" ON "ReviewAssignment"("roundId", "roundJudgeId");

-- CreateIndex
CREATE INDEX "ReviewAssignment_proposalId_idx" ON "ReviewAssignment"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "ScoreSheet_assignmentId_key" ON "ScoreSheet"("assignmentId");

-- CreateIndex
CREATE INDEX "ScoreSheet_roundId_status_idx" ON "ScoreSheet"("roundId", "status");

-- CreateIndex
CREATE INDEX "ScoreSheet_roundJudgeId_idx" ON "ScoreSheet"("roundJudgeId");

-- CreateIndex
CREATE INDEX "RoadshowScore_roundId_idx" ON "RoadshowScore"("roundId");

-- CreateIndex
CREATE INDEX "PublicVote_roundId_idx" ON "PublicVote"("roundId");

-- CreateIndex
CREATE INDEX "PublicVote_userId_idx" ON "PublicVote"("userId");

-- CreateIndex
CREATE INDEX "AllocationOverride_roundId_idx" ON "AllocationOverride"("roundId");

-- CreateIndex
CREATE UNIQUE INDEX "Award_proposalId_key" ON "Award"("proposalId");

-- CreateIndex
CREATE INDEX "Award_roundId_rank_idx" ON "Award"("roundId", "rank");

-- CreateIndex
CREATE INDEX "Objection_roundId_status_idx" ON "Objection"("roundId", "status");

-- CreateIndex
CREATE INDEX "Objection_awardId_idx" ON "Objection"("awardId");

-- AddForeignKey
ALTER TABLE "RoundJudge" ADD CONSTRAINT "RoundJudge_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoundJudge" ADD CONSTRAINT "RoundJudge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictDeclaration" ADD CONSTRAINT "ConflictDeclaration_roundJudgeId_fkey" FOREIGN KEY ("roundJudgeId") REFERENCES "RoundJudge"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictDeclaration" ADD CONSTRAINT "ConflictDeclaration_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictDeclaration" ADD CONSTRAINT "ConflictDeclaration_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewAssignment" ADD CONSTRAINT "ReviewAssignment_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewAssignment" ADD CONSTRAINT "ReviewAssignment_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewAssignment" ADD CONSTRAINT "ReviewAssignment_roundJudgeId_fkey" FOREIGN KEY ("roundJudgeId") REFERENCES "RoundJudge"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSheet" ADD CONSTRAINT "ScoreSheet_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "ReviewAssignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSheet" ADD CONSTRAINT "ScoreSheet_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSheet" ADD CONSTRAINT "ScoreSheet_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSheet" ADD CONSTRAINT "ScoreSheet_roundJudgeId_fkey" FOREIGN KEY ("roundJudgeId") REFERENCES "RoundJudge"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoadshowScore" ADD CONSTRAINT "RoadshowScore_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicVote" ADD CONSTRAINT "PublicVote_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicVote" ADD CONSTRAINT "PublicVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicVote" ADD CONSTRAINT "PublicVote_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationOverride" ADD CONSTRAINT "AllocationOverride_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationOverride" ADD CONSTRAINT "AllocationOverride_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Award" ADD CONSTRAINT "Award_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Award" ADD CONSTRAINT "Award_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_awardId_fkey" FOREIGN KEY ("awardId") REFERENCES "Award"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_attachmentUploadId_fkey" FOREIGN KEY ("attachmentUploadId") REFERENCES "Upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ───────────── hand-written: rules the schema language cannot state ─────────────

-- at most one live assignment per (proposal, judge), one live override per proposal
CREATE UNIQUE INDEX "ReviewAssignment_live_pair" ON "ReviewAssignment" ("proposalId", "roundJudgeId") WHERE "endedAt" IS NULL;
CREATE UNIQUE INDEX "AllocationOverride_live_proposal" ON "AllocationOverride" ("proposalId") WHERE "revokedAt" IS NULL;

ALTER TABLE "RoadshowScore" ADD CONSTRAINT "RoadshowScore_range" CHECK ("scoreCenti" BETWEEN 0 AND 10000);
ALTER TABLE "Award" ADD CONSTRAINT "Award_amount" CHECK ("awardFen" >= 0);
ALTER TABLE "AllocationOverride" ADD CONSTRAINT "AllocationOverride_amount" CHECK ("amountFen" IS NULL OR "amountFen" > 0);
ALTER TABLE "Round" ADD CONSTRAINT "Round_review_settings" CHECK (
  "disagreementRange" BETWEEN 0 AND 100 AND "minScore" BETWEEN 0 AND 100
  AND ("communityCapFen" IS NULL OR "communityCapFen" > 0) AND ("categoryCapFen" IS NULL OR "categoryCapFen" > 0));

-- a submitted score sheet is locked: only reopening (status back to DRAFT, by an official) may
-- touch it, and it may not change its scores in the same statement
CREATE FUNCTION "score_sheet_locked"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'score sheet %: DELETE refused', OLD."id" USING ERRCODE = 'P0001';
  END IF;
  IF OLD."status" = 'SUBMITTED' AND (
       NEW."status" = 'SUBMITTED' OR NEW."scores" IS DISTINCT FROM OLD."scores"
       OR NEW."comments" IS DISTINCT FROM OLD."comments" OR NEW."overallComment" IS DISTINCT FROM OLD."overallComment") THEN
    RAISE EXCEPTION 'score sheet % is submitted: it is locked until an official reopens it', OLD."id" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "ScoreSheet_locked" BEFORE UPDATE OR DELETE ON "ScoreSheet"
  FOR EACH ROW EXECUTE FUNCTION "score_sheet_locked"();

-- conflict declarations and objections' filing facts are append-only / never deleted
CREATE TRIGGER "ConflictDeclaration_append_only" BEFORE UPDATE OR DELETE ON "ConflictDeclaration"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
CREATE TRIGGER "ConflictDeclaration_no_truncate" BEFORE TRUNCATE ON "ConflictDeclaration"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"();
