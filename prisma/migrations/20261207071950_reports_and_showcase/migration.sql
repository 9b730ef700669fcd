-- CreateEnum
CREATE TYPE "ReportKind" AS ENUM ('ROUND', 'ANNUAL');

-- CreateTable
CREATE TABLE "PublishedReport" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "ReportKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "roundId" TEXT,
    "year" INTEGER,
    "version" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "pdfSha256" TEXT NOT NULL,
    "publishedById" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublishedReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShowcaseCase" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "storyZh" TEXT NOT NULL,
    "storyEn" TEXT,
    "outcomesZh" TEXT NOT NULL,
    "outcomesEn" TEXT,
    "photoIds" TEXT[],
    "markedById" TEXT NOT NULL,
    "markedAt" TIMESTAMP(3) NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnById" TEXT,
    "withdrawReason" TEXT,

    CONSTRAINT "ShowcaseCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PublishedReport_number_key" ON "PublishedReport"("number");

-- CreateIndex
CREATE INDEX "PublishedReport_foundationId_publishedAt_idx" ON "PublishedReport"("foundationId", "publishedAt");

-- CreateIndex
CREATE INDEX "PublishedReport_roundId_publishedAt_idx" ON "PublishedReport"("roundId", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PublishedReport_subject_version_key" ON "PublishedReport"("subject", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ShowcaseCase_projectId_key" ON "ShowcaseCase"("projectId");

-- CreateIndex
CREATE INDEX "ShowcaseCase_areaId_withdrawnAt_idx" ON "ShowcaseCase"("areaId", "withdrawnAt");

-- CreateIndex
CREATE INDEX "ShowcaseCase_roundId_withdrawnAt_idx" ON "ShowcaseCase"("roundId", "withdrawnAt");

-- AddForeignKey
ALTER TABLE "PublishedReport" ADD CONSTRAINT "PublishedReport_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedReport" ADD CONSTRAINT "PublishedReport_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedReport" ADD CONSTRAINT "PublishedReport_publishedById_fkey" FOREIGN KEY ("publishedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShowcaseCase" ADD CONSTRAINT "ShowcaseCase_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShowcaseCase" ADD CONSTRAINT "ShowcaseCase_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShowcaseCase" ADD CONSTRAINT "ShowcaseCase_markedById_fkey" FOREIGN KEY ("markedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShowcaseCase" ADD CONSTRAINT "ShowcaseCase_withdrawnById_fkey" FOREIGN KEY ("withdrawnById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- a published report never changes: publishing again is the next version (docs/decisions/043)
CREATE TRIGGER "PublishedReport_append_only" BEFORE UPDATE OR DELETE ON "PublishedReport"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
CREATE TRIGGER "PublishedReport_no_truncate" BEFORE TRUNCATE ON "PublishedReport"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"();
-- both are read by public pages: the public-data version moves in the statement that changes them
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PublishedReport" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ShowcaseCase" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
