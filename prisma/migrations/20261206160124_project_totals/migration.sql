-- CreateTable
CREATE TABLE "ProjectTotal" (
    "projectId" TEXT NOT NULL,
    "releasedFen" BIGINT NOT NULL DEFAULT 0,
    "releasedTranches" INTEGER NOT NULL DEFAULT 0,
    "spentFen" BIGINT NOT NULL DEFAULT 0,
    "approvedExpenses" INTEGER NOT NULL DEFAULT 0,
    "offBudgetFen" BIGINT NOT NULL DEFAULT 0,
    "offBudgetExpenses" INTEGER NOT NULL DEFAULT 0,
    "callsSatisfied" INTEGER NOT NULL DEFAULT 0,
    "callsPartly" INTEGER NOT NULL DEFAULT 0,
    "callsNotSatisfied" INTEGER NOT NULL DEFAULT 0,
    "callsUnreached" INTEGER NOT NULL DEFAULT 0,
    "callsPending" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProjectTotal_pkey" PRIMARY KEY ("projectId")
);

-- CreateTable
CREATE TABLE "BudgetLineTotal" (
    "projectId" TEXT NOT NULL,
    "budgetLineId" TEXT NOT NULL,
    "spentFen" BIGINT NOT NULL DEFAULT 0,
    "approvedExpenses" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BudgetLineTotal_pkey" PRIMARY KEY ("projectId","budgetLineId")
);

-- CreateTable
CREATE TABLE "OrgRanking" (
    "areaId" TEXT NOT NULL,
    "quarter" TEXT NOT NULL,
    "weights" JSONB NOT NULL,
    "rows" JSONB NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrgRanking_pkey" PRIMARY KEY ("areaId","quarter")
);

-- AddForeignKey
ALTER TABLE "OrgRanking" ADD CONSTRAINT "OrgRanking_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the projects' running totals (docs/decisions/021-project-running-totals-and-stored-ranking.md),
-- kept in the statement that moves them, whatever writes it (the services, the demo seed, scripts and
-- tests writing SQL), as the ledger's totals are (docs/decisions/019).
--
-- One trigger per statement and event, with its transition tables: the statement's rows count with
-- sign +1 as written (new_rows) and −1 as they were before (old_rows), so an insert adds, a delete
-- takes away and an update moves a row's contribution from its old state to its new one (an expense
-- approved, a tranche released, a call made, an amount or a line changed, a row moved to another
-- project). Groups whose delta is zero are not written: an update that moves nothing counted takes
-- no lock on a total. Totals are upserted in one order — projects by id, then budget lines by
-- (project, line) — so statements that share a total queue on it rather than deadlock.

-- The rows a statement moved, with their sign, as SQL over the trigger's transition tables.
CREATE FUNCTION "totals_moved"(op text, cols text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS sign FROM new_rows', cols)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS sign FROM old_rows', cols)
    ELSE format('SELECT %1$s, 1 AS sign FROM new_rows UNION ALL SELECT %1$s, -1 AS sign FROM old_rows', cols)
  END
$$;

-- Released: the RELEASED tranches of each project.
CREATE FUNCTION "tranche_totals_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO "ProjectTotal" AS t ("projectId", "releasedFen", "releasedTranches")
    SELECT m."projectId", sum(m.sign * m."amountFen")::bigint, sum(m.sign)::int
      FROM (%s) m
     WHERE m.status = 'RELEASED'
     GROUP BY m."projectId"
    HAVING sum(m.sign * m."amountFen") <> 0 OR sum(m.sign) <> 0
     ORDER BY m."projectId"
    ON CONFLICT ("projectId") DO UPDATE
      SET "releasedFen" = t."releasedFen" + EXCLUDED."releasedFen",
          "releasedTranches" = t."releasedTranches" + EXCLUDED."releasedTranches"
  $sql$, "totals_moved"(TG_OP, '"projectId", status, "amountFen"'));
  RETURN NULL;
END
$$;

-- Spent: the APPROVED expenses of each project, of which those outside every line, and per line.
CREATE FUNCTION "expense_totals_move"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved text := "totals_moved"(TG_OP, '"projectId", "budgetLineId", status, "amountFen"');
BEGIN
  EXECUTE format($sql$
    INSERT INTO "ProjectTotal" AS t ("projectId", "spentFen", "approvedExpenses", "offBudgetFen", "offBudgetExpenses")
    SELECT m."projectId", sum(m.sign * m."amountFen")::bigint, sum(m.sign)::int,
           coalesce(sum(m.sign * m."amountFen") FILTER (WHERE m."budgetLineId" IS NULL), 0)::bigint,
           coalesce(sum(m.sign) FILTER (WHERE m."budgetLineId" IS NULL), 0)::int
      FROM (%s) m
     WHERE m.status = 'APPROVED'
     GROUP BY m."projectId"
    HAVING sum(m.sign * m."amountFen") <> 0 OR sum(m.sign) <> 0
        OR sum(m.sign * m."amountFen") FILTER (WHERE m."budgetLineId" IS NULL) <> 0 OR sum(m.sign) FILTER (WHERE m."budgetLineId" IS NULL) <> 0
     ORDER BY m."projectId"
    ON CONFLICT ("projectId") DO UPDATE
      SET "spentFen" = t."spentFen" + EXCLUDED."spentFen",
          "approvedExpenses" = t."approvedExpenses" + EXCLUDED."approvedExpenses",
          "offBudgetFen" = t."offBudgetFen" + EXCLUDED."offBudgetFen",
          "offBudgetExpenses" = t."offBudgetExpenses" + EXCLUDED."offBudgetExpenses"
  $sql$, moved);
  EXECUTE format($sql$
    INSERT INTO "BudgetLineTotal" AS t ("projectId", "budgetLineId", "spentFen", "approvedExpenses")
    SELECT m."projectId", m."budgetLineId", sum(m.sign * m."amountFen")::bigint, sum(m.sign)::int
      FROM (%s) m
     WHERE m.status = 'APPROVED' AND m."budgetLineId" IS NOT NULL
     GROUP BY m."projectId", m."budgetLineId"
    HAVING sum(m.sign * m."amountFen") <> 0 OR sum(m.sign) <> 0
     ORDER BY m."projectId", m."budgetLineId"
    ON CONFLICT ("projectId", "budgetLineId") DO UPDATE
      SET "spentFen" = t."spentFen" + EXCLUDED."spentFen",
          "approvedExpenses" = t."approvedExpenses" + EXCLUDED."approvedExpenses"
  $sql$, moved);
  RETURN NULL;
END
$$;

-- Call-backs: each project's calls by outcome (pending: not called yet), found through their sample.
CREATE FUNCTION "call_totals_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO "ProjectTotal" AS t ("projectId", "callsSatisfied", "callsPartly", "callsNotSatisfied", "callsUnreached", "callsPending")
    SELECT c."projectId", c.satisfied, c.partly, c.not_satisfied, c.unreached, c.pending
      FROM (
        SELECT s."projectId",
               coalesce(sum(m.sign) FILTER (WHERE m.outcome = 'SATISFIED'), 0)::int AS satisfied,
               coalesce(sum(m.sign) FILTER (WHERE m.outcome = 'PARTLY'), 0)::int AS partly,
               coalesce(sum(m.sign) FILTER (WHERE m.outcome = 'NOT_SATISFIED'), 0)::int AS not_satisfied,
               coalesce(sum(m.sign) FILTER (WHERE m.outcome = 'UNREACHED'), 0)::int AS unreached,
               coalesce(sum(m.sign) FILTER (WHERE m.outcome IS NULL), 0)::int AS pending
          FROM (%s) m JOIN "CallSample" s ON s.id = m."sampleId"
         GROUP BY s."projectId"
      ) c
     WHERE c.satisfied <> 0 OR c.partly <> 0 OR c.not_satisfied <> 0 OR c.unreached <> 0 OR c.pending <> 0
     ORDER BY c."projectId"
    ON CONFLICT ("projectId") DO UPDATE
      SET "callsSatisfied" = t."callsSatisfied" + EXCLUDED."callsSatisfied",
          "callsPartly" = t."callsPartly" + EXCLUDED."callsPartly",
          "callsNotSatisfied" = t."callsNotSatisfied" + EXCLUDED."callsNotSatisfied",
          "callsUnreached" = t."callsUnreached" + EXCLUDED."callsUnreached",
          "callsPending" = t."callsPending" + EXCLUDED."callsPending"
  $sql$, "totals_moved"(TG_OP, '"sampleId", outcome'));
  RETURN NULL;
END
$$;

-- A sample's calls are deleted with it (ON DELETE CASCADE) after the sample row is gone, when their
-- project can no longer be found from them (the trigger above then counts nothing): the sample takes
-- its calls out of its project's totals as it is deleted, before they go.
CREATE FUNCTION "call_sample_totals_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ProjectTotal" t
     SET "callsSatisfied" = t."callsSatisfied" - c.satisfied,
         "callsPartly" = t."callsPartly" - c.partly,
         "callsNotSatisfied" = t."callsNotSatisfied" - c.not_satisfied,
         "callsUnreached" = t."callsUnreached" - c.unreached,
         "callsPending" = t."callsPending" - c.pending
    FROM (
      SELECT count(*) FILTER (WHERE r.outcome = 'SATISFIED')::int AS satisfied,
             count(*) FILTER (WHERE r.outcome = 'PARTLY')::int AS partly,
             count(*) FILTER (WHERE r.outcome = 'NOT_SATISFIED')::int AS not_satisfied,
             count(*) FILTER (WHERE r.outcome = 'UNREACHED')::int AS unreached,
             count(*) FILTER (WHERE r.outcome IS NULL)::int AS pending
        FROM "CallRecord" r WHERE r."sampleId" = OLD.id
    ) c
   WHERE t."projectId" = OLD."projectId" AND (c.satisfied + c.partly + c.not_satisfied + c.unreached + c.pending) > 0;
  RETURN OLD;
END
$$;

CREATE TRIGGER "Tranche_totals_insert" AFTER INSERT ON "Tranche"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "tranche_totals_move"();
CREATE TRIGGER "Tranche_totals_update" AFTER UPDATE ON "Tranche"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "tranche_totals_move"();
CREATE TRIGGER "Tranche_totals_delete" AFTER DELETE ON "Tranche"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "tranche_totals_move"();

CREATE TRIGGER "Expense_totals_insert" AFTER INSERT ON "Expense"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "expense_totals_move"();
CREATE TRIGGER "Expense_totals_update" AFTER UPDATE ON "Expense"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "expense_totals_move"();
CREATE TRIGGER "Expense_totals_delete" AFTER DELETE ON "Expense"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "expense_totals_move"();

CREATE TRIGGER "CallRecord_totals_insert" AFTER INSERT ON "CallRecord"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "call_totals_move"();
CREATE TRIGGER "CallRecord_totals_update" AFTER UPDATE ON "CallRecord"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "call_totals_move"();
CREATE TRIGGER "CallRecord_totals_delete" AFTER DELETE ON "CallRecord"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "call_totals_move"();
CREATE TRIGGER "CallSample_totals_delete" BEFORE DELETE ON "CallSample"
  FOR EACH ROW EXECUTE FUNCTION "call_sample_totals_remove"();

-- Backfill from the rows already there: one total per project (zeros included) and per line with
-- approved spending. The lock keeps tranches, expenses and calls from changing until this migration
-- commits, so nothing is counted twice or missed.
LOCK TABLE "Tranche", "Expense", "CallSample", "CallRecord" IN SHARE MODE;
INSERT INTO "ProjectTotal" ("projectId", "releasedFen", "releasedTranches", "spentFen", "approvedExpenses", "offBudgetFen", "offBudgetExpenses",
                            "callsSatisfied", "callsPartly", "callsNotSatisfied", "callsUnreached", "callsPending")
SELECT p.id, coalesce(r.fen, 0), coalesce(r.n, 0), coalesce(e.fen, 0), coalesce(e.n, 0), coalesce(e.off_fen, 0), coalesce(e.off_n, 0),
       coalesce(c.satisfied, 0), coalesce(c.partly, 0), coalesce(c.not_satisfied, 0), coalesce(c.unreached, 0), coalesce(c.pending, 0)
  FROM "Project" p
  LEFT JOIN (SELECT "projectId", sum("amountFen")::bigint AS fen, count(*)::int AS n FROM "Tranche" WHERE status = 'RELEASED' GROUP BY 1) r ON r."projectId" = p.id
  LEFT JOIN (
    SELECT "projectId", sum("amountFen")::bigint AS fen, count(*)::int AS n,
           coalesce(sum("amountFen") FILTER (WHERE "budgetLineId" IS NULL), 0)::bigint AS off_fen,
           count(*) FILTER (WHERE "budgetLineId" IS NULL)::int AS off_n
      FROM "Expense" WHERE status = 'APPROVED' GROUP BY 1
  ) e ON e."projectId" = p.id
  LEFT JOIN (
    SELECT s."projectId",
           count(*) FILTER (WHERE r.outcome = 'SATISFIED')::int AS satisfied,
           count(*) FILTER (WHERE r.outcome = 'PARTLY')::int AS partly,
           count(*) FILTER (WHERE r.outcome = 'NOT_SATISFIED')::int AS not_satisfied,
           count(*) FILTER (WHERE r.outcome = 'UNREACHED')::int AS unreached,
           count(*) FILTER (WHERE r.outcome IS NULL)::int AS pending
      FROM "CallRecord" r JOIN "CallSample" s ON s.id = r."sampleId" GROUP BY 1
  ) c ON c."projectId" = p.id;
INSERT INTO "BudgetLineTotal" ("projectId", "budgetLineId", "spentFen", "approvedExpenses")
SELECT "projectId", "budgetLineId", sum("amountFen")::bigint, count(*)::int
  FROM "Expense" WHERE status = 'APPROVED' AND "budgetLineId" IS NOT NULL GROUP BY 1, 2;
