-- CreateTable
CREATE TABLE "DonationTotal" (
    "scope" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "wallGifts" INTEGER NOT NULL,
    "publicGifts" INTEGER NOT NULL,
    "raisedFen" BIGINT NOT NULL,

    CONSTRAINT "DonationTotal_pkey" PRIMARY KEY ("scope","ownerId")
);

-- Hand-written: running totals of gifts per foundation and per campaign, kept in the statement
-- that changes gifts, whatever changes them (the webhook's settlement and refunds, checkout,
-- erasure, scripts and tests writing SQL): one trigger per statement folds the rows it inserted,
-- updated or deleted into the totals (docs/decisions/023-keyset-lists-and-gift-counts.md). An
-- update counts as its old rows taken away and its new rows added. Only owners whose totals move
-- are written, so a statement that changes no figure (a new pending checkout, a session id, an
-- erasure) locks no total. Rows are upserted in (scope, owner) order: a campaign's row before its
-- foundation's, as every payment of the campaign already queues on the foundation's and the
-- campaign's locks (fulfil.server.ts), so concurrent statements queue rather than deadlock.
CREATE FUNCTION "donation_totals_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cols constant text := '"foundationId", "campaignId", status, "paidAt", "amountFen", "refundedFen"';
  -- the rows the statement added (+1) and took away (−1): an update takes its old rows away and adds its new ones
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_gifts', cols)
    WHEN 'UPDATE' THEN format('SELECT 1 AS sign, %s FROM new_gifts UNION ALL SELECT -1, %s FROM old_gifts', cols, cols)
    ELSE format('SELECT -1 AS sign, %s FROM old_gifts', cols) END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO "DonationTotal" (scope, "ownerId", "wallGifts", "publicGifts", "raisedFen")
    SELECT o.scope, o."ownerId", sum(g.sign * g.wall)::int, sum(g.sign * g.pub)::int, sum(g.sign * g.raised)::bigint
      FROM (
        SELECT d.sign, d."foundationId", d."campaignId",
               CASE WHEN d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') AND d."paidAt" IS NOT NULL THEN 1 ELSE 0 END AS wall,
               CASE WHEN d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'DISPUTED') THEN 1 ELSE 0 END AS pub,
               CASE WHEN d."paidAt" IS NOT NULL THEN d."amountFen"::bigint - d."refundedFen" ELSE 0 END AS raised
          FROM (%s) d
      ) g
      CROSS JOIN LATERAL (VALUES ('campaign', g."campaignId"), ('foundation', g."foundationId")) AS o(scope, "ownerId")
     WHERE o."ownerId" IS NOT NULL
     GROUP BY 1, 2
    HAVING sum(g.sign * g.wall) <> 0 OR sum(g.sign * g.pub) <> 0 OR sum(g.sign * g.raised) <> 0
     ORDER BY 1, 2
    ON CONFLICT (scope, "ownerId") DO UPDATE
      SET "wallGifts" = "DonationTotal"."wallGifts" + EXCLUDED."wallGifts",
          "publicGifts" = "DonationTotal"."publicGifts" + EXCLUDED."publicGifts",
          "raisedFen" = "DonationTotal"."raisedFen" + EXCLUDED."raisedFen"
  $sql$, changed);
  RETURN NULL;
END
$$;

-- a statement-level trigger with transition tables serves one event: three of them
CREATE TRIGGER "Donation_totals_insert" AFTER INSERT ON "Donation"
  REFERENCING NEW TABLE AS new_gifts
  FOR EACH STATEMENT EXECUTE FUNCTION "donation_totals_change"();
CREATE TRIGGER "Donation_totals_update" AFTER UPDATE ON "Donation"
  REFERENCING OLD TABLE AS old_gifts NEW TABLE AS new_gifts
  FOR EACH STATEMENT EXECUTE FUNCTION "donation_totals_change"();
CREATE TRIGGER "Donation_totals_delete" AFTER DELETE ON "Donation"
  REFERENCING OLD TABLE AS old_gifts
  FOR EACH STATEMENT EXECUTE FUNCTION "donation_totals_change"();

-- Backfill from the gifts already there; creating the triggers locked "Donation" against writes
-- until this migration commits, so no gift is counted twice or missed.
INSERT INTO "DonationTotal" (scope, "ownerId", "wallGifts", "publicGifts", "raisedFen")
SELECT o.scope, o."ownerId",
       count(*) FILTER (WHERE d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') AND d."paidAt" IS NOT NULL)::int,
       count(*) FILTER (WHERE d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'DISPUTED'))::int,
       coalesce(sum(d."amountFen"::bigint - d."refundedFen") FILTER (WHERE d."paidAt" IS NOT NULL), 0)::bigint
  FROM "Donation" d
  CROSS JOIN LATERAL (VALUES ('campaign', d."campaignId"), ('foundation', d."foundationId")) AS o(scope, "ownerId")
 WHERE o."ownerId" IS NOT NULL
 GROUP BY 1, 2
HAVING count(*) FILTER (WHERE d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'DISPUTED')) > 0
    OR coalesce(sum(d."amountFen"::bigint - d."refundedFen") FILTER (WHERE d."paidAt" IS NOT NULL), 0) <> 0;
