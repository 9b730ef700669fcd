-- AlterEnum
ALTER TYPE "EvaluationStatus" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "budgetCaps" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "eligibleOrgKinds" "OrganizationKind"[] DEFAULT ARRAY[]::"OrganizationKind"[],
ADD COLUMN     "maxOpenProjects" INTEGER,
ADD COLUMN     "orgInRoundArea" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "refuseTroubledOrgs" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "communityCapFen" SET DATA TYPE BIGINT,
ALTER COLUMN "categoryCapFen" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "withdrawnAt" TIMESTAMP(3);
