import {
  quarterOf,
  previousQuarter,
  quarterRange,
  rankOrganizations,
  RANKING_RULES_VERSION,
  SILENT_DAYS,
  weightsFor,
  type OrgQuarterFacts,
  type OrgRankingRow,
  type Quarter,
  type Weights,
} from "~/domain/org-ranking";
import { isRankableQuarter, recomputeReason } from "~/domain/stored-ranking";
import type { Actor } from "~/services/accounts/actor.server";
import { db, type Db, type Tx } from "~/lib/db.server";
import { fail, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { dashboardArea } from "./access.server";
import { inArea } from "./scope.server";

/**
 * The quarterly ranking of implementing organizations, stored per area × quarter (OrgRanking;
 * docs/decisions/021-project-running-totals-and-stored-ranking.md) instead of computed on every
 * view of the dashboard. Computed from the database (organizationFacts) and ranked by the pure
 * rules of domain/org-ranking.ts with the weights in force for the area:
 *
 * - by the job ORG_RANKINGS_TASK (services/jobs/registry.server.ts): the quarter just closed, on
 *   its first day; the running quarter every night; an area's stored rankings after its weights
 *   (or an ancestor's) changed;
 * - on demand, by an official of the area ("recompute now" on the dashboard), audited;
 * - by the first view that finds none for the area × quarter, or finds one out of date
 *   (domain/stored-ranking.ts recomputeReason: other rules or weights, or computed before its quarter ended).
 */

export const ORG_RANKINGS_TASK = "org_rankings";

/**
 * Queues the job that computes the stored rankings of an area and of the areas below it again,
 * once however often it is asked before it runs (its job key): after a change to the area's
 * ranking settings, in the transaction that makes it. A view before the job runs finds the stored
 * rankings out of date and computes its own.
 */
export async function queueAreaRankings(tx: Tx, areaId: string): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(${ORG_RANKINGS_TASK}::text, json_build_object('areaId', ${areaId}::text),
    max_attempts => 3, job_key => ${`org-rankings:area:${areaId}`}::text)`;
}

/** `Expense.version` after submission (1) and one decision (+1): see organizationFacts. */
const FIRST_DECISION_VERSION = 2;

const num = (v: bigint | number | null | undefined) => Number(v ?? 0);

/**
 * What each organization with projects in the area did in the quarter, as counts and sums (see
 * domain/org-ranking.ts for the definitions). `asOf` ends a running quarter: milestones due
 * after it count only once submitted.
 *
 * "Approved at the first try": Expense keeps no decision history, but its `version` does: it is
 * 1 when submitted, +1 per decision, +1 per resubmission, and only a RETURNED expense can be
 * edited (services/expenses.server.ts, domain/monitoring.ts expenseEditable). So an APPROVED
 * expense with version ≤ 2 was never returned; reading the audit log per expense instead cost
 * one index probe per expense (see the dashboard bench).
 *
 * Did not report (domain/org-ranking.ts didNotReport), as of the cutoff: `overdue` counts the
 * milestones of any quarter whose due day had passed with no report submitted by then; `silent`
 * counts the ACTIVE projects, countersigned, with a milestone not approved by then, whose last
 * submission (or countersignature) is SILENT_DAYS days old or more — the NO_REPORT alert
 * (domain/alerts.ts) read at the cutoff. Neither counts for a quarter that has not begun.
 */
export async function organizationFacts(path: string, quarter: Quarter, asOf: Date): Promise<OrgQuarterFacts[]> {
  const { start, end } = quarterRange(quarter);
  const cutoff = asOf < end ? asOf : end;
  const rows = await db().$queryRaw<
    { organizationId: string; name: string; due: number; onTime: number; expense: bigint; compliant: bigint; reached: number; satisfied: number; partly: number; evaluations: number; evaluationTotal: number; overdue: number; silent: number }[]
  >`
    WITH per AS (
      SELECT p."organizationId", ms.due, ms."onTime", ex.expense, ex.compliant, cb.reached, cb.satisfied, cb.partly, ev.evaluations, ev."evaluationTotal",
             od.overdue, CASE WHEN si.silent THEN 1 ELSE 0 END AS silent
        FROM "Project" p
        CROSS JOIN LATERAL (
          SELECT count(*) FILTER (WHERE f.first < m."dueOn" + interval '1 day' OR m."dueOn" + interval '1 day' <= ${cutoff})::int AS due,
                 count(*) FILTER (WHERE f.first < m."dueOn" + interval '1 day')::int AS "onTime"
            FROM "ProjectMilestone" m
            LEFT JOIN LATERAL (SELECT min(r."submittedAt") AS first FROM "MilestoneReport" r WHERE r."milestoneId" = m.id) f ON TRUE
           WHERE m."projectId" = p.id AND m."dueOn" >= ${start} AND m."dueOn" < ${end}
        ) ms
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(e."amountFen"), 0)::bigint AS expense,
                 coalesce(sum(e."amountFen") FILTER (
                   WHERE e.status = 'APPROVED' AND e."budgetLineId" IS NOT NULL AND NOT e."duplicateReceipt"
                     AND e.version <= ${FIRST_DECISION_VERSION}
                 ), 0)::bigint AS compliant
            FROM "Expense" e
           WHERE e."projectId" = p.id AND e.status IN ('APPROVED', 'RETURNED') AND e."decidedAt" >= ${start} AND e."decidedAt" < ${end}
        ) ex
        CROSS JOIN LATERAL (
          SELECT count(*) FILTER (WHERE r.outcome IN ('SATISFIED', 'PARTLY', 'NOT_SATISFIED'))::int AS reached,
                 count(*) FILTER (WHERE r.outcome = 'SATISFIED')::int AS satisfied,
                 count(*) FILTER (WHERE r.outcome = 'PARTLY')::int AS partly
            FROM "CallSample" s JOIN "CallRecord" r ON r."sampleId" = s.id
           WHERE s."projectId" = p.id AND r."calledAt" >= ${start} AND r."calledAt" < ${end}
        ) cb
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS evaluations, coalesce(sum(v.total), 0)::int AS "evaluationTotal"
            FROM "Evaluation" v
           WHERE v."projectId" = p.id AND v.status IN ('PASSED', 'FAILED') AND v.total IS NOT NULL AND v."submittedAt" >= ${start} AND v."submittedAt" < ${end}
        ) ev
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS overdue
            FROM "ProjectMilestone" m
           WHERE ${cutoff} > ${start} AND m."projectId" = p.id AND m."dueOn" IS NOT NULL AND m."dueOn" + interval '1 day' <= ${cutoff}
             AND NOT EXISTS (SELECT 1 FROM "MilestoneReport" r WHERE r."milestoneId" = m.id AND r."submittedAt" < ${cutoff})
        ) od
        CROSS JOIN LATERAL (
          SELECT ${cutoff} > ${start} AND p.status = 'ACTIVE' AND p."countersignedAt" IS NOT NULL AND p."countersignedAt" < ${cutoff}
                 AND EXISTS (SELECT 1 FROM "ProjectMilestone" m WHERE m."projectId" = p.id AND NOT (m.status = 'APPROVED' AND (m."approvedAt" IS NULL OR m."approvedAt" < ${cutoff})))
                 AND greatest(p."countersignedAt", (
                       SELECT max(r."submittedAt") FROM "MilestoneReport" r JOIN "ProjectMilestone" m ON m.id = r."milestoneId"
                        WHERE m."projectId" = p.id AND r."submittedAt" < ${cutoff}
                     )) <= ${cutoff}::timestamptz - make_interval(days => ${SILENT_DAYS}) AS silent
        ) si
       WHERE ${inArea(path)} AND p.status IN ('ACTIVE', 'EVALUATION_FAILED', 'CLOSED')
    )
    SELECT o.id AS "organizationId", o.name,
           sum(per.due)::int AS due, sum(per."onTime")::int AS "onTime",
           sum(per.expense)::bigint AS expense, sum(per.compliant)::bigint AS compliant,
           sum(per.reached)::int AS reached, sum(per.satisfied)::int AS satisfied, sum(per.partly)::int AS partly,
           sum(per.evaluations)::int AS evaluations, sum(per."evaluationTotal")::int AS "evaluationTotal",
           sum(per.overdue)::int AS overdue, sum(per.silent)::int AS silent
      FROM per JOIN "Organization" o ON o.id = per."organizationId"
     GROUP BY o.id, o.name`;
  return rows.map((r) => ({
    organizationId: r.organizationId,
    name: r.name,
    milestonesDue: r.due,
    milestonesOnTime: r.onTime,
    expenseFen: num(r.expense),
    compliantFen: num(r.compliant),
    callsReached: r.reached,
    callsSatisfied: r.satisfied,
    callsPartly: r.partly,
    evaluations: r.evaluations,
    evaluationTotal: r.evaluationTotal,
    milestonesOverdue: r.overdue,
    projectsSilent: r.silent,
  }));
}

/** The weights in force for an area: its own, else the nearest ancestor's, else the defaults. */
export async function weightsOf(area: { path: string }) {
  const segments = area.path.split("/").filter(Boolean);
  const prefixes = segments.map((_, i) => `/${segments.slice(0, i + 1).join("/")}/`);
  const chain = await db().area.findMany({ where: { path: { in: prefixes } }, select: { path: true, rankingWeights: true } });
  chain.sort((a, b) => b.path.length - a.path.length);
  return weightsFor(chain.map((a) => a.rankingWeights));
}


/** The ranking as the dashboard shows it. */
export interface RankingView {
  rows: OrgRankingRow[];
  weights: Weights;
  /** the weights are the area's (or an ancestor's), not the defaults */
  customWeights: boolean;
  /** when it was computed, and the instant its facts were read up to (ISO) */
  computedAt: string;
  asOf: string;
}

interface Computed {
  rows: OrgRankingRow[];
  weights: { weights: Weights; custom: boolean };
  /** the weight training attendance had (stored with the weights when above 0) */
  attendanceWeight: number;
  asOf: Date;
  computedAt: Date;
}

const viewOf = (c: Computed): RankingView => ({
  rows: c.rows,
  weights: c.weights.weights,
  customWeights: c.weights.custom,
  computedAt: c.computedAt.toISOString(),
  asOf: c.asOf.toISOString(),
});

/** The area's weight of training attendance in its ranking (Area.trainingAttendanceWeight; 0 = not counted). */
async function attendanceWeightOf(area: { path: string }): Promise<number> {
  const a = await db().area.findUnique({ where: { path: area.path }, select: { trainingAttendanceWeight: true } });
  return a?.trainingAttendanceWeight ?? 0;
}

/**
 * Per organization: trainings its members signed up for (neither the sign-up nor the training
 * cancelled) that ended in the quarter before `asOf`, and how many of those they attended.
 */
async function attendanceFacts(organizationIds: readonly string[], quarter: Quarter, asOf: Date) {
  if (organizationIds.length === 0) return new Map<string, { signedUp: number; attended: number }>();
  const { start, end } = quarterRange(quarter);
  const cutoff = asOf < end ? asOf : end;
  const rows = await db().$queryRaw<{ organizationId: string; signedUp: number; attended: number }[]>`
    SELECT s."organizationId", count(DISTINCT s."trainingId")::int AS "signedUp",
           count(DISTINCT s."trainingId") FILTER (WHERE s."attendedAt" IS NOT NULL)::int AS attended
      FROM "TrainingSignup" s JOIN "Training" t ON t.id = s."trainingId"
     WHERE s."organizationId" = ANY(${[...organizationIds]}::text[]) AND s."cancelledAt" IS NULL AND t."cancelledAt" IS NULL
       AND t."endsAt" >= ${start} AND t."endsAt" < ${cutoff}
     GROUP BY s."organizationId"`;
  return new Map(rows.map((r) => [r.organizationId, { signedUp: r.signedUp, attended: r.attended }]));
}

/** Reads the area's facts of the quarter up to `asOf` and ranks them with the weights in force. Stores nothing. */
async function compute(area: { path: string }, quarter: Quarter, asOf: Date, weights?: Computed["weights"]): Promise<Computed> {
  const computedAt = new Date();
  const [facts, w, attendanceWeight] = await Promise.all([organizationFacts(area.path, quarter, asOf), weights ?? weightsOf(area), attendanceWeightOf(area)]);
  if (attendanceWeight > 0) {
    const att = await attendanceFacts(facts.map((f) => f.organizationId), quarter, asOf);
    for (const f of facts) {
      f.trainingsSignedUp = att.get(f.organizationId)?.signedUp ?? 0;
      f.trainingsAttended = att.get(f.organizationId)?.attended ?? 0;
    }
  }
  return { rows: rankOrganizations(facts, w.weights, { attendanceWeight }), weights: w, attendanceWeight, asOf, computedAt };
}

/**
 * Stores a computed ranking in place of the area × quarter's, in one statement, unless the
 * stored one was computed later: of two computations that overlap (a view and the job), the one
 * that started last wins, whichever finishes last. Returns whether it was stored.
 */
async function store(client: Tx | Db, areaId: string, quarter: Quarter, c: Computed): Promise<boolean> {
  const stored = await client.$executeRaw`
    INSERT INTO "OrgRanking" ("areaId", quarter, weights, rows, "asOf", "computedAt", "rulesVersion")
    VALUES (${areaId}, ${quarter}, ${JSON.stringify(c.attendanceWeight > 0 ? { ...c.weights.weights, attendance: c.attendanceWeight } : c.weights.weights)}::jsonb, ${JSON.stringify(c.rows)}::jsonb, ${c.asOf}, ${c.computedAt}, ${RANKING_RULES_VERSION})
    ON CONFLICT ("areaId", quarter) DO UPDATE
      SET weights = EXCLUDED.weights, rows = EXCLUDED.rows, "asOf" = EXCLUDED."asOf", "computedAt" = EXCLUDED."computedAt", "rulesVersion" = EXCLUDED."rulesVersion"
      WHERE "OrgRanking"."computedAt" <= EXCLUDED."computedAt"`;
  return stored > 0;
}

/**
 * The ranking of the area × quarter as stored; when none is stored, or the stored one is out of
 * date (recomputeReason), it is computed now (facts up to `now`), stored, and shown — so the
 * first view of a quarter works, and a ranking never shows other weights than those in force.
 */
export async function rankingFor(area: { id: string; path: string }, quarter: Quarter, now: Date = new Date()): Promise<RankingView> {
  const [stored, weights, attendanceWeight] = await Promise.all([
    db().orgRanking.findUnique({ where: { areaId_quarter: { areaId: area.id, quarter } }, select: { rows: true, weights: true, asOf: true, computedAt: true, rulesVersion: true } }),
    weightsOf(area),
    attendanceWeightOf(area),
  ]);
  if (stored && !recomputeReason(stored, weights.weights, quarter, now, attendanceWeight)) {
    return { rows: stored.rows as unknown as OrgRankingRow[], weights: weights.weights, customWeights: weights.custom, computedAt: stored.computedAt.toISOString(), asOf: stored.asOf.toISOString() };
  }
  const computed = await compute(area, quarter, now, weights);
  // a quarter that has not begun has no facts yet: shown empty, never stored
  if (isRankableQuarter(quarter, now)) await store(db(), area.id, quarter, computed);
  return viewOf(computed);
}

/**
 * An official of the area recomputes its ranking of a quarter now, from the data and the weights
 * as they are (the dashboard's "recompute now"), audited in the transaction that stores it.
 * 403/404 as the dashboard; 400 for a quarter that has not begun.
 */
export async function recomputeRanking(viewer: Pick<Actor, "id" | "grants">, areaCode: string, quarter: string, now: Date = new Date()): Promise<Result<{ computedAt: string }>> {
  const area = await dashboardArea(viewer, areaCode);
  if (!isRankableQuarter(quarter, now)) return fail(400, "dashboard.recompute.quarter");
  const computed = await compute(area, quarter, now);
  await db().$transaction(async (tx) => {
    const before = await tx.orgRanking.findUnique({ where: { areaId_quarter: { areaId: area.id, quarter } }, select: { computedAt: true, weights: true } });
    await store(tx, area.id, quarter, computed);
    await audit(tx, {
      actorId: viewer.id,
      action: "area.rankingRecompute",
      objectType: "Area",
      objectId: area.id,
      before: before ? { quarter, computedAt: before.computedAt, weights: before.weights } : null,
      after: {
        quarter,
        computedAt: computed.computedAt,
        asOf: computed.asOf,
        weights: computed.weights.weights,
        organizations: computed.rows.length,
        ranked: computed.rows.filter((r) => r.rank !== null).length,
        flagged: computed.rows.filter((r) => r.flagged).map((r) => r.organizationId),
      },
    });
  });
  return ok({ computedAt: computed.computedAt.toISOString() });
}

/** What a run of ORG_RANKINGS_TASK computes (services/jobs/access.server.ts reads its payload). */
export type RankingRefresh = { period: "closed" } | { period: "current" } | { areaId: string };

/** Every area with projects in it or below it: those whose dashboard has a ranking to show. */
async function areasWithProjects() {
  return db().$queryRaw<{ id: string; path: string }[]>`
    SELECT a.id, a.path FROM "Area" a
     WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT "areaPath" FROM "Project") p WHERE starts_with(p."areaPath", a.path))
     ORDER BY a.path`;
}

/**
 * The job's work (docs/decisions/021), facts read up to `now`:
 * - `closed`: the quarter that ended last, for every area with projects (run on its first day);
 * - `current`: the running quarter for every area with projects, and the one before wherever it is
 *   missing or was computed before it ended (the closing run was missed);
 * - `areaId`: the stored rankings of that area and every area below it that are out of date
 *   (their weights changed).
 */
export async function refreshRankings(run: RankingRefresh, now: Date = new Date()): Promise<{ computed: number }> {
  let computed = 0;
  const refresh = async (area: { id: string; path: string }, quarter: Quarter) => {
    await store(db(), area.id, quarter, await compute(area, quarter, now));
    computed++;
  };
  if ("areaId" in run) {
    const root = await db().area.findUnique({ where: { id: run.areaId }, select: { path: true } });
    if (!root) return { computed };
    const stored = await db().orgRanking.findMany({
      where: { area: { path: { startsWith: root.path } } },
      select: { quarter: true, weights: true, asOf: true, rulesVersion: true, area: { select: { id: true, path: true } } },
      orderBy: [{ areaId: "asc" }, { quarter: "asc" }],
    });
    for (const s of stored) {
      const quarter = s.quarter as Quarter;
      if (recomputeReason(s, (await weightsOf(s.area)).weights, quarter, now, await attendanceWeightOf(s.area))) await refresh(s.area, quarter);
    }
    return { computed };
  }
  const current = quarterOf(now);
  const closed = previousQuarter(current);
  const areas = await areasWithProjects();
  if (run.period === "closed") {
    for (const area of areas) await refresh(area, closed);
    return { computed };
  }
  const previous = new Map((await db().orgRanking.findMany({ where: { quarter: closed }, select: { areaId: true, asOf: true } })).map((r) => [r.areaId, r.asOf]));
  const closedEnd = quarterRange(closed).end;
  for (const area of areas) {
    await refresh(area, current);
    const asOf = previous.get(area.id);
    if (!asOf || asOf < closedEnd) await refresh(area, closed);
  }
  return { computed };
}
