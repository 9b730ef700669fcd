-- AlterTable
ALTER TABLE "Training" ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "cancelledAt" TIMESTAMP(3);

-- hand-written: a cancelled training says why
ALTER TABLE "Training" ADD CONSTRAINT "Training_cancelReason" CHECK ("cancelledAt" IS NULL OR length(btrim("cancelReason")) > 0);
