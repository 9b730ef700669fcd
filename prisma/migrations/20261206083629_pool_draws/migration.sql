-- CreateEnum
CREATE TYPE "PoolDrawStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "PoolDraw" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "status" "PoolDrawStatus" NOT NULL DEFAULT 'PENDING',
    "requestedById" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "reason" TEXT,
    "ledgerTransactionId" TEXT,

    CONSTRAINT "PoolDraw_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PoolDraw_roundId_status_idx" ON "PoolDraw"("roundId", "status");

-- CreateIndex
CREATE INDEX "PoolDraw_status_requestedAt_idx" ON "PoolDraw"("status", "requestedAt");

-- AddForeignKey
ALTER TABLE "PoolDraw" ADD CONSTRAINT "PoolDraw_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PoolDraw" ADD CONSTRAINT "PoolDraw_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
