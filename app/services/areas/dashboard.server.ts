import { ALERT_KINDS, type AlertKind } from "~/domain/alerts";
import { missedRequiredTrainings } from "~/services/trainings/trainings.server";
import { DEFAULT_CATEGORIES, type CategoryDefinition } from "~/domain/categories";
import { pageOf } from "~/domain/money";
import { COMPONENTS, isQuarter, parseAttendanceWeight, parseWeights, previousQuarter, quarterOf, quarterRange, type OrgRankingRow, type Quarter, type Weights } from "~/domain/org-ranking";
import { depthOf } from "~/domain/permissions";
import { isRankableQuarter } from "~/domain/stored-ranking";
import type { Actor } from "~/services/accounts/actor.server";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { dashboardArea, dashboardAreas, maySetAttendanceWeight, maySetWeights, requireAttendanceWeightArea, requireWeightsArea } from "./access.server";
import { queueAreaRankings, rankingFor } from "./ranking.server";
import { inArea } from "./scope.server";

export { inArea };

/**
 * The officials' dashboard: for an area and everything below it, money allocated /
 * released / spent / unspent by community and category, projects by status, open alerts,
 * call-back satisfaction per community and the quarterly ranking of implementing organizations.
 *
 * Who sees what (access.server.ts): an official picks among their own areas and the areas below
 * them; a subdistrict official therefore sees a row per community, a community official only their
 * own community. Every figure is an aggregate computed in PostgreSQL (GROUP BY / GROUPING SETS over
 * the projects of the area and their running totals, docs/decisions/021): nothing is loaded row by
 * row into Node except the page of alerts shown. The ranking is the one stored for the area ×
 * quarter (ranking.server.ts), computed by a job, by an official, or by the first view that needs it.
 */

export const PROJECT_STATUSES = ["AWAITING_ACCEPTANCE", "AWAITING_COUNTERSIGN", "ACTIVE", "EVALUATION_FAILED", "CLOSED"] as const;
export const ALERTS_PER_PAGE = 20;
export const RANKING_PER_PAGE = 30;
const num = (v: bigint | number | null | undefined) => Number(v ?? 0);

// ── figures ──

export interface MoneyRow {
  projects: number;
  allocatedFen: number;
  releasedFen: number;
  spentFen: number;
  unspentFen: number;
}

export interface CommunityRow extends MoneyRow {
  /** null: projects not tied to a community (the round's area) */
  areaId: string | null;
  code: string | null;
  nameZh: string;
  nameEn: string;
  callsReached: number;
  callsSatisfied: number;
  callsPartly: number;
  callsNotSatisfied: number;
  callsUnreached: number;
  /** (satisfied + 0.5 × partly) / reached, 0–100 with one decimal; null when nobody was reached */
  satisfaction: number | null;
}

export interface CategoryRow extends MoneyRow {
  key: string;
  nameZh: string;
  nameEn: string;
}

export interface AlertRow {
  id: string;
  kind: AlertKind;
  params: Record<string, string | number>;
  openedAt: string;
  referenceNo: string;
  title: string;
  communityZh: string | null;
  communityEn: string | null;
}

interface GroupedMoney {
  gc: number;
  gk: number;
  gs: number;
  communityId: string | null;
  category: string | null;
  status: string | null;
  projects: number;
  allocated: bigint;
  released: bigint;
  spent: bigint;
  satisfied: number;
  partly: number;
  notSatisfied: number;
  unreached: number;
}

const money = (r: Pick<GroupedMoney, "projects" | "allocated" | "released" | "spent"> | undefined): MoneyRow => {
  const releasedFen = num(r?.released);
  const spentFen = num(r?.spent);
  return { projects: r?.projects ?? 0, allocatedFen: num(r?.allocated), releasedFen, spentFen, unspentFen: releasedFen - spentFen };
};

/**
 * Money, call-backs and project counts of an area, by community, by category, by status and in
 * total, in one query over the area's projects and their running totals (ProjectTotal: released
 * tranches, approved expenses and calls by outcome, kept by triggers as they move;
 * docs/decisions/021), then GROUPING SETS: one row read per project, however many expenses,
 * payments and calls it has.
 */
async function moneyFigures(path: string) {
  const rows = await db().$queryRaw<GroupedMoney[]>`
    WITH p AS (
      SELECT p."communityId", coalesce(p.category, '') AS category, p.status::text AS status, p."awardFen",
             coalesce(t."releasedFen", 0) AS released, coalesce(t."spentFen", 0) AS spent,
             coalesce(t."callsSatisfied", 0) AS satisfied, coalesce(t."callsPartly", 0) AS partly,
             coalesce(t."callsNotSatisfied", 0) AS "notSatisfied", coalesce(t."callsUnreached", 0) AS unreached
        FROM "Project" p LEFT JOIN "ProjectTotal" t ON t."projectId" = p.id
       WHERE ${inArea(path)}
    )
    SELECT GROUPING("communityId")::int AS gc, GROUPING(category)::int AS gk, GROUPING(status)::int AS gs,
           "communityId", category, status, count(*)::int AS projects,
           sum("awardFen")::bigint AS allocated, sum(released)::bigint AS released, sum(spent)::bigint AS spent,
           sum(satisfied)::int AS satisfied, sum(partly)::int AS partly, sum("notSatisfied")::int AS "notSatisfied", sum(unreached)::int AS unreached
      FROM p
     GROUP BY GROUPING SETS (("communityId"), (category), (status), ())`;
  return {
    byCommunity: rows.filter((r) => r.gc === 0),
    byCategory: rows.filter((r) => r.gk === 0),
    byStatus: rows.filter((r) => r.gs === 0),
    total: rows.find((r) => r.gc === 1 && r.gk === 1 && r.gs === 1),
  };
}

/** The communities (and villages) of an area, in their order. */
async function communitiesOf(area: { path: string }) {
  return db().area.findMany({
    where: { path: { startsWith: area.path }, level: { in: ["COMMUNITY", "VILLAGE"] } },
    select: { id: true, code: true, nameZh: true, nameEn: true },
    orderBy: [{ sortOrder: "asc" }, { path: "asc" }],
  });
}

const satisfactionOf = (reached: number, satisfied: number, partly: number) => (reached > 0 ? Math.round((1000 * (satisfied + 0.5 * partly)) / reached) / 10 : null);

type Calls = Pick<GroupedMoney, "satisfied" | "partly" | "notSatisfied" | "unreached">;

const callsOf = (c: Calls | undefined) => {
  const reached = (c?.satisfied ?? 0) + (c?.partly ?? 0) + (c?.notSatisfied ?? 0);
  return {
    callsReached: reached,
    callsSatisfied: c?.satisfied ?? 0,
    callsPartly: c?.partly ?? 0,
    callsNotSatisfied: c?.notSatisfied ?? 0,
    callsUnreached: c?.unreached ?? 0,
    satisfaction: satisfactionOf(reached, c?.satisfied ?? 0, c?.partly ?? 0),
  };
};

/** A row per community of the area (money and call-backs), and one "other" row for projects in none of them. */
function communityRows(communities: Awaited<ReturnType<typeof communitiesOf>>, grouped: GroupedMoney[]): CommunityRow[] {
  const byId = new Map(grouped.map((g) => [g.communityId, g]));
  const rows: CommunityRow[] = communities.map((c) => ({ areaId: c.id, code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, ...money(byId.get(c.id)), ...callsOf(byId.get(c.id)) }));
  // projects with no community, or a community outside the list (moved areas): one "other" row
  const known = new Set(communities.map((c) => c.id));
  const rest = grouped.filter((g) => !known.has(g.communityId!));
  if (rest.length) {
    const sum = rest.reduce(
      (s, g) => ({
        projects: s.projects + g.projects,
        allocated: s.allocated + BigInt(g.allocated),
        released: s.released + BigInt(g.released),
        spent: s.spent + BigInt(g.spent),
        satisfied: s.satisfied + g.satisfied,
        partly: s.partly + g.partly,
        notSatisfied: s.notSatisfied + g.notSatisfied,
        unreached: s.unreached + g.unreached,
      }),
      { projects: 0, allocated: 0n, released: 0n, spent: 0n, satisfied: 0, partly: 0, notSatisfied: 0, unreached: 0 },
    );
    rows.push({ areaId: null, code: null, nameZh: "", nameEn: "", ...money(sum), ...callsOf(sum) });
  }
  return rows;
}

/** Category names from the rounds of the area's projects (a round may rename them), defaults last. */
async function categoryNames(path: string): Promise<CategoryDefinition[]> {
  const rounds = await db().$queryRaw<{ categories: unknown }[]>`
    SELECT r.categories FROM "Round" r WHERE r.id IN (SELECT DISTINCT p."roundId" FROM "Project" p WHERE ${inArea(path)})`;
  const all: CategoryDefinition[] = [];
  for (const r of rounds) if (Array.isArray(r.categories)) all.push(...(r.categories as CategoryDefinition[]));
  all.push(...DEFAULT_CATEGORIES);
  const seen = new Set<string>();
  return all.filter((c) => c && typeof c.key === "string" && !seen.has(c.key) && seen.add(c.key));
}

async function alertCounts(path: string) {
  const rows = await db().$queryRaw<{ kind: AlertKind; count: number }[]>`
    SELECT a.kind::text AS kind, count(*)::int AS count
      FROM "Project" p JOIN "ProjectAlert" a ON a."projectId" = p.id AND a."resolvedAt" IS NULL
     WHERE ${inArea(path)}
     GROUP BY a.kind`;
  const counts = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>;
  for (const r of rows) counts[r.kind] = r.count;
  return counts;
}

/** Open alerts of the area, most urgent kinds first (OVERDUE, OVER_BUDGET, …), oldest first. */
export async function openAlerts(path: string, opts: { kind?: AlertKind | null; skip: number; take: number }): Promise<AlertRow[]> {
  const order = Prisma.join(ALERT_KINDS.map((k) => Prisma.sql`${k}`));
  const rows = await db().$queryRaw<(Omit<AlertRow, "openedAt"> & { openedAt: Date })[]>`
    SELECT a.id, a.kind::text AS kind, a.params, a."openedAt", p."referenceNo", p.title,
           c."nameZh" AS "communityZh", c."nameEn" AS "communityEn"
      FROM "Project" p
      JOIN "ProjectAlert" a ON a."projectId" = p.id AND a."resolvedAt" IS NULL
      LEFT JOIN "Area" c ON c.id = p."communityId"
     WHERE ${inArea(path)}
       ${opts.kind ? Prisma.sql`AND a.kind = ${opts.kind}::"AlertKind"` : Prisma.empty}
     ORDER BY array_position(ARRAY[${order}]::text[], a.kind::text), a."openedAt", p."referenceNo", a.key
     LIMIT ${opts.take} OFFSET ${opts.skip}`;
  return rows.map((r) => ({ ...r, openedAt: r.openedAt.toISOString() }));
}

export interface DashboardFigures {
  total: MoneyRow;
  communities: CommunityRow[];
  categories: CategoryRow[];
  statuses: { status: string; projects: number }[];
  alertCounts: Record<AlertKind, number>;
  alerts: AlertRow[];
  alertsPage: { page: number; pages: number; total: number };
  ranking: OrgRankingRow[];
  weights: Weights;
  customWeights: boolean;
  /** when the ranking shown was computed, and the instant its facts were read up to (ISO) */
  rankingComputedAt: string;
  rankingAsOf: string;
}

/**
 * Every figure of the dashboard for an area (no permission check: callers check). `now` ends
 * the running quarter when its ranking has to be computed (none stored); `alertKind` filters the
 * alert list.
 */
export async function dashboardFigures(
  area: { id: string; path: string; level: string },
  opts: { quarter: Quarter; now?: Date; alertPage?: unknown; alertKind?: AlertKind | null; allAlerts?: boolean },
): Promise<DashboardFigures> {
  const now = opts.now ?? new Date();
  const [grouped, communityList, names, counts, ranking] = await Promise.all([
    moneyFigures(area.path),
    communitiesOf(area),
    categoryNames(area.path),
    alertCounts(area.path),
    rankingFor(area, opts.quarter, now),
  ]);
  const communities = communityRows(communityList, grouped.byCommunity);
  const alertTotal = opts.alertKind ? counts[opts.alertKind] : Object.values(counts).reduce((s, n) => s + n, 0);
  const pg = opts.allAlerts ? { page: 1, pages: 1, skip: 0, take: Math.max(alertTotal, 1) } : pageOf(opts.alertPage, alertTotal, ALERTS_PER_PAGE);
  const alerts = await openAlerts(area.path, { kind: opts.alertKind ?? null, skip: pg.skip, take: pg.take });
  const nameOf = new Map(names.map((c) => [c.key, c]));
  return {
    total: money(grouped.total),
    communities,
    categories: grouped.byCategory
      .map((g) => ({ key: g.category ?? "", nameZh: nameOf.get(g.category ?? "")?.nameZh ?? g.category ?? "", nameEn: nameOf.get(g.category ?? "")?.nameEn ?? g.category ?? "", ...money(g) }))
      .sort((a, b) => b.allocatedFen - a.allocatedFen || a.key.localeCompare(b.key)),
    statuses: PROJECT_STATUSES.map((s) => ({ status: s, projects: grouped.byStatus.find((g) => g.status === s)?.projects ?? 0 })),
    alertCounts: counts,
    alerts,
    alertsPage: { page: pg.page, pages: pg.pages, total: alertTotal },
    ranking: ranking.rows,
    weights: ranking.weights,
    customWeights: ranking.customWeights,
    rankingComputedAt: ranking.computedAt,
    rankingAsOf: ranking.asOf,
  };
}

const isAlertKind = (k: unknown): k is AlertKind => (ALERT_KINDS as readonly unknown[]).includes(k);

export interface DashboardQuery {
  area?: string | null;
  quarter?: string | null;
  page?: string | null;
  kind?: string | null;
  /** page of the ranking */
  rpage?: string | null;
}

/** The dashboard as the route shows it, for an official of the area (403 otherwise). */
export async function dashboard(viewer: Pick<Actor, "id" | "grants">, query: DashboardQuery, now = new Date()) {
  const area = await dashboardArea(viewer, query.area);
  const quarter = isQuarter(query.quarter) ? query.quarter : quarterOf(now);
  const alertKind = isAlertKind(query.kind) ? query.kind : null;
  const [areas, figures, missedTrainings] = await Promise.all([
    dashboardAreas(viewer),
    dashboardFigures(area, { quarter, now, alertPage: query.page, alertKind }),
    missedRequiredTrainings(area.path, now),
  ]);
  const quarters: Quarter[] = [quarterOf(now)];
  while (quarters.length < 8) quarters.push(previousQuarter(quarters[quarters.length - 1]!));
  if (!quarters.includes(quarter)) quarters.push(quarter);
  const rp = pageOf(query.rpage, figures.ranking.length, RANKING_PER_PAGE);
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn, level: area.level },
    areas: areas.map((a) => ({ code: a.code, nameZh: a.nameZh, nameEn: a.nameEn, depth: depthOf(a.path) })),
    quarter,
    quarters,
    alertKind,
    canSetWeights: maySetWeights(viewer, area),
    /** the area's own weight of training attendance in its ranking (0: not counted), and whether the viewer may set it */
    attendanceWeight: area.trainingAttendanceWeight,
    canSetAttendanceWeight: maySetAttendanceWeight(viewer, area),
    // every official who sees the dashboard may have its ranking computed again (it changes no rule)
    canRecompute: isRankableQuarter(quarter, now),
    /** the ranking was computed while its quarter was running (the nightly refresh brings it up to date) */
    rankingRunning: new Date(figures.rankingAsOf) < quarterRange(quarter).end,
    ...figures,
    ranking: figures.ranking.slice(rp.skip, rp.skip + rp.take),
    rankingPage: { page: rp.page, pages: rp.pages, total: figures.ranking.length },
    flagged: figures.ranking.filter((r) => r.flagged).map((r) => r.name),
    /** grantee organizations that sent nobody to a required training that has ended (the first 50) */
    missedTrainings: missedTrainings.slice(0, 50),
    missedTrainingsTotal: missedTrainings.length,
  };
}

export type DashboardView = Awaited<ReturnType<typeof dashboard>>;

/**
 * Sets the ranking weights of a subdistrict (or higher) area; officials of that level covering
 * it only, audited. `reset` goes back to the defaults (or the parent's weights). The area's stored
 * rankings, and those of the areas below it, are computed again with the new weights.
 */
export async function setRankingWeights(viewer: Actor, areaCode: string, input: Record<string, unknown>, reset = false): Promise<Result> {
  const area = await requireWeightsArea(viewer, areaCode);
  let weights: Weights | null = null;
  if (!reset) {
    const parsed = parseWeights(Object.fromEntries(COMPONENTS.map((c) => [c, input[c]])));
    if (!parsed.ok) return fail(400, `dashboard.${parsed.problem}`);
    weights = parsed.weights;
  }
  await db().$transaction(async (tx) => {
    await tx.area.update({ where: { id: area.id }, data: { rankingWeights: weights ?? Prisma.DbNull } });
    await audit(tx, { actorId: viewer.id, action: "area.rankingWeights", objectType: "Area", objectId: area.id, before: area.rankingWeights, after: weights });
    // the stored rankings of the area and below combined the old weights
    await queueAreaRankings(tx, area.id);
  });
  return ok();
}

/**
 * Sets the weight of training attendance in the area's ranking (Area.trainingAttendanceWeight, a
 * whole percentage 0–100, domain/org-ranking.ts parseAttendanceWeight): officials of the area (or
 * above) only (403), audited with the value before and after. The area's stored rankings, and
 * those below it, are computed again by the job (a view before it runs recomputes its own).
 */
export async function setAttendanceWeight(viewer: Pick<Actor, "id" | "grants">, areaCode: string, input: unknown): Promise<Result> {
  const area = await requireAttendanceWeightArea(viewer, areaCode);
  const parsed = parseAttendanceWeight(input);
  if (!parsed.ok) return invalid({ attendanceWeight: [`dashboard.${parsed.problem}`] });
  if (parsed.weight === area.trainingAttendanceWeight) return ok();
  await db().$transaction(async (tx) => {
    await tx.area.update({ where: { id: area.id }, data: { trainingAttendanceWeight: parsed.weight } });
    await audit(tx, {
      actorId: viewer.id,
      action: "area.trainingAttendanceWeight",
      objectType: "Area",
      objectId: area.id,
      before: { trainingAttendanceWeight: area.trainingAttendanceWeight },
      after: { trainingAttendanceWeight: parsed.weight },
    });
    await queueAreaRankings(tx, area.id);
  });
  return ok();
}
