-- Receipt numbers are unique per foundation, not across all foundations: two funds may use the
-- same prefix, and a global index made every retry of such a payment fail. Written to be safe on
-- a database that already has the per-foundation index (one migrated from an edited copy of the
-- giving migration, which created it there).

-- DropIndex
DROP INDEX IF EXISTS "Donation_receiptNo_key";

-- CreateIndex
CREATE UNIQUE INDEX IF NOT EXISTS "Donation_foundationId_receiptNo_key" ON "Donation"("foundationId", "receiptNo");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Donation_receiptNo_idx" ON "Donation"("receiptNo");
