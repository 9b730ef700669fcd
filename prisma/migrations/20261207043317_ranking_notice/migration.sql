-- CreateTable
CREATE TABLE "RankingNotice" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "areaId" TEXT NOT NULL,
    "quarter" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "weights" JSONB NOT NULL,
    "rows" JSONB NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "publishedById" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RankingNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RankingNotice_number_key" ON "RankingNotice"("number");

-- CreateIndex
CREATE INDEX "RankingNotice_areaId_publishedAt_idx" ON "RankingNotice"("areaId", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RankingNotice_areaId_quarter_version_key" ON "RankingNotice"("areaId", "quarter", "version");

-- AddForeignKey
ALTER TABLE "RankingNotice" ADD CONSTRAINT "RankingNotice_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingNotice" ADD CONSTRAINT "RankingNotice_publishedById_fkey" FOREIGN KEY ("publishedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- a published ranking never changes: corrections are new versions (docs/decisions/021)
CREATE TRIGGER "RankingNotice_append_only" BEFORE UPDATE OR DELETE ON "RankingNotice"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
CREATE TRIGGER "RankingNotice_no_truncate" BEFORE TRUNCATE ON "RankingNotice"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RankingNotice" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
