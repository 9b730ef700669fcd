/**
 * Quarterly ranking of implementing organizations (as in Lishui, PRODUCT.md step 10–11). Pure.
 *
 * Four components, each 0–100, computed from what happened in the quarter (Asia/Shanghai):
 * - timeliness: share of the milestones due in the quarter whose report was first submitted by
 *   the end of the due day (a milestone due later in a running quarter counts only once submitted);
 * - compliance: share of the expense money decided in the quarter that was approved at the first
 *   try, in a budget line, and not flagged as a duplicate receipt;
 * - satisfaction: call-backs of the quarter, (satisfied + 0.5 × partly) / reached;
 * - evaluation: mean total of the final evaluations (PASSED or FAILED) submitted in the quarter.
 *
 * Weights default to 30/30/20/20 and can be set per area (Area.rankingWeights, integers summing
 * to 100). The combined score is Σ wᵢ·cᵢ / Σ wᵢ over the components that have a value.
 *
 * Silence is not rewarded. A component can lack data for two reasons:
 * - nothing was due from the organization (no milestone due yet, a project that started this
 *   week): the component is left out and the others are re-weighted; an organization with no
 *   component at all is not ranked, with the reason "nothing was due" (UnrankedReason);
 * - the organization did not report: it has a milestone overdue at the cutoff with no report
 *   submitted (of this quarter or an earlier one), or an active project with no report submitted
 *   for NO_REPORT_DAYS days. Then timeliness, compliance and satisfaction — the measures fed by
 *   what the organization submits (milestone reports, expenses, the beneficiaries called back) —
 *   are scored as their worst value, 0, when they have no data, and listed in the row's
 *   `missing`. Evaluation is never scored as missing: officials evaluate at the end of a project,
 *   an organization cannot withhold it.
 *
 * Order: higher combined score first; on equal scores the organization with more
 * overdue milestones is placed lower, then more measures scored as missing lower, then by name in
 * zh-CN (pinyin) collation, then by organization id. Ranks are competition ranks over the score
 * alone (1, 2, 2, 4). The bottom three of that order are flagged — exactly three, whatever the
 * ties — only when at least 4 organizations are ranked (flagging everyone of three or fewer says
 * nothing), and an organization with the top score is never flagged (when everyone ties, nobody
 * is at the bottom).
 *
 * RANKING_RULES_VERSION is stored with each ranking (OrgRanking.rulesVersion): a ranking stored
 * under other rules is computed again (domain/stored-ranking.ts).
 */
import { attendanceScore } from "./trainings";
import { isAdmin, isOfficialFor, isWithin, type GrantHolder } from "./permissions";

export const COMPONENTS = ["timeliness", "compliance", "satisfaction", "evaluation"] as const;
export type Component = (typeof COMPONENTS)[number];
export type Weights = Record<Component, number>;

export const DEFAULT_WEIGHTS: Weights = { timeliness: 30, compliance: 30, satisfaction: 20, evaluation: 20 };
export const FLAG_COUNT = 3;
export const MIN_RANKED_FOR_FLAGS = 4;
/** Days without a submitted report after which an active project counts as silent (as the NO_REPORT alert). */
export const SILENT_DAYS = 30;
/** Version of the rules below; bump it when a change must recompute the stored rankings. */
export const RANKING_RULES_VERSION = 2;
/** Components an organization feeds by reporting: scored as worst when it did not report. */
export const REPORTED_COMPONENTS: readonly Component[] = ["timeliness", "compliance", "satisfaction"];

// ── quarters ──

export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export const isQuarter = (q: unknown): q is Quarter => typeof q === "string" && QUARTER.test(q);

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The quarter holding an instant, in Asia/Shanghai. */
export function quarterOf(instant: Date): Quarter {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return `${local.getUTCFullYear()}-Q${(Math.floor(local.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4}`;
}

/** [start, end) instants of a quarter: midnights in Asia/Shanghai. */
export function quarterRange(q: Quarter): { start: Date; end: Date } {
  const m = QUARTER.exec(q);
  if (!m) throw new RangeError(`not a quarter: ${q}`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3;
  return {
    start: new Date(Date.UTC(year, first, 1) - SHANGHAI_OFFSET_MS),
    end: new Date(Date.UTC(year, first + 3, 1) - SHANGHAI_OFFSET_MS),
  };
}

/** The quarter before (for the picker). */
export function previousQuarter(q: Quarter): Quarter {
  const m = QUARTER.exec(q)!;
  const n = Number(m[2]);
  return n === 1 ? `${Number(m[1]) - 1}-Q4` : `${Number(m[1])}-Q${(n - 1) as 1 | 2 | 3}`;
}

// ── weights ──

export type WeightsProblem = "weights.integer" | "weights.range" | "weights.sum";

/** Validates weights typed in a form or stored in Area.rankingWeights. */
export function parseWeights(input: unknown): { ok: true; weights: Weights } | { ok: false; problem: WeightsProblem } {
  if (!input || typeof input !== "object") return { ok: false, problem: "weights.integer" };
  const raw = input as Record<string, unknown>;
  const weights = {} as Weights;
  for (const c of COMPONENTS) {
    const v = raw[c];
    const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) return { ok: false, problem: "weights.integer" };
    if (n < 0 || n > 100) return { ok: false, problem: "weights.range" };
    weights[c] = n;
  }
  if (COMPONENTS.reduce((s, c) => s + weights[c], 0) !== 100) return { ok: false, problem: "weights.sum" };
  return { ok: true, weights };
}

/**
 * The weights in force for an area: the nearest of the area and its ancestors (closest first)
 * that has valid weights, else the defaults.
 */
export function weightsFor(chain: readonly unknown[]): { weights: Weights; custom: boolean } {
  for (const stored of chain) {
    if (stored === null || stored === undefined) continue;
    const parsed = parseWeights(stored);
    if (parsed.ok) return { weights: parsed.weights, custom: true };
  }
  return { weights: { ...DEFAULT_WEIGHTS }, custom: false };
}

/** The training-attendance weight is a whole percentage like the others (the database CHECKs 0–100). */
export const ATTENDANCE_WEIGHT_MAX = 100;
export type AttendanceWeightProblem = "attendanceWeight.integer" | "attendanceWeight.range";

/**
 * Validates the weight of training attendance typed in a form (Area.trainingAttendanceWeight): a
 * whole number from 0 (attendance not counted) to ATTENDANCE_WEIGHT_MAX. It weighs against the
 * four components' 100, so 100 makes attendance count as much as all of them together.
 */
export function parseAttendanceWeight(input: unknown): { ok: true; weight: number } | { ok: false; problem: AttendanceWeightProblem } {
  const n = typeof input === "number" ? input : typeof input === "string" && /^\s*-?\d+\s*$/.test(input) ? Number(input) : NaN;
  if (!Number.isInteger(n)) return { ok: false, problem: "attendanceWeight.integer" };
  if (n < 0 || n > ATTENDANCE_WEIGHT_MAX) return { ok: false, problem: "attendanceWeight.range" };
  return { ok: true, weight: n };
}

/**
 * Officials of the area (or of an area above it) and administrators set the area's weight of
 * training attendance: it is the area's own (not inherited), like the trainings its officials run.
 */
export const canSetAttendanceWeight = (actor: Pick<GrantHolder, "grants">, area: { path: string }) => isOfficialFor(actor, area.path);

/**
 * Officials of a subdistrict (or a higher level) covering the area, and administrators, set the
 * weights; community officials only read them. Weights are set on subdistrict-or-higher areas.
 */
export function canSetWeights(actor: Pick<GrantHolder, "grants">, area: { path: string; level: string }): boolean {
  if (!["CITY", "DISTRICT", "SUBDISTRICT"].includes(area.level)) return false;
  if (isAdmin(actor)) return true;
  return actor.grants.some((g) => g.role === "OFFICIAL" && ["CITY", "DISTRICT", "SUBDISTRICT"].includes(g.areaLevel) && isWithin(area.path, g.areaPath));
}

// ── ranking ──

/** What the database knows about one organization in the quarter (counts and sums only). */
export interface OrgQuarterFacts {
  organizationId: string;
  name: string;
  milestonesDue: number;
  milestonesOnTime: number;
  expenseFen: number;
  compliantFen: number;
  callsReached: number;
  callsSatisfied: number;
  callsPartly: number;
  evaluations: number;
  evaluationTotal: number;
  /** milestones (due in any quarter) whose due day had passed at the cutoff with no report submitted by then */
  milestonesOverdue: number;
  /** active projects expecting a report with none submitted for SILENT_DAYS days at the cutoff */
  projectsSilent: number;
  /** trainings its members signed up for (not cancelled) that ended in the quarter, and of those attended; read only when attendance weighs */
  trainingsSignedUp?: number;
  trainingsAttended?: number;
}

/**
 * Options of the ranking. `attendanceWeight` (percent, 0–100, Area.trainingAttendanceWeight) adds
 * training attendance as a further measure next to the weighted components; 0 (the default)
 * leaves the ranking exactly as without it.
 */
export interface RankingOptions {
  attendanceWeight?: number;
}

/** Why an organization is not ranked: nothing was due from it, or its measures with data all weigh 0. */
export type UnrankedReason = "nothing-due" | "zero-weight";

export interface OrgRankingRow {
  organizationId: string;
  name: string;
  /** each 0–100 with one decimal, or null when the organization has no data for it */
  components: Record<Component, number | null>;
  /** null: not ranked (see `unranked`) */
  combined: number | null;
  rank: number | null;
  flagged: boolean;
  /** components scored as their worst value because the organization did not report */
  missing: Component[];
  overdueMilestones: number;
  silentProjects: number;
  /** set when combined is null */
  unranked: UnrankedReason | null;
  /** training attendance 0–100 (present only when it weighs: RankingOptions.attendanceWeight > 0) */
  attendance?: number | null;
}

/** The organization did not report: an overdue milestone without a report, or a silent project. */
export const didNotReport = (f: Pick<OrgQuarterFacts, "milestonesOverdue" | "projectsSilent">) => f.milestonesOverdue > 0 || f.projectsSilent > 0;

/**
 * The components as ranked: those without data are scored 0 (worst) when the organization did
 * not report and the component is one it feeds by reporting; `missing` lists them.
 */
export function scoredComponents(f: OrgQuarterFacts): { components: Record<Component, number | null>; missing: Component[] } {
  const components = componentsOf(f);
  const missing: Component[] = [];
  if (didNotReport(f)) {
    for (const c of REPORTED_COMPONENTS) {
      if (components[c] === null) {
        components[c] = 0;
        missing.push(c);
      }
    }
  }
  return { components, missing };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const share = (part: number, whole: number) => (whole > 0 ? round1((100 * part) / whole) : null);

export function componentsOf(f: OrgQuarterFacts): Record<Component, number | null> {
  return {
    timeliness: share(f.milestonesOnTime, f.milestonesDue),
    compliance: share(f.compliantFen, f.expenseFen),
    satisfaction: share(f.callsSatisfied + 0.5 * f.callsPartly, f.callsReached),
    evaluation: f.evaluations > 0 ? round1(f.evaluationTotal / f.evaluations) : null,
  };
}

/** Σ wᵢ·cᵢ / Σ wᵢ over the present components; null when none is present or all their weights are 0. */
export function combine(components: Record<Component, number | null>, weights: Weights): number | null {
  let sum = 0;
  let weight = 0;
  for (const c of COMPONENTS) {
    const v = components[c];
    if (v === null) continue;
    sum += weights[c] * v;
    weight += weights[c];
  }
  return weight > 0 ? round1(sum / weight) : null;
}

/**
 * The total order of ranked rows, best first (see the header): score, then overdue
 * milestones (more is lower), then measures scored as missing (more is lower), then name, then id.
 */
export function compareRanked(a: OrgRankingRow, b: OrgRankingRow): number {
  return (
    (b.combined ?? -1) - (a.combined ?? -1) ||
    a.overdueMilestones - b.overdueMilestones ||
    a.missing.length - b.missing.length ||
    byName(a, b)
  );
}

const byName = (a: Pick<OrgRankingRow, "name" | "organizationId">, b: Pick<OrgRankingRow, "name" | "organizationId">) =>
  a.name.localeCompare(b.name, "zh-CN") || (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0);

/**
 * The combined score with attendance as one more measure: Σ wᵢ·cᵢ + wₐ·a over Σ wᵢ + wₐ (present
 * measures only). With no attendance data, or weight 0, it is `combine` unchanged.
 */
export function combineWithAttendance(components: Record<Component, number | null>, weights: Weights, attendance: number | null, attendanceWeight: number): number | null {
  if (attendance === null || attendanceWeight <= 0) return combine(components, weights);
  let sum = attendanceWeight * attendance;
  let weight = attendanceWeight;
  for (const c of COMPONENTS) {
    const v = components[c];
    if (v === null) continue;
    sum += weights[c] * v;
    weight += weights[c];
  }
  return round1(sum / weight);
}

export function rankOrganizations(facts: readonly OrgQuarterFacts[], weights: Weights = DEFAULT_WEIGHTS, options: RankingOptions = {}): OrgRankingRow[] {
  const attendanceWeight = options.attendanceWeight ?? 0;
  const rows: OrgRankingRow[] = facts.map((f) => {
    const { components, missing } = scoredComponents(f);
    const attendance = attendanceWeight > 0 ? attendanceScore(f.trainingsSignedUp ?? 0, f.trainingsAttended ?? 0) : null;
    const combined = combineWithAttendance(components, weights, attendance, attendanceWeight);
    const anyData = COMPONENTS.some((c) => components[c] !== null) || attendance !== null;
    return {
      ...(attendanceWeight > 0 ? { attendance } : {}),
      organizationId: f.organizationId,
      name: f.name,
      components,
      combined,
      rank: null,
      flagged: false,
      missing,
      overdueMilestones: f.milestonesOverdue,
      silentProjects: f.projectsSilent,
      unranked: combined !== null ? null : anyData ? "zero-weight" : "nothing-due",
    };
  });
  const ranked = rows.filter((r) => r.combined !== null).sort(compareRanked);
  const unranked = rows.filter((r) => r.combined === null).sort(byName);
  ranked.forEach((r, i) => {
    r.rank = i > 0 && ranked[i - 1]!.combined === r.combined ? ranked[i - 1]!.rank : i + 1;
  });
  if (ranked.length >= MIN_RANKED_FOR_FLAGS) {
    const top = ranked[0]!.combined!;
    for (const r of ranked.slice(-FLAG_COUNT)) r.flagged = r.combined! < top;
  }
  return [...ranked, ...unranked];
}
