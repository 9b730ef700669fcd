-- CreateEnum
CREATE TYPE "TrainingAudience" AS ENUM ('ALL_ORGANIZATIONS', 'ROUND_APPLICANTS', 'FUNDED_PROJECTS');

-- CreateEnum
CREATE TYPE "IncubationStage" AS ENUM ('ENTERED', 'NURTURING', 'GRADUATED');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'MENTOR';

-- AlterTable
ALTER TABLE "Area" ADD COLUMN     "trainingAttendanceWeight" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Training" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "areaId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "trainer" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT,
    "onlineUrl" TEXT,
    "capacity" INTEGER NOT NULL,
    "audience" "TrainingAudience" NOT NULL,
    "roundId" TEXT,
    "requiredForGrantees" BOOLEAN NOT NULL DEFAULT false,
    "publishedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Training_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingSignup" (
    "id" TEXT NOT NULL,
    "trainingId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" TIMESTAMP(3),
    "attendedAt" TIMESTAMP(3),
    "attendedVia" TEXT,
    "markedById" TEXT,

    CONSTRAINT "TrainingSignup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingMaterial" (
    "id" TEXT NOT NULL,
    "trainingId" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "addedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingMaterial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incubation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "stage" "IncubationStage" NOT NULL DEFAULT 'ENTERED',
    "enteredOn" TIMESTAMP(3) NOT NULL,
    "nurturingOn" TIMESTAMP(3),
    "graduatedOn" TIMESTAMP(3),
    "mentorId" TEXT,
    "goals" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incubation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MentorLog" (
    "id" TEXT NOT NULL,
    "incubationId" TEXT NOT NULL,
    "projectId" TEXT,
    "authorId" TEXT NOT NULL,
    "heldOn" TIMESTAMP(3) NOT NULL,
    "topic" TEXT NOT NULL,
    "advice" TEXT NOT NULL,
    "followUps" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MentorLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Training_number_key" ON "Training"("number");

-- CreateIndex
CREATE INDEX "Training_areaId_startsAt_idx" ON "Training"("areaId", "startsAt");

-- CreateIndex
CREATE INDEX "TrainingSignup_organizationId_idx" ON "TrainingSignup"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingSignup_trainingId_userId_key" ON "TrainingSignup"("trainingId", "userId");

-- CreateIndex
CREATE INDEX "TrainingMaterial_trainingId_idx" ON "TrainingMaterial"("trainingId");

-- CreateIndex
CREATE UNIQUE INDEX "Incubation_organizationId_key" ON "Incubation"("organizationId");

-- CreateIndex
CREATE INDEX "Incubation_areaId_idx" ON "Incubation"("areaId");

-- CreateIndex
CREATE INDEX "Incubation_mentorId_idx" ON "Incubation"("mentorId");

-- CreateIndex
CREATE INDEX "MentorLog_incubationId_heldOn_idx" ON "MentorLog"("incubationId", "heldOn");

-- AddForeignKey
ALTER TABLE "Training" ADD CONSTRAINT "Training_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Training" ADD CONSTRAINT "Training_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSignup" ADD CONSTRAINT "TrainingSignup_trainingId_fkey" FOREIGN KEY ("trainingId") REFERENCES "Training"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSignup" ADD CONSTRAINT "TrainingSignup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSignup" ADD CONSTRAINT "TrainingSignup_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingMaterial" ADD CONSTRAINT "TrainingMaterial_trainingId_fkey" FOREIGN KEY ("trainingId") REFERENCES "Training"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingMaterial" ADD CONSTRAINT "TrainingMaterial_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incubation" ADD CONSTRAINT "Incubation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incubation" ADD CONSTRAINT "Incubation_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incubation" ADD CONSTRAINT "Incubation_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorLog" ADD CONSTRAINT "MentorLog_incubationId_fkey" FOREIGN KEY ("incubationId") REFERENCES "Incubation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorLog" ADD CONSTRAINT "MentorLog_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorLog" ADD CONSTRAINT "MentorLog_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ───── hand-written: bounds, public-data version ─────
-- A training has seats, ends after it starts and happens somewhere (a venue or a link); a weight is a percentage.
ALTER TABLE "Training" ADD CONSTRAINT "Training_capacity" CHECK ("capacity" > 0);
ALTER TABLE "Training" ADD CONSTRAINT "Training_window" CHECK ("endsAt" > "startsAt");
ALTER TABLE "Training" ADD CONSTRAINT "Training_where" CHECK ("place" IS NOT NULL OR "onlineUrl" IS NOT NULL);
ALTER TABLE "Area" ADD CONSTRAINT "Area_trainingAttendanceWeight" CHECK ("trainingAttendanceWeight" >= 0 AND "trainingAttendanceWeight" <= 100);

-- The area's list of upcoming trainings is public (seats left move with sign-ups): these tables
-- move the public-data version (ADR 020).
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Training" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TrainingSignup" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
