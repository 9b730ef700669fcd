-- CreateEnum
CREATE TYPE "DonationStatus" AS ENUM ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'DISPUTED');

-- CreateEnum
CREATE TYPE "DonationFrequency" AS ENUM ('ONCE', 'MONTHLY');

-- CreateEnum
CREATE TYPE "RecurringStatus" AS ENUM ('PENDING', 'ACTIVE', 'CANCELED');

-- CreateEnum
CREATE TYPE "CampaignSponsorKind" AS ENUM ('GOVERNMENT', 'COMPANY');

-- CreateEnum
CREATE TYPE "RefundOrigin" AS ENUM ('MANAGER', 'PROVIDER');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerAccountKind" ADD VALUE 'FOUNDATION_EARMARKED';
ALTER TYPE "LedgerAccountKind" ADD VALUE 'EXTERNAL_SPONSOR';

-- AlterTable
ALTER TABLE "Foundation" ADD COLUMN     "receiptPrefix" TEXT NOT NULL DEFAULT 'CF';

-- CreateTable
CREATE TABLE "Donation" (
    "id" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "roundId" TEXT,
    "projectId" TEXT,
    "campaignId" TEXT,
    "recurringGiftId" TEXT,
    "frequency" "DonationFrequency" NOT NULL DEFAULT 'ONCE',
    "amountFen" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "donorName" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "message" TEXT,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "locale" "Locale" NOT NULL DEFAULT 'zh_CN',
    "checkoutSessionId" TEXT,
    "paymentIntentId" TEXT,
    "invoiceId" TEXT,
    "status" "DonationStatus" NOT NULL DEFAULT 'PENDING',
    "payment" JSONB NOT NULL,
    "refundedFen" INTEGER NOT NULL DEFAULT 0,
    "matchedFen" INTEGER NOT NULL DEFAULT 0,
    "receiptNo" TEXT,
    "paidAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Donation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecurringGift" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "roundId" TEXT,
    "projectId" TEXT,
    "campaignId" TEXT,
    "amountFen" INTEGER NOT NULL,
    "donorName" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "message" TEXT,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "locale" "Locale" NOT NULL DEFAULT 'zh_CN',
    "checkoutSessionId" TEXT,
    "subscriptionId" TEXT,
    "customerId" TEXT,
    "status" "RecurringStatus" NOT NULL DEFAULT 'PENDING',
    "canceledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecurringGift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "objectId" TEXT,
    "donationId" TEXT,
    "outcome" TEXT NOT NULL,
    "stripeCreatedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParkedPaymentFact" (
    "id" TEXT NOT NULL,
    "paymentIntentId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "fact" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParkedPaymentFact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceiptCounter" (
    "foundationId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReceiptCounter_pkey" PRIMARY KEY ("foundationId","year")
);

-- CreateTable
CREATE TABLE "MatchingCampaign" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "foundationId" TEXT NOT NULL,
    "titleZh" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "descriptionZh" TEXT NOT NULL,
    "descriptionEn" TEXT NOT NULL,
    "sponsorName" TEXT NOT NULL,
    "sponsorKind" "CampaignSponsorKind" NOT NULL,
    "ratioSponsor" INTEGER NOT NULL,
    "ratioDonor" INTEGER NOT NULL,
    "perDonationCapFen" INTEGER,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "eligibleProjectIds" TEXT[],
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatchingCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DonationMatch" (
    "id" TEXT NOT NULL,
    "donationId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "matchedFen" INTEGER NOT NULL,
    "returnedFen" INTEGER NOT NULL DEFAULT 0,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DonationMatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefundRequest" (
    "id" TEXT NOT NULL,
    "donationId" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "origin" "RefundOrigin" NOT NULL,
    "requestedById" TEXT,
    "providerRefundId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefundRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Donation_ref_key" ON "Donation"("ref");

-- CreateIndex
CREATE UNIQUE INDEX "Donation_token_key" ON "Donation"("token");

-- CreateIndex
CREATE UNIQUE INDEX "Donation_checkoutSessionId_key" ON "Donation"("checkoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Donation_paymentIntentId_key" ON "Donation"("paymentIntentId");

-- CreateIndex
CREATE UNIQUE INDEX "Donation_invoiceId_key" ON "Donation"("invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "Donation_foundationId_receiptNo_key" ON "Donation"("foundationId", "receiptNo");

-- CreateIndex
CREATE INDEX "Donation_receiptNo_idx" ON "Donation"("receiptNo");

-- CreateIndex
CREATE INDEX "Donation_foundationId_status_paidAt_idx" ON "Donation"("foundationId", "status", "paidAt");

-- CreateIndex
CREATE INDEX "Donation_campaignId_status_idx" ON "Donation"("campaignId", "status");

-- CreateIndex
CREATE INDEX "Donation_userId_idx" ON "Donation"("userId");

-- CreateIndex
CREATE INDEX "Donation_projectId_idx" ON "Donation"("projectId");

-- CreateIndex
CREATE INDEX "Donation_roundId_idx" ON "Donation"("roundId");

-- CreateIndex
CREATE UNIQUE INDEX "RecurringGift_token_key" ON "RecurringGift"("token");

-- CreateIndex
CREATE UNIQUE INDEX "RecurringGift_checkoutSessionId_key" ON "RecurringGift"("checkoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "RecurringGift_subscriptionId_key" ON "RecurringGift"("subscriptionId");

-- CreateIndex
CREATE INDEX "RecurringGift_userId_idx" ON "RecurringGift"("userId");

-- CreateIndex
CREATE INDEX "PaymentEvent_donationId_idx" ON "PaymentEvent"("donationId");

-- CreateIndex
CREATE UNIQUE INDEX "ParkedPaymentFact_eventId_key" ON "ParkedPaymentFact"("eventId");

-- CreateIndex
CREATE INDEX "ParkedPaymentFact_paymentIntentId_idx" ON "ParkedPaymentFact"("paymentIntentId");

-- CreateIndex
CREATE UNIQUE INDEX "MatchingCampaign_slug_key" ON "MatchingCampaign"("slug");

-- CreateIndex
CREATE INDEX "DonationMatch_campaignId_idx" ON "DonationMatch"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "DonationMatch_donationId_campaignId_key" ON "DonationMatch"("donationId", "campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_providerRefundId_key" ON "RefundRequest"("providerRefundId");

-- CreateIndex
CREATE INDEX "RefundRequest_donationId_idx" ON "RefundRequest"("donationId");

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "MatchingCampaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_recurringGiftId_fkey" FOREIGN KEY ("recurringGiftId") REFERENCES "RecurringGift"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecurringGift" ADD CONSTRAINT "RecurringGift_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecurringGift" ADD CONSTRAINT "RecurringGift_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceiptCounter" ADD CONSTRAINT "ReceiptCounter_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatchingCampaign" ADD CONSTRAINT "MatchingCampaign_foundationId_fkey" FOREIGN KEY ("foundationId") REFERENCES "Foundation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DonationMatch" ADD CONSTRAINT "DonationMatch_donationId_fkey" FOREIGN KEY ("donationId") REFERENCES "Donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DonationMatch" ADD CONSTRAINT "DonationMatch_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "MatchingCampaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundRequest" ADD CONSTRAINT "RefundRequest_donationId_fkey" FOREIGN KEY ("donationId") REFERENCES "Donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- hand-written: money rules the database enforces whatever the code does
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_amount_range" CHECK ("amountFen" BETWEEN 100 AND 10000000);
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_refund_range" CHECK ("refundedFen" BETWEEN 0 AND "amountFen");
ALTER TABLE "Donation" ADD CONSTRAINT "Donation_matched_nonneg" CHECK ("matchedFen" >= 0);
ALTER TABLE "DonationMatch" ADD CONSTRAINT "DonationMatch_returned_range" CHECK ("returnedFen" BETWEEN 0 AND "matchedFen");
ALTER TABLE "MatchingCampaign" ADD CONSTRAINT "MatchingCampaign_ratio" CHECK ("ratioSponsor" BETWEEN 1 AND 100 AND "ratioDonor" BETWEEN 1 AND 100);
ALTER TABLE "MatchingCampaign" ADD CONSTRAINT "MatchingCampaign_window" CHECK ("endsAt" > "startsAt");
ALTER TABLE "ReceiptCounter" ADD CONSTRAINT "ReceiptCounter_seq" CHECK ("lastSeq" >= 0);
ALTER TABLE "Foundation" ADD CONSTRAINT "Foundation_receipt_prefix" CHECK ("receiptPrefix" ~ '^[A-Z0-9]{1,8}$');

-- a receipt number, once given, never changes (receipts are legal documents)
CREATE FUNCTION donation_receipt_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD."receiptNo" IS NOT NULL AND NEW."receiptNo" IS DISTINCT FROM OLD."receiptNo" THEN
    RAISE EXCEPTION 'receipt number % cannot change', OLD."receiptNo";
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER donation_receipt_frozen BEFORE UPDATE ON "Donation" FOR EACH ROW EXECUTE FUNCTION donation_receipt_frozen();

-- the event log of the payment provider is append-only
CREATE FUNCTION payment_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'PaymentEvent rows are never changed or removed';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER payment_event_append_only BEFORE UPDATE OR DELETE ON "PaymentEvent" FOR EACH ROW EXECUTE FUNCTION payment_event_append_only();
