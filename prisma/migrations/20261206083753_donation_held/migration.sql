-- AlterEnum
ALTER TYPE "DonationStatus" ADD VALUE 'HELD';

-- AlterTable
ALTER TABLE "Donation" ADD COLUMN     "receivedAmount" INTEGER,
ADD COLUMN     "receivedCurrency" TEXT;
