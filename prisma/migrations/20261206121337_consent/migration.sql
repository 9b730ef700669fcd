-- CreateEnum
CREATE TYPE "ConsentKind" AS ENUM ('PRIVACY_NOTICE', 'DONATION_PRIVACY', 'PUBLIC_NAMING');

-- AlterTable
ALTER TABLE "Donation" ALTER COLUMN "anonymous" SET DEFAULT true;

-- AlterTable
ALTER TABLE "RecurringGift" ALTER COLUMN "anonymous" SET DEFAULT true;

-- CreateTable
CREATE TABLE "Consent" (
    "id" TEXT NOT NULL,
    "kind" "ConsentKind" NOT NULL,
    "noticeVersion" TEXT NOT NULL,
    "userId" TEXT,
    "donationId" TEXT,
    "recurringGiftId" TEXT,
    "acceptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Consent_userId_kind_idx" ON "Consent"("userId", "kind");

-- CreateIndex
CREATE INDEX "Consent_donationId_idx" ON "Consent"("donationId");

-- CreateIndex
CREATE INDEX "Consent_recurringGiftId_idx" ON "Consent"("recurringGiftId");

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_donationId_fkey" FOREIGN KEY ("donationId") REFERENCES "Donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_recurringGiftId_fkey" FOREIGN KEY ("recurringGiftId") REFERENCES "RecurringGift"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ───── hand-written: existing gifts, who a consent belongs to, append-only guard ─────

-- No gift made before consents were recorded has a consent to be named publicly: all are shown as
-- 爱心人士 without their message from now on (the column now means "not named publicly").
UPDATE "Donation" SET "anonymous" = true WHERE "anonymous" = false;
UPDATE "RecurringGift" SET "anonymous" = true WHERE "anonymous" = false;

-- A privacy-notice consent is a person's; a gift's consents belong to exactly one gift (a one-time
-- gift, or the monthly gift whose charges inherit them), with the donor's account when signed in.
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_subject" CHECK (
  CASE WHEN "kind" = 'PRIVACY_NOTICE'
    THEN "userId" IS NOT NULL AND "donationId" IS NULL AND "recurringGiftId" IS NULL
    ELSE ("donationId" IS NULL) <> ("recurringGiftId" IS NULL)
  END
);

-- Consents are proof: never deleted, their facts never changed. A withdrawal sets "withdrawnAt"
-- once; account deletion may erase the address and browser (set them to NULL).
CREATE FUNCTION "consent_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     OR NEW."id" IS DISTINCT FROM OLD."id"
     OR NEW."kind" IS DISTINCT FROM OLD."kind"
     OR NEW."noticeVersion" IS DISTINCT FROM OLD."noticeVersion"
     OR NEW."userId" IS DISTINCT FROM OLD."userId"
     OR NEW."donationId" IS DISTINCT FROM OLD."donationId"
     OR NEW."recurringGiftId" IS DISTINCT FROM OLD."recurringGiftId"
     OR NEW."acceptedAt" IS DISTINCT FROM OLD."acceptedAt"
     OR (NEW."ip" IS DISTINCT FROM OLD."ip" AND NEW."ip" IS NOT NULL)
     OR (NEW."userAgent" IS DISTINCT FROM OLD."userAgent" AND NEW."userAgent" IS NOT NULL)
     OR (OLD."withdrawnAt" IS NOT NULL AND NEW."withdrawnAt" IS DISTINCT FROM OLD."withdrawnAt")
  THEN
    RAISE EXCEPTION 'Consent is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Consent_append_only" BEFORE UPDATE OR DELETE ON "Consent"
  FOR EACH ROW EXECUTE FUNCTION "consent_append_only"();
CREATE TRIGGER "Consent_no_truncate" BEFORE TRUNCATE ON "Consent"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"();
