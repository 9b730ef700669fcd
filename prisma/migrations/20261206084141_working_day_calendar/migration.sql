-- AlterTable
ALTER TABLE "Award" ADD COLUMN     "noticeBasis" JSONB;

-- CreateTable
CREATE TABLE "CalendarYearEntry" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "holidays" TEXT[],
    "makeupWorkdays" TEXT[],
    "source" TEXT NOT NULL,
    "enteredById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarYearEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CalendarYearEntry_year_createdAt_idx" ON "CalendarYearEntry"("year", "createdAt");
