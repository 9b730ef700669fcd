-- Receipt prefixes become unique across foundations, so that a receipt number names one gift
-- everywhere. Foundations that share a prefix today (the old default was "CF" for all) keep the
-- prefix on the earliest of them; each later one gets "F" and seven hex digits of its id's hash.
-- Receipts already issued keep their numbers (Donation."receiptNo" is stored); only receipts
-- numbered from now on use the new prefix, continuing the foundation's own yearly counter.
UPDATE "Foundation" f
   SET "receiptPrefix" = 'F' || upper(substr(md5(f.id), 1, 7))
  FROM (SELECT id, row_number() OVER (PARTITION BY "receiptPrefix" ORDER BY "createdAt", id) AS n FROM "Foundation") d
 WHERE d.id = f.id AND d.n > 1;

-- AlterTable
ALTER TABLE "Foundation" ALTER COLUMN "receiptPrefix" SET DEFAULT ('F'::text || upper(substr(md5((gen_random_uuid())::text), 1, 7)));

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "budgetLineNo" TEXT;

-- AlterTable
ALTER TABLE "PoolDraw" ADD COLUMN     "budgetLineNo" TEXT;

-- CreateTable
CREATE TABLE "Appropriation" (
    "id" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "documentNo" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "attachmentUploadId" TEXT,
    "ledgerTransactionId" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Appropriation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Appropriation_ledgerTransactionId_key" ON "Appropriation"("ledgerTransactionId");

-- CreateIndex
CREATE INDEX "Appropriation_foundationId_occurredAt_id_idx" ON "Appropriation"("foundationId", "occurredAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Foundation_receiptPrefix_key" ON "Foundation"("receiptPrefix");

-- AddForeignKey
ALTER TABLE "Appropriation" ADD CONSTRAINT "Appropriation_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appropriation" ADD CONSTRAINT "Appropriation_attachmentUploadId_fkey" FOREIGN KEY ("attachmentUploadId") REFERENCES "Upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;
