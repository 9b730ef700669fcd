-- CreateEnum
CREATE TYPE "GranteeReminderKind" AS ENUM ('MILESTONE_DUE_SOON', 'MILESTONE_OVERDUE', 'AGREEMENT_UNSIGNED');

-- CreateTable
CREATE TABLE "GranteeReminder" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "GranteeReminderKind" NOT NULL,
    "projectId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "onDay" DATE NOT NULL,
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GranteeReminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GranteeReminder_key_key" ON "GranteeReminder"("key");

-- CreateIndex
CREATE INDEX "GranteeReminder_projectId_idx" ON "GranteeReminder"("projectId");

-- AddForeignKey
ALTER TABLE "GranteeReminder" ADD CONSTRAINT "GranteeReminder_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
