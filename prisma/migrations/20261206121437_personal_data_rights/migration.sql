-- CreateEnum
CREATE TYPE "PersonalDataExportStatus" AS ENUM ('REQUESTED', 'READY', 'EXPIRED', 'FAILED');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PersonalDataExport" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "PersonalDataExportStatus" NOT NULL DEFAULT 'REQUESTED',
    "requestedById" TEXT,
    "identityCheck" TEXT,
    "tokenHash" TEXT,
    "storageKey" TEXT,
    "sizeBytes" INTEGER,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readyAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "downloadedAt" TIMESTAMP(3),

    CONSTRAINT "PersonalDataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PersonalDataExport_tokenHash_key" ON "PersonalDataExport"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "PersonalDataExport_storageKey_key" ON "PersonalDataExport"("storageKey");

-- CreateIndex
CREATE INDEX "PersonalDataExport_userId_requestedAt_idx" ON "PersonalDataExport"("userId", "requestedAt");

-- CreateIndex
CREATE INDEX "PersonalDataExport_status_expiresAt_idx" ON "PersonalDataExport"("status", "expiresAt");

-- AddForeignKey
ALTER TABLE "PersonalDataExport" ADD CONSTRAINT "PersonalDataExport_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonalDataExport" ADD CONSTRAINT "PersonalDataExport_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ───── hand-written: the narrow changes an account erasure may make to frozen records ─────
-- (docs/decisions/017-personal-data-rights.md). Only the erasure transaction sets the
-- transaction-local setting app.personal_data_erasure = 'on' (SET LOCAL); everything else is
-- refused exactly as before.

-- The audit log stays append-only, except that an erasure may rewrite the JSON of a record
-- ("before"/"after") to remove a name or e-mail address. Every other column (the hash included)
-- must stay as it was; the erasure appends an "audit.redacted" record that vouches for the
-- rewritten content, which audit:verify checks. DELETE and TRUNCATE stay refused.
CREATE FUNCTION "audit_log_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('app.personal_data_erasure', true) = 'on'
     AND (NEW."seq", NEW."at", NEW."actorId", NEW."action", NEW."objectType", NEW."objectId", NEW."requestId", NEW."prevHash", NEW."hash")
         IS NOT DISTINCT FROM
         (OLD."seq", OLD."at", OLD."actorId", OLD."action", OLD."objectType", OLD."objectId", OLD."requestId", OLD."prevHash", OLD."hash") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END
$$;
DROP TRIGGER "AuditLog_append_only" ON "AuditLog";
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_guard"();

-- A submitted proposal stays frozen, except that an erasure may rewrite its snapshot (the
-- submitter's name becomes the pseudonym) together with the snapshot's SHA-256; the erasure
-- audits the old and new hash.
CREATE OR REPLACE FUNCTION "proposal_frozen_after_submit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'DRAFT' THEN
      RAISE EXCEPTION 'proposal % is submitted: DELETE refused', OLD."id" USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."status" <> 'DRAFT' AND current_setting('app.personal_data_erasure', true) = 'on'
     AND (NEW."status", NEW."roundId", NEW."organizationId", NEW."createdById", NEW."referenceNo", NEW."title",
          NEW."summary", NEW."communityId", NEW."category", NEW."beneficiaryGroups",
          NEW."beneficiaryCount", NEW."activityPlan", NEW."coFundingFen", NEW."requestedFen",
          NEW."submittedAt", NEW."submittedById", NEW."version")
         IS NOT DISTINCT FROM
         (OLD."status", OLD."roundId", OLD."organizationId", OLD."createdById", OLD."referenceNo", OLD."title",
          OLD."summary", OLD."communityId", OLD."category", OLD."beneficiaryGroups",
          OLD."beneficiaryCount", OLD."activityPlan", OLD."coFundingFen", OLD."requestedFen",
          OLD."submittedAt", OLD."submittedById", OLD."version") THEN
    RETURN NEW;
  END IF;
  IF OLD."status" <> 'DRAFT' AND (
       NEW."status" = 'DRAFT'
    OR (NEW."roundId", NEW."organizationId", NEW."createdById", NEW."referenceNo", NEW."title",
        NEW."summary", NEW."communityId", NEW."category", NEW."beneficiaryGroups",
        NEW."beneficiaryCount", NEW."activityPlan", NEW."coFundingFen", NEW."requestedFen",
        NEW."snapshot"::text, NEW."snapshotSha256", NEW."submittedAt", NEW."submittedById", NEW."version")
       IS DISTINCT FROM
       (OLD."roundId", OLD."organizationId", OLD."createdById", OLD."referenceNo", OLD."title",
        OLD."summary", OLD."communityId", OLD."category", OLD."beneficiaryGroups",
        OLD."beneficiaryCount", OLD."activityPlan", OLD."coFundingFen", OLD."requestedFen",
        OLD."snapshot"::text, OLD."snapshotSha256", OLD."submittedAt", OLD."submittedById", OLD."version")
  ) THEN
    RAISE EXCEPTION 'proposal % is submitted: its content cannot change', OLD."id" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;

-- A submitted proposal's team stays frozen, except that an erasure may replace the erased
-- person's name on a team row by the pseudonym (nothing else of the row).
CREATE OR REPLACE FUNCTION "proposal_child_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent_status "ProposalStatus";
BEGIN
  SELECT "status" INTO parent_status FROM "Proposal"
    WHERE "id" = (CASE WHEN TG_OP = 'DELETE' THEN OLD."proposalId" ELSE NEW."proposalId" END);
  -- NULL: the parent is being deleted (a draft, cascading) — allowed
  IF parent_status IS NOT NULL AND parent_status <> 'DRAFT' THEN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'ProposalTeamMember' AND current_setting('app.personal_data_erasure', true) = 'on' THEN
      IF (NEW."id", NEW."proposalId", NEW."position", NEW."role", NEW."experience")
         IS NOT DISTINCT FROM (OLD."id", OLD."proposalId", OLD."position", OLD."role", OLD."experience") THEN
        RETURN NEW;
      END IF;
    END IF;
    RAISE EXCEPTION '% of a submitted proposal: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
