-- CreateEnum
CREATE TYPE "CommunityRole" AS ENUM ('SECRETARY', 'COMMITTEE_MEMBER', 'RESIDENT_REPRESENTATIVE', 'SUPERVISOR');

-- CreateEnum
CREATE TYPE "MatterStatus" AS ENUM ('PROPOSED', 'FORWARDED', 'DROPPED', 'PASSED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReviewBody" AS ENUM ('PARTY_MEMBERS_MEETING', 'RESIDENTS_COMMITTEE');

-- CreateEnum
CREATE TYPE "ReviewOutcome" AS ENUM ('FORWARD', 'REVISE', 'DROP');

-- CreateEnum
CREATE TYPE "ResolutionBody" AS ENUM ('REPRESENTATIVES_MEETING', 'RESIDENTS_ASSEMBLY');

-- AlterTable
ALTER TABLE "Area" ADD COLUMN     "deliberationRules" JSONB;

-- AlterTable: the rounds that exist keep working as they did (no deliberation); new rounds require it
ALTER TABLE "Round" ADD COLUMN     "requiresDeliberation" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Round" ALTER COLUMN "requiresDeliberation" SET DEFAULT true;

-- CreateTable
CREATE TABLE "CommunityRoleGrant" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "CommunityRole" NOT NULL,
    "areaId" TEXT NOT NULL,
    "grantedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CommunityRoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Matter" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "areaId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "rationale" TEXT NOT NULL,
    "status" "MatterStatus" NOT NULL DEFAULT 'PROPOSED',
    "proposedById" TEXT,
    "proposedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Matter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatterNeed" (
    "matterId" TEXT NOT NULL,
    "needId" TEXT NOT NULL,

    CONSTRAINT "MatterNeed_pkey" PRIMARY KEY ("matterId","needId")
);

-- CreateTable
CREATE TABLE "MatterReview" (
    "id" TEXT NOT NULL,
    "matterId" TEXT NOT NULL,
    "body" "ReviewBody" NOT NULL,
    "meetingOn" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "attendeesEntitled" INTEGER NOT NULL,
    "attendeesPresent" INTEGER NOT NULL,
    "officeHolders" TEXT[],
    "minutes" TEXT NOT NULL,
    "outcome" "ReviewOutcome" NOT NULL,
    "reasons" TEXT NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatterReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatterAttachment" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatterAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatterResolution" (
    "id" TEXT NOT NULL,
    "matterId" TEXT NOT NULL,
    "body" "ResolutionBody" NOT NULL,
    "meetingOn" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "entitled" INTEGER NOT NULL,
    "present" INTEGER NOT NULL,
    "votesFor" INTEGER NOT NULL,
    "votesAgainst" INTEGER NOT NULL,
    "abstentions" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "quorate" BOOLEAN NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "rules" JSONB NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatterResolution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatterRemark" (
    "id" TEXT NOT NULL,
    "matterId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "reviewId" TEXT,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatterRemark_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CommunityRoleGrant_userId_idx" ON "CommunityRoleGrant"("userId");

-- CreateIndex
CREATE INDEX "CommunityRoleGrant_areaId_revokedAt_idx" ON "CommunityRoleGrant"("areaId", "revokedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Matter_number_key" ON "Matter"("number");

-- CreateIndex
CREATE INDEX "Matter_areaId_proposedAt_idx" ON "Matter"("areaId", "proposedAt");

-- CreateIndex
CREATE INDEX "MatterNeed_needId_idx" ON "MatterNeed"("needId");

-- CreateIndex
CREATE INDEX "MatterReview_matterId_createdAt_idx" ON "MatterReview"("matterId", "createdAt");

-- CreateIndex
CREATE INDEX "MatterAttachment_reviewId_idx" ON "MatterAttachment"("reviewId");

-- CreateIndex
CREATE UNIQUE INDEX "MatterResolution_matterId_key" ON "MatterResolution"("matterId");

-- CreateIndex
CREATE INDEX "MatterRemark_matterId_createdAt_idx" ON "MatterRemark"("matterId", "createdAt");

-- AddForeignKey
ALTER TABLE "CommunityRoleGrant" ADD CONSTRAINT "CommunityRoleGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityRoleGrant" ADD CONSTRAINT "CommunityRoleGrant_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityRoleGrant" ADD CONSTRAINT "CommunityRoleGrant_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Matter" ADD CONSTRAINT "Matter_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Matter" ADD CONSTRAINT "Matter_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterNeed" ADD CONSTRAINT "MatterNeed_matterId_fkey" FOREIGN KEY ("matterId") REFERENCES "Matter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterNeed" ADD CONSTRAINT "MatterNeed_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterReview" ADD CONSTRAINT "MatterReview_matterId_fkey" FOREIGN KEY ("matterId") REFERENCES "Matter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterReview" ADD CONSTRAINT "MatterReview_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterAttachment" ADD CONSTRAINT "MatterAttachment_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "MatterReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterAttachment" ADD CONSTRAINT "MatterAttachment_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterResolution" ADD CONSTRAINT "MatterResolution_matterId_fkey" FOREIGN KEY ("matterId") REFERENCES "Matter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterResolution" ADD CONSTRAINT "MatterResolution_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterRemark" ADD CONSTRAINT "MatterRemark_matterId_fkey" FOREIGN KEY ("matterId") REFERENCES "Matter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterRemark" ADD CONSTRAINT "MatterRemark_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Every step of a matter is on public pages (the need's page, the community's deliberation list):
-- these tables move the public-data version (ADR 020). The self-government roles show on the
-- officials' pages only (signed in, never served from the anonymous cache), but a public page may
-- name a matter's proposer by role, so they move it too.
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Matter" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MatterNeed" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MatterReview" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MatterAttachment" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MatterResolution" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MatterRemark" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CommunityRoleGrant" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
