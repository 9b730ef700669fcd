-- CreateTable
CREATE TABLE "LedgerAccountTotal" (
    "accountId" TEXT NOT NULL,
    "balanceFen" BIGINT NOT NULL,
    "entries" INTEGER NOT NULL,

    CONSTRAINT "LedgerAccountTotal_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "LedgerKindTotal" (
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "sumFen" BIGINT NOT NULL,
    "entries" INTEGER NOT NULL,

    CONSTRAINT "LedgerKindTotal_pkey" PRIMARY KEY ("accountId","kind","year")
);

-- Running totals kept in the statement that inserts ledger entries, whatever inserts them
-- (postTransaction, the webhook's match draw, scripts and tests writing SQL): one trigger per
-- INSERT statement folds all its new entries into the totals (docs/decisions/019). Rows are
-- upserted in one order — account totals by account id, then kind totals by account, kind,
-- year — so concurrent postings queue on the account rows they share and never deadlock inside
-- one statement; a posting holds its accounts' rows until it commits.
CREATE FUNCTION "ledger_totals_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "LedgerAccountTotal" ("accountId", "balanceFen", entries)
  SELECT n."accountId", sum(n."amountFen")::bigint, count(*)::int
    FROM new_entries n GROUP BY n."accountId" ORDER BY n."accountId"
  ON CONFLICT ("accountId") DO UPDATE
    SET "balanceFen" = "LedgerAccountTotal"."balanceFen" + EXCLUDED."balanceFen",
        entries = "LedgerAccountTotal".entries + EXCLUDED.entries;
  INSERT INTO "LedgerKindTotal" ("accountId", kind, year, "sumFen", entries)
  SELECT n."accountId", t.kind, extract(year FROM t."occurredAt" + interval '8 hours')::int, sum(n."amountFen")::bigint, count(*)::int
    FROM new_entries n JOIN "LedgerTransaction" t ON t.id = n."transactionId"
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("accountId", kind, year) DO UPDATE
    SET "sumFen" = "LedgerKindTotal"."sumFen" + EXCLUDED."sumFen",
        entries = "LedgerKindTotal".entries + EXCLUDED.entries;
  RETURN NULL;
END
$$;

CREATE TRIGGER "LedgerEntry_totals" AFTER INSERT ON "LedgerEntry"
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_totals_add"();

-- Backfill from the entries already posted; the lock keeps entries from being inserted until
-- this migration commits, so none is counted twice or missed.
LOCK TABLE "LedgerEntry" IN SHARE MODE;
INSERT INTO "LedgerAccountTotal" ("accountId", "balanceFen", entries)
SELECT e."accountId", sum(e."amountFen")::bigint, count(*)::int FROM "LedgerEntry" e GROUP BY e."accountId";
INSERT INTO "LedgerKindTotal" ("accountId", kind, year, "sumFen", entries)
SELECT e."accountId", t.kind, extract(year FROM t."occurredAt" + interval '8 hours')::int, sum(e."amountFen")::bigint, count(*)::int
  FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
 GROUP BY 1, 2, 3;
