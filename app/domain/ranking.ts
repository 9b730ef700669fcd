/**
 * Ranking (PRODUCT.md step 6): from the submitted score sheets of a round to a ranked list in which
 * every step is shown, so an official can explain any rank. Pure rules, free of I/O; the ranking is
 * recomputed from stored scores every time, never stored by hand.
 *
 * The rule, in order:
 *
 * 1. **Exact scores.** Judges score each criterion in steps of 0.5 points. Internally every score and
 *    judge total is an integer number of HALF points (`72.5` → `145`), so sums are exact; means are
 *    kept as exact fractions (BigInt numerator/denominator) and only turned into JS numbers for the
 *    output. Round only for display (`formatScore`).
 * 2. **Judge total** = the sum of a sheet's criterion scores (0–100).
 * 3. **Optional z-score normalization** (`options.zScore`), against severity bias. For each judge:
 *    the mean `m` and population standard deviation `s` of that judge's raw totals over every
 *    proposal they scored in the round; over all sheets of the round: the mean `M` and population
 *    standard deviation `S` of all raw totals. A judge's normalized total is
 *    `M + S × (total − m) / s`, clamped to 0–100 so the scale stays that of the rubric. A judge with
 *    a single sheet, or whose totals are all equal (`s = 0`), keeps raw totals (`normalized: false`
 *    in `judgeStats`). Means and deviations come from integer sums, so they do not depend on the
 *    order of the sheets. Normalization involves square roots, so in this mode the review score is
 *    a floating-point number; composites are then compared after rounding to 1e-9 points
 *    (`Z_COMPARE_SCALE`), so floating-point noise never decides a rank: it becomes a tie.
 * 4. **Review score.** With at least `TRIM_MIN_JUDGES` (5) sheets, drop one highest and one lowest
 *    total (去掉一个最高分和一个最低分) and average the rest; otherwise the plain mean. The totals
 *    used are the normalized ones when normalizing. Which of equal totals is dropped is fixed: the
 *    totals are ordered by (value, judgeId), the first is dropped as lowest and the last as highest,
 *    i.e. of equal lowest totals the smallest judgeId goes, of equal highest ones the largest.
 * 5. **Roadshow score**: as stored, 0–100, at most two decimals. A proposal without one scores 0 for
 *    it and, when the roadshow weight is not 0, carries the flag `noRoadshow`.
 * 6. **Public vote score** = 100 × votes / (most votes of any proposal in the ranking); 0 for every
 *    proposal when nobody voted. Missing votes count as 0.
 * 7. **Composite** = (review × w_review + roadshow × w_roadshow + publicVote × w_publicVote) / 100,
 *    weights in whole percent summing to 100, so the composite lies in 0–100.
 * 8. **Disagreement**: spread = highest − lowest RAW judge total (what the judges actually gave);
 *    flagged for panel discussion when the spread is strictly more than `disagreementRange`
 *    (default 30 points): a spread of exactly 30 is not flagged.
 * 9. **Order**: higher composite first; ties by the higher trimmed mean of the FIRST rubric
 *    criterion (the same drop-one-highest-one-lowest rule applied to that criterion's raw scores on
 *    their own, ordered by (score, judgeId)), then the earlier submission, then the smaller id
 *    (plain code-unit string order). Every proposal gets a distinct rank 1..n. `tieBreak` names the
 *    rule that put a proposal below its neighbour above when their composites were equal.
 *    Proposals without any sheet have no review score and no composite; they are ranked after all
 *    reviewed proposals (by submission time, then id) with the flag `noSheets`.
 *
 * Invalid input is not ranked: `rankRound` returns `{ ok: false, problems }` with machine-readable
 * codes (`rankingProblems`). Cost: linear in the number of scores plus sorting the proposals.
 */

/** Sheets needed before the highest and lowest totals are dropped. */
export const TRIM_MIN_JUDGES = 5;
/** Largest spread of judge totals, in points, that is not flagged for panel discussion. */
export const DEFAULT_DISAGREEMENT_RANGE = 30;
/** With z-scores, composites are compared as integers of 1e-9 points. */
export const Z_COMPARE_SCALE = 1_000_000_000;

export interface RubricCriterion {
  key: string;
  /** maximum points, a positive multiple of 0.5; the rubric's maxima sum to 100 */
  maxPoints: number;
}

/** Weights in whole percent, summing to 100. */
export interface RankingWeights {
  review: number;
  roadshow: number;
  publicVote: number;
}

export interface RankingOptions {
  zScore?: boolean;
  /** points; default `DEFAULT_DISAGREEMENT_RANGE` */
  disagreementRange?: number;
}

export interface RankingProposal {
  id: string;
  submittedAt: Date | string;
  /** 0–100, at most two decimals; null/absent = no roadshow score */
  roadshowScore?: number | null;
  /** a non-negative integer; absent = 0 */
  publicVotes?: number;
}

/** A submitted score sheet (drafts are never passed in). */
export interface ScoreSheet {
  proposalId: string;
  judgeId: string;
  /** criterion key → points, in steps of 0.5 */
  scores: Record<string, number>;
}

export interface RankingInput {
  rubric: readonly RubricCriterion[];
  weights: RankingWeights;
  options?: RankingOptions;
  proposals: readonly RankingProposal[];
  sheets: readonly ScoreSheet[];
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

export type SheetProblemCode =
  /** a score is not a finite number */
  | "notANumber"
  | "negative"
  | "overMax"
  /** not a multiple of 0.5 */
  | "notHalfStep"
  | "unknownCriterion"
  | "missingCriterion";

export interface SheetProblem {
  code: SheetProblemCode;
  criterion: string;
}

/**
 * `points` as an integer number of half points, or null when it is not a finite multiple of 0.5.
 * `72.5` → `145`.
 */
export function toHalfPoints(points: number): number | null {
  if (typeof points !== "number" || !Number.isFinite(points)) return null;
  const half = points * 2;
  return Number.isSafeInteger(half) ? half : null;
}

/**
 * Every problem with one score sheet against the rubric, in rubric order, unknown criteria last;
 * empty when it may be ranked.
 */
export function sheetProblems(rubric: readonly RubricCriterion[], sheet: Pick<ScoreSheet, "scores">): SheetProblem[] {
  return sheetProblemsIn(rubric, new Map(rubric.map((c) => [c.key, c])), sheet);
}

function sheetProblemsIn(
  rubric: readonly RubricCriterion[],
  known: ReadonlyMap<string, RubricCriterion>,
  sheet: Pick<ScoreSheet, "scores">,
): SheetProblem[] {
  const problems: SheetProblem[] = [];
  const scores = sheet.scores;
  let matched = 0;
  for (const c of rubric) {
    const criterion = c.key;
    if (!Object.hasOwn(scores, criterion)) {
      problems.push({ code: "missingCriterion", criterion });
      continue;
    }
    matched++;
    const value = scores[criterion];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      problems.push({ code: "notANumber", criterion });
      continue;
    }
    if (value < 0) problems.push({ code: "negative", criterion });
    if (value > c.maxPoints) problems.push({ code: "overMax", criterion });
    if (toHalfPoints(value) === null) problems.push({ code: "notHalfStep", criterion });
  }
  if (Object.keys(scores).length > matched) {
    for (const criterion of Object.keys(scores)) {
      if (!known.has(criterion)) problems.push({ code: "unknownCriterion", criterion });
    }
  }
  return problems;
}

export type RankingProblemCode =
  | "rubricEmpty"
  | "rubricDuplicateKey"
  /** maxPoints not a positive multiple of 0.5 */
  | "rubricInvalidMax"
  | "rubricSumNot100"
  /** a weight is not a whole percent in 0–100 */
  | "invalidWeight"
  | "weightsSumNot100"
  | "invalidDisagreementRange"
  | "duplicateProposal"
  | "invalidSubmittedAt"
  /** outside 0–100 or more than two decimals */
  | "invalidRoadshowScore"
  | "invalidPublicVotes"
  | "sheetUnknownProposal"
  /** the same judge has two sheets for one proposal */
  | "duplicateSheet"
  /** a sheet fails `sheetProblems`; `sheetProblem` says how */
  | "invalidSheet";

export interface RankingProblem {
  code: RankingProblemCode;
  proposalId?: string;
  judgeId?: string;
  criterion?: string;
  /** for `invalidSheet` */
  sheetProblem?: SheetProblemCode;
  /** for `invalidWeight` */
  weight?: keyof RankingWeights;
}

const WEIGHT_KEYS = ["review", "roadshow", "publicVote"] as const;

const timeOf = (d: Date | string): number => (d instanceof Date ? d.getTime() : typeof d === "string" ? Date.parse(d) : NaN);

/** Roadshow score as an integer of hundredths of a point, or null when not 0–100 with ≤ 2 decimals. */
function roadshowHundredths(score: number): number | null {
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 100) return null;
  const h = Math.round(score * 100);
  return Math.abs(h - score * 100) < 1e-6 ? h : null;
}

/** Every reason the input cannot be ranked; empty when `rankRound` will compute a ranking. */
export function rankingProblems(input: RankingInput): RankingProblem[] {
  const problems: RankingProblem[] = [];
  const { rubric, weights, options = {}, proposals, sheets } = input;

  if (rubric.length === 0) problems.push({ code: "rubricEmpty" });
  const keys = new Set<string>();
  let maxHalf = 0;
  let rubricValid = true;
  for (const c of rubric) {
    if (keys.has(c.key)) problems.push({ code: "rubricDuplicateKey", criterion: c.key });
    keys.add(c.key);
    const h = toHalfPoints(c.maxPoints);
    if (h === null || h <= 0) {
      problems.push({ code: "rubricInvalidMax", criterion: c.key });
      rubricValid = false;
    } else maxHalf += h;
  }
  if (rubric.length > 0 && rubricValid && maxHalf !== 200) problems.push({ code: "rubricSumNot100" });

  let weightSum = 0;
  let weightsValid = true;
  for (const w of WEIGHT_KEYS) {
    const v = weights[w];
    if (!Number.isInteger(v) || v < 0 || v > 100) {
      problems.push({ code: "invalidWeight", weight: w });
      weightsValid = false;
    } else weightSum += v;
  }
  if (weightsValid && weightSum !== 100) problems.push({ code: "weightsSumNot100" });

  const range = options.disagreementRange;
  if (range !== undefined && (typeof range !== "number" || !Number.isFinite(range) || range < 0)) {
    problems.push({ code: "invalidDisagreementRange" });
  }

  const ids = new Set<string>();
  for (const p of proposals) {
    if (ids.has(p.id)) problems.push({ code: "duplicateProposal", proposalId: p.id });
    ids.add(p.id);
    if (!Number.isFinite(timeOf(p.submittedAt))) problems.push({ code: "invalidSubmittedAt", proposalId: p.id });
    if (p.roadshowScore !== null && p.roadshowScore !== undefined && roadshowHundredths(p.roadshowScore) === null) {
      problems.push({ code: "invalidRoadshowScore", proposalId: p.id });
    }
    if (p.publicVotes !== undefined && (!Number.isSafeInteger(p.publicVotes) || p.publicVotes < 0)) {
      problems.push({ code: "invalidPublicVotes", proposalId: p.id });
    }
  }

  const judgesOf = new Map<string, Set<string>>();
  const known = new Map(rubric.map((c) => [c.key, c]));
  for (const s of sheets) {
    if (!ids.has(s.proposalId)) problems.push({ code: "sheetUnknownProposal", proposalId: s.proposalId, judgeId: s.judgeId });
    let judges = judgesOf.get(s.proposalId);
    if (!judges) judgesOf.set(s.proposalId, (judges = new Set()));
    if (judges.has(s.judgeId)) problems.push({ code: "duplicateSheet", proposalId: s.proposalId, judgeId: s.judgeId });
    judges.add(s.judgeId);
    for (const sp of sheetProblemsIn(rubric, known, s)) {
      problems.push({ code: "invalidSheet", proposalId: s.proposalId, judgeId: s.judgeId, criterion: sp.criterion, sheetProblem: sp.code });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

export interface JudgeTotalStep {
  judgeId: string;
  /** the judge's total, 0–100 */
  raw: number;
  /** the z-score normalized total; null when not normalizing */
  normalized: number | null;
  /** set on the two totals left out of the review score (only with ≥ TRIM_MIN_JUDGES sheets) */
  dropped: "lowest" | "highest" | null;
}

export interface FirstCriterionStep {
  key: string;
  /** (trimmed) mean of the first criterion's raw scores; null without sheets */
  mean: number | null;
  trimmed: boolean;
  /** judges whose first-criterion score was left out, when trimmed */
  droppedLowest: string | null;
  droppedHighest: string | null;
}

export type RankingFlag = "noSheets" | "disagreement" | "noRoadshow";
/**
 * Why a proposal is below its neighbour above although their composites are equal (or, for two
 * proposals without sheets, although neither has a composite).
 */
export type TieBreak = "firstCriterion" | "submittedAt" | "id";

export interface RankedRow {
  /** 1-based, distinct */
  rank: number;
  proposalId: string;
  /** ISO 8601 */
  submittedAt: string;
  /** ordered by the value the review uses (normalized when normalizing, else raw), then judgeId */
  judgeTotals: JudgeTotalStep[];
  judgeCount: number;
  /** true when the highest and lowest totals were dropped */
  trimmed: boolean;
  /** review score 0–100: trimmed or plain mean of the judge totals; null without sheets */
  review: number | null;
  firstCriterion: FirstCriterionStep;
  /** as stored; null when none */
  roadshow: number | null;
  publicVotes: number;
  /** 0–100, see the module comment */
  publicVote: number;
  /** 0–100; null without sheets */
  composite: number | null;
  disagreement: { spread: number; range: number; flagged: boolean };
  flags: RankingFlag[];
  tieBreak: TieBreak | null;
}

export interface JudgeStat {
  judgeId: string;
  sheets: number;
  /** mean and population standard deviation of the judge's raw totals */
  mean: number;
  sd: number;
  /** false when the judge keeps raw totals (a single sheet, or sd = 0) */
  normalized: boolean;
}

export interface ZScoreSummary {
  /** mean and population standard deviation of all raw totals of the round */
  mean: number;
  sd: number;
  judges: JudgeStat[];
}

export interface Ranking {
  rows: RankedRow[];
  weights: RankingWeights;
  disagreementRange: number;
  /** the most votes of any proposal; the public vote score is relative to it */
  maxPublicVotes: number;
  /** per-judge statistics; null when not normalizing */
  zScore: ZScoreSummary | null;
}

export type RankingResult = { ok: true; ranking: Ranking } | { ok: false; problems: RankingProblem[] };

// ---------------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------------

/** An exact non-negative fraction. */
interface Frac {
  n: bigint;
  d: bigint;
}
const cmpFrac = (a: Frac, b: Frac): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
const fracToNumber = (f: Frac): number => Number(f.n) / Number(f.d);
const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Trim {
  /** sum of the kept values (integers of half points, so exact) */
  keptSum: number;
  keptCount: number;
  lowest: number | null;
  highest: number | null;
}

/**
 * Which entries of a list ordered ascending by (value, judgeId) are dropped: none below
 * `TRIM_MIN_JUDGES`, else the first (lowest) and the last (highest).
 */
function trimIndices(length: number): { lowest: number | null; highest: number | null } {
  return length >= TRIM_MIN_JUDGES ? { lowest: 0, highest: length - 1 } : { lowest: null, highest: null };
}

function trimSum(values: readonly number[]): Trim {
  const { lowest, highest } = trimIndices(values.length);
  let keptSum = 0;
  let keptCount = 0;
  values.forEach((v, i) => {
    if (i !== lowest && i !== highest) {
      keptSum += v;
      keptCount++;
    }
  });
  return { keptSum, keptCount, lowest, highest };
}

interface Work {
  p: RankingProposal;
  time: number;
  row: RankedRow;
  composite: Frac | null;
  firstMean: Frac | null;
}

/** Formats a score for display with `decimals` places (half away from zero): 83.3333 → "83.33". */
export function formatScore(score: number, decimals = 2): string {
  const f = 10 ** decimals;
  const r = Math.sign(score) * Math.round(Math.abs(score) * f + 1e-9) / f;
  return r.toFixed(decimals);
}

/** Ranks a round; see the module comment for the rule. The same input, in any order, gives the same result. */
export function rankRound(input: RankingInput): RankingResult {
  const problems = rankingProblems(input);
  if (problems.length > 0) return { ok: false, problems };

  const { rubric, weights, proposals, sheets } = input;
  const zScore = input.options?.zScore === true;
  const range = input.options?.disagreementRange ?? DEFAULT_DISAGREEMENT_RANGE;
  const firstKey = rubric[0]!.key;

  // Totals in half points, grouped by proposal; per-judge integer sums for z-scores.
  const byProposal = new Map<string, { judgeId: string; total: number; first: number }[]>();
  const judgeSums = new Map<string, { count: number; sum: number; sumSq: number }>();
  let allCount = 0;
  let allSum = 0;
  let allSumSq = 0;
  for (const s of sheets) {
    let total = 0;
    for (const c of rubric) total += s.scores[c.key]! * 2;
    const first = s.scores[firstKey]! * 2;
    let list = byProposal.get(s.proposalId);
    if (!list) byProposal.set(s.proposalId, (list = []));
    list.push({ judgeId: s.judgeId, total, first });
    let js = judgeSums.get(s.judgeId);
    if (!js) judgeSums.set(s.judgeId, (js = { count: 0, sum: 0, sumSq: 0 }));
    js.count++;
    js.sum += total;
    js.sumSq += total * total;
    allCount++;
    allSum += total;
    allSumSq += total * total;
  }

  // z-score parameters, in points. Population variance from integer sums: (nΣx² − (Σx)²) / n².
  const sdOf = (n: number, sum: number, sumSq: number) => Math.sqrt(Math.max(0, n * sumSq - sum * sum)) / n / 2;
  let zSummary: ZScoreSummary | null = null;
  const judgeParams = new Map<string, { mean: number; sd: number; normalized: boolean }>();
  if (zScore) {
    const mean = allCount > 0 ? allSum / allCount / 2 : 0;
    const sd = allCount > 0 ? sdOf(allCount, allSum, allSumSq) : 0;
    const judges: JudgeStat[] = [];
    for (const [judgeId, js] of judgeSums) {
      const jMean = js.sum / js.count / 2;
      // sd = 0 is decided on the exact integers, never on a rounded square root
      const exactZero = js.count * js.sumSq - js.sum * js.sum === 0;
      const jSd = sdOf(js.count, js.sum, js.sumSq);
      const normalized = js.count >= 2 && !exactZero;
      judgeParams.set(judgeId, { mean: jMean, sd: jSd, normalized });
      judges.push({ judgeId, sheets: js.count, mean: jMean, sd: jSd, normalized });
    }
    judges.sort((a, b) => cmpStr(a.judgeId, b.judgeId));
    zSummary = { mean, sd, judges };
  }
  const normalize = (judgeId: string, totalHalf: number): number => {
    const raw = totalHalf / 2;
    const jp = judgeParams.get(judgeId)!;
    if (!jp.normalized) return raw;
    const v = zSummary!.mean + (zSummary!.sd * (raw - jp.mean)) / jp.sd;
    return Math.min(100, Math.max(0, v));
  };

  let maxVotes = 0;
  for (const p of proposals) maxVotes = Math.max(maxVotes, p.publicVotes ?? 0);
  const voteDen = BigInt(Math.max(1, maxVotes));
  const w1 = BigInt(weights.review);
  const w2 = BigInt(weights.roadshow);
  const w3 = BigInt(weights.publicVote);

  const work: Work[] = proposals.map((p) => {
    const time = timeOf(p.submittedAt);
    const votes = p.publicVotes ?? 0;
    const hasRoadshow = p.roadshowScore !== null && p.roadshowScore !== undefined;
    const roadshowH = hasRoadshow ? roadshowHundredths(p.roadshowScore!)! : 0;
    const publicVote = maxVotes > 0 ? (100 * votes) / maxVotes : 0;
    const list = byProposal.get(p.id) ?? [];
    const flags: RankingFlag[] = [];

    // Judge totals, ordered by the value the review uses, then judgeId.
    const entries = list.map((e) => ({ judgeId: e.judgeId, total: e.total, value: zScore ? normalize(e.judgeId, e.total) : e.total / 2 }));
    entries.sort((a, b) => a.value - b.value || cmpStr(a.judgeId, b.judgeId));
    const { lowest, highest } = trimIndices(entries.length);
    const judgeTotals: JudgeTotalStep[] = entries.map((e, i) => ({
      judgeId: e.judgeId,
      raw: e.total / 2,
      normalized: zScore ? e.value : null,
      dropped: i === lowest ? "lowest" : i === highest ? "highest" : null,
    }));

    // First criterion, trimmed on its own.
    const firsts = list.map((e) => ({ judgeId: e.judgeId, v: e.first })).sort((a, b) => a.v - b.v || cmpStr(a.judgeId, b.judgeId));
    const ft = trimSum(firsts.map((f) => f.v));
    const firstMean: Frac | null = list.length > 0 ? { n: BigInt(ft.keptSum), d: BigInt(2 * ft.keptCount) } : null;

    // Disagreement on raw totals, in half points.
    let spreadHalf = 0;
    if (list.length > 0) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const e of list) {
        lo = Math.min(lo, e.total);
        hi = Math.max(hi, e.total);
      }
      spreadHalf = hi - lo;
    }
    const flagged = spreadHalf > range * 2;

    let review: number | null = null;
    let composite: Frac | null = null;
    if (list.length === 0) flags.push("noSheets");
    else {
      // composite × D, with D = 2c · 100 · M · 100 (c kept totals, M most votes)
      const kept = entries.filter((_, i) => i !== lowest && i !== highest);
      const c = BigInt(kept.length);
      const roadshowPart = w2 * BigInt(roadshowH) * 2n * c * voteDen;
      const votePart = w3 * BigInt(votes) * 2n * c * 10_000n;
      if (zScore) {
        let sum = 0;
        for (const e of kept) sum += e.value; // fixed order: ascending (value, judgeId)
        review = sum / kept.length;
        const value = Math.min(100, Math.max(0, (weights.review * review + weights.roadshow * (roadshowH / 100) + weights.publicVote * publicVote) / 100));
        composite = { n: BigInt(Math.round(value * Z_COMPARE_SCALE)), d: BigInt(Z_COMPARE_SCALE) };
      } else {
        let sumHalf = 0;
        for (const e of kept) sumHalf += e.total;
        review = sumHalf / (2 * kept.length);
        composite = { n: w1 * BigInt(sumHalf) * 100n * voteDen + roadshowPart + votePart, d: 2n * c * 100n * voteDen * 100n };
      }
    }
    if (flagged) flags.push("disagreement");
    if (!hasRoadshow && weights.roadshow > 0) flags.push("noRoadshow");

    const row: RankedRow = {
      rank: 0,
      proposalId: p.id,
      submittedAt: new Date(time).toISOString(),
      judgeTotals,
      judgeCount: list.length,
      trimmed: lowest !== null,
      review,
      firstCriterion: {
        key: firstKey,
        mean: firstMean ? fracToNumber(firstMean) : null,
        trimmed: ft.lowest !== null,
        droppedLowest: ft.lowest !== null ? firsts[ft.lowest]!.judgeId : null,
        droppedHighest: ft.highest !== null ? firsts[ft.highest]!.judgeId : null,
      },
      roadshow: hasRoadshow ? p.roadshowScore! : null,
      publicVotes: votes,
      publicVote,
      composite: composite ? fracToNumber(composite) : null,
      disagreement: { spread: spreadHalf / 2, range, flagged },
      flags,
      tieBreak: null,
    };
    return { p, time, row, composite, firstMean };
  });

  /** 0 when the composites tie; otherwise the order and no tie-break. */
  const byComposite = (a: Work, b: Work): number => {
    if (a.composite && b.composite) return -cmpFrac(a.composite, b.composite);
    if (a.composite) return -1;
    if (b.composite) return 1;
    return 0;
  };
  const tieBreakOf = (a: Work, b: Work): { order: number; rule: TieBreak } => {
    if (a.firstMean && b.firstMean) {
      const f = -cmpFrac(a.firstMean, b.firstMean);
      if (f !== 0) return { order: f, rule: "firstCriterion" };
    }
    if (a.time !== b.time) return { order: a.time - b.time, rule: "submittedAt" };
    return { order: cmpStr(a.p.id, b.p.id), rule: "id" };
  };
  work.sort((a, b) => byComposite(a, b) || tieBreakOf(a, b).order);

  const rows = work.map((w, i) => {
    w.row.rank = i + 1;
    const above = work[i - 1];
    if (above && byComposite(above, w) === 0) w.row.tieBreak = tieBreakOf(above, w).rule;
    return w.row;
  });

  return { ok: true, ranking: { rows, weights: { ...weights }, disagreementRange: range, maxPublicVotes: maxVotes, zScore: zSummary } };
}
