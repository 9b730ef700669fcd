-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "titleEn" TEXT;
