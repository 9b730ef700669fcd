-- CreateTable
CREATE TABLE "PublicDataVersion" (
    "slot" INTEGER NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublicDataVersion_pkey" PRIMARY KEY ("slot")
);

-- CreateTable
CREATE TABLE "PublicDataChange" (
    "txid" BIGINT NOT NULL,

    CONSTRAINT "PublicDataChange_pkey" PRIMARY KEY ("txid")
);


-- Hand-written: the public-data version (docs/decisions/020-public-page-cache.md).
-- 64 slots: the version is their sum. A committing transaction bumps the slot of its backend, so
-- concurrent commits (on different connections) update different rows and do not wait for each other.
INSERT INTO "PublicDataVersion" ("slot") SELECT s FROM generate_series(0, 63) s;

-- Statement level, once per statement whatever the number of rows: marks the transaction (once,
-- remembered in a transaction-local setting) as one that changed public data. Takes no lock on
-- the counter, so writers do not queue behind one another mid-transaction.
CREATE FUNCTION public_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cvp.public_data_changed', true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config('cvp.public_data_changed', 'yes', true);
    INSERT INTO "PublicDataChange" ("txid") VALUES (txid_current()) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- Deferred to commit: bumps the backend's slot as one of the transaction's last acts, so the version
-- changes exactly when the data does, and the slot's row lock is taken after every other lock.
CREATE FUNCTION public_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "PublicDataVersion" SET "version" = "version" + 1, "changedAt" = now() WHERE "slot" = pg_backend_pid() % 64;
  DELETE FROM "PublicDataChange" WHERE "txid" = NEW."txid";
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "zz_public_data_version_bump" AFTER INSERT ON "PublicDataChange"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public_data_version_bump();

-- Every table a public page reads (home, needs, rounds, projects, foundations, campaigns,
-- transparency, open data, areas). The tables left out are listed, with the reason, in
-- app/lib/public-cache.ts (EXCLUDED_FROM_PUBLIC_VERSION); an integration test checks every table is in one list or the other.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'Area', 'User', 'RoleGrant', 'Organization', 'OrganizationMember', 'Foundation',
    'LedgerAccount', 'LedgerTransaction', 'LedgerEntry', 'Upload', 'Round', 'PoolDraw',
    'Need', 'NeedVote', 'Proposal', 'ProposalMilestone', 'ProposalBudgetLine', 'ProposalTeamMember',
    'ProposalNeed', 'ProposalAttachment', 'ScreeningDecision', 'RoundJudge', 'ScoreSheet',
    'RoadshowScore', 'PublicVote', 'AllocationOverride', 'Award', 'CalendarYearEntry', 'Objection',
    'Project', 'ProjectMilestone', 'Tranche', 'ProjectBudgetLine', 'MilestoneReport', 'ReportFile',
    'ReportDecision', 'Expense', 'ExpenseReceipt', 'BudgetAdjustment', 'ProjectAlert', 'CallSample',
    'CallRecord', 'Evaluation', 'Donation', 'RecurringGift', 'DirectedInvitation', 'PaymentEvent',
    'MatchingCampaign', 'DonationMatch'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed()',
      t);
  END LOOP;
END $$;
