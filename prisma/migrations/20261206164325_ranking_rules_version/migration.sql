-- AlterTable
ALTER TABLE "OrgRanking" ADD COLUMN     "rulesVersion" INTEGER NOT NULL DEFAULT 1;
