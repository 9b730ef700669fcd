import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEFAULT_DISAGREEMENT_RANGE,
  formatScore,
  rankingProblems,
  rankRound,
  sheetProblems,
  toHalfPoints,
  type RankedRow,
  type Ranking,
  type RankingInput,
  type RankingProposal,
  type RankingWeights,
  type RubricCriterion,
  type ScoreSheet,
} from "./ranking";

const rubric: RubricCriterion[] = [
  { key: "need", maxPoints: 40 },
  { key: "plan", maxPoints: 30 },
  { key: "budget", maxPoints: 30 },
];
const REVIEW_ONLY: RankingWeights = { review: 100, roadshow: 0, publicVote: 0 };

/** A sheet with explicit criterion scores. */
const sheet = (proposalId: string, judgeId: string, need: number, plan: number, budget: number): ScoreSheet => ({
  proposalId,
  judgeId,
  scores: { need, plan, budget },
});
/** A sheet for a given total: "need" filled first, then "plan", then "budget". */
const total = (proposalId: string, judgeId: string, t: number): ScoreSheet => {
  const need = Math.min(40, t);
  const plan = Math.min(30, t - need);
  return sheet(proposalId, judgeId, need, plan, t - need - plan);
};
const proposal = (id: string, submittedAt: Date | string = "2025-03-01T08:00:00Z", extra: Partial<RankingProposal> = {}): RankingProposal => ({
  id,
  submittedAt,
  ...extra,
});

function rank(input: Partial<RankingInput> & Pick<RankingInput, "proposals" | "sheets">): Ranking {
  const r = rankRound({ rubric, weights: REVIEW_ONLY, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.ranking;
}
const row = (ranking: Ranking, id: string): RankedRow => {
  const r = ranking.rows.find((x) => x.proposalId === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};
const order = (ranking: Ranking) => ranking.rows.map((r) => r.proposalId);
/** The row of a round of one proposal, "p", ranked from `sheets`. */
const onlyRow = (sheets: ScoreSheet[], input: Partial<RankingInput> = {}) => row(rank({ proposals: [proposal("p")], sheets, ...input }), "p");

describe("toHalfPoints / formatScore", () => {
  it("turns 0.5-step scores into integers of half points", () => {
    expect(toHalfPoints(72.5)).toBe(145);
    expect(toHalfPoints(0)).toBe(0);
    expect(toHalfPoints(0.25)).toBeNull();
    expect(toHalfPoints(Number.NaN)).toBeNull();
    expect(toHalfPoints(Infinity)).toBeNull();
  });
  it("rounds only for display", () => {
    expect(formatScore(225.5 / 3)).toBe("75.17");
    expect(formatScore(80)).toBe("80.00");
    expect(formatScore(0.125)).toBe("0.13");
    expect(formatScore(170 / 3, 1)).toBe("56.7");
  });
});

describe("sheetProblems", () => {
  it("accepts a complete sheet of half steps within the maxima", () => {
    expect(sheetProblems(rubric, { scores: { need: 40, plan: 0, budget: 29.5 } })).toEqual([]);
  });
  it("names every problem with its criterion", () => {
    expect(sheetProblems(rubric, { scores: { need: 40.5, plan: -1, budget: 10.25, extra: 3 } })).toEqual([
      { code: "overMax", criterion: "need" },
      { code: "negative", criterion: "plan" },
      { code: "notHalfStep", criterion: "budget" },
      { code: "unknownCriterion", criterion: "extra" },
    ]);
    expect(sheetProblems(rubric, { scores: { need: 10, plan: Number.NaN } })).toEqual([
      { code: "notANumber", criterion: "plan" },
      { code: "missingCriterion", criterion: "budget" },
    ]);
    expect(sheetProblems(rubric, { scores: { need: -0.3 } }).map((p) => p.code)).toEqual([
      "negative",
      "notHalfStep",
      "missingCriterion",
      "missingCriterion",
    ]);
  });
});

describe("rankingProblems", () => {
  const base: RankingInput = { rubric, weights: REVIEW_ONLY, proposals: [proposal("p1")], sheets: [total("p1", "j1", 80)] };
  const codes = (input: Partial<RankingInput>) => rankingProblems({ ...base, ...input }).map((p) => p.code);

  it("accepts valid input", () => {
    expect(rankingProblems(base)).toEqual([]);
  });
  it("checks the rubric, weights and options", () => {
    expect(codes({ rubric: [] })).toContain("rubricEmpty");
    expect(codes({ rubric: [{ key: "a", maxPoints: 50 }, { key: "a", maxPoints: 50 }] })).toContain("rubricDuplicateKey");
    expect(codes({ rubric: [{ key: "a", maxPoints: 60 }, { key: "b", maxPoints: 30 }] })).toContain("rubricSumNot100");
    expect(codes({ rubric: [{ key: "a", maxPoints: 99.7 }, { key: "b", maxPoints: 0.3 }] })).toContain("rubricInvalidMax");
    expect(codes({ weights: { review: 60, roadshow: 30, publicVote: 20 } })).toEqual(["weightsSumNot100"]);
    expect(rankingProblems({ ...base, weights: { review: 60.5, roadshow: 39.5, publicVote: 0 } })).toEqual([
      { code: "invalidWeight", weight: "review" },
      { code: "invalidWeight", weight: "roadshow" },
    ]);
    expect(codes({ options: { disagreementRange: -1 } })).toEqual(["invalidDisagreementRange"]);
  });
  it("checks proposals and sheets", () => {
    expect(
      rankingProblems({
        ...base,
        proposals: [
          proposal("p1", "not a date", { roadshowScore: 100.5, publicVotes: -1 }),
          proposal("p1", "2025-01-01", { roadshowScore: 80.123, publicVotes: 1.5 }),
        ],
        sheets: [total("p1", "j1", 80), total("p1", "j1", 70), total("p9", "j2", 50), sheet("p1", "j3", 41, 0, 0)],
      }),
    ).toEqual([
      // the first p1's problems, then the second's
      ...["invalidSubmittedAt", "invalidRoadshowScore", "invalidPublicVotes", "duplicateProposal", "invalidRoadshowScore", "invalidPublicVotes"].map((code) => ({ code, proposalId: "p1" })),
      { code: "duplicateSheet", proposalId: "p1", judgeId: "j1" },
      { code: "sheetUnknownProposal", proposalId: "p9", judgeId: "j2" },
      { code: "invalidSheet", proposalId: "p1", judgeId: "j3", criterion: "need", sheetProblem: "overMax" },
    ]);
  });
  it("rankRound refuses invalid input with the same problems", () => {
    const input = { ...base, weights: { review: 50, roadshow: 0, publicVote: 0 } };
    expect(rankRound(input)).toEqual({ ok: false, problems: rankingProblems(input) });
  });
});

describe("review score", () => {
  it("drops one highest and one lowest total with 5+ judges (hand-computed)", () => {
    const p = onlyRow([total("p", "j1", 80), total("p", "j2", 70), total("p", "j3", 90), total("p", "j4", 60), total("p", "j5", 75.5)]);
    expect(p.trimmed).toBe(true);
    expect(p.judgeCount).toBe(5);
    expect(p.judgeTotals).toEqual([
      { judgeId: "j4", raw: 60, normalized: null, dropped: "lowest" },
      { judgeId: "j2", raw: 70, normalized: null, dropped: null },
      { judgeId: "j5", raw: 75.5, normalized: null, dropped: null },
      { judgeId: "j1", raw: 80, normalized: null, dropped: null },
      { judgeId: "j3", raw: 90, normalized: null, dropped: "highest" },
    ]);
    // (70 + 75.5 + 80) / 3 = 225.5 / 3
    expect(p.review).toBe(225.5 / 3);
    expect(p.composite).toBe(225.5 / 3);
    expect(formatScore(p.composite!)).toBe("75.17");
  });

  it("takes the plain mean with fewer than 5 judges", () => {
    const p = onlyRow([total("p", "a", 80), total("p", "b", 70), total("p", "c", 91)]);
    expect(p.trimmed).toBe(false);
    expect(p.judgeTotals.every((j) => j.dropped === null)).toBe(true);
    expect(p.review).toBe(241 / 3);
  });

  it("drops the smallest judgeId of equal lowest totals and the largest of equal highest", () => {
    const p = onlyRow([total("p", "j5", 90), total("p", "j2", 70), total("p", "j4", 90), total("p", "j1", 70), total("p", "j3", 80)]);
    expect(p.judgeTotals.map((j) => [j.judgeId, j.dropped])).toEqual([
      ["j1", "lowest"],
      ["j2", null],
      ["j3", null],
      ["j4", null],
      ["j5", "highest"],
    ]);
    expect(p.review).toBe(80);
  });

  it("trims the first criterion on its own for the tie-break", () => {
    // totals: j1 100 (need 40), j2 60 (need 40), j3 70 (need 10), j4 80 (need 20), j5 90 (need 30)
    const p = onlyRow([sheet("p", "j1", 40, 30, 30), sheet("p", "j2", 40, 10, 10), sheet("p", "j3", 10, 30, 30), sheet("p", "j4", 20, 30, 30), sheet("p", "j5", 30, 30, 30)]);
    expect(p.judgeTotals.filter((j) => j.dropped).map((j) => j.judgeId)).toEqual(["j2", "j1"]);
    expect(p.review).toBe(80);
    // need scores 10, 20, 30, 40, 40 → drop j3 (10) and j2 (40, larger id of the equal highest) → (20+30+40)/3
    expect(p.firstCriterion).toEqual({ key: "need", mean: 30, trimmed: true, droppedLowest: "j3", droppedHighest: "j2" });
  });
});

describe("order and tie-breaks", () => {
  it("ranks by composite, then first criterion, then submission, then id", () => {
    const r = rank({
      proposals: [
        proposal("e", "2025-03-01T10:00:00Z"),
        proposal("d", "2025-03-01T10:00:00Z"),
        proposal("c", "2025-03-01T09:00:00Z"),
        proposal("b", "2025-03-02T08:00:00Z"),
        proposal("a", new Date("2025-03-05T08:00:00Z")),
      ],
      sheets: [
        sheet("a", "j1", 35, 30, 20), // 85
        sheet("b", "j1", 40, 20, 20), // 80, need 40
        sheet("c", "j1", 20, 30, 30), // 80, need 20, earlier
        sheet("d", "j1", 20, 30, 30), // 80, need 20, later, id d
        sheet("e", "j1", 20, 30, 30), // 80, need 20, later, id e
      ],
    });
    expect(order(r)).toEqual(["a", "b", "c", "d", "e"]);
    expect(r.rows.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(r.rows.map((x) => x.tieBreak)).toEqual([null, null, "firstCriterion", "submittedAt", "id"]);
    expect(row(r, "a").submittedAt).toBe("2025-03-05T08:00:00.000Z");
  });

  it("ranks proposals without sheets last, flagged, without a composite", () => {
    const r = rank({
      proposals: [proposal("z", "2025-01-01T00:00:00Z"), proposal("y", "2025-01-02T00:00:00Z"), proposal("x"), proposal("w")],
      sheets: [total("x", "j1", 0)],
    });
    expect(order(r)).toEqual(["x", "z", "y", "w"]);
    const z = row(r, "z");
    expect(z.flags).toEqual(["noSheets"]);
    expect(z.composite).toBeNull();
    expect(z.review).toBeNull();
    expect(z.firstCriterion.mean).toBeNull();
    expect(z.tieBreak).toBeNull();
    expect(row(r, "y").tieBreak).toBe("submittedAt");
    expect(row(r, "x").composite).toBe(0);
  });
});

describe("weights, roadshow and public vote", () => {
  const weights = { review: 60, roadshow: 30, publicVote: 10 };
  it("combines the three scores (hand-computed)", () => {
    const r = rank({
      weights,
      proposals: [proposal("p1", undefined, { roadshowScore: 90, publicVotes: 50 }), proposal("p2", undefined, { roadshowScore: 100, publicVotes: 100 })],
      sheets: [total("p1", "j1", 80), total("p2", "j1", 70)],
    });
    // p1: 0.6×80 + 0.3×90 + 0.1×50 = 80; p2: 0.6×70 + 0.3×100 + 0.1×100 = 82
    expect(order(r)).toEqual(["p2", "p1"]);
    expect(row(r, "p1")).toMatchObject({ review: 80, roadshow: 90, publicVotes: 50, publicVote: 50, composite: 80, flags: [] });
    expect(row(r, "p2")).toMatchObject({ publicVote: 100, composite: 82 });
    expect(r.maxPublicVotes).toBe(100);
  });
  it("scores 0 for votes when nobody voted and 0 for a missing roadshow, flagged", () => {
    const r = rank({
      weights,
      proposals: [proposal("p1", undefined, { roadshowScore: null }), proposal("p2", undefined, { roadshowScore: 72.25, publicVotes: 0 })],
      sheets: [total("p1", "j1", 90), total("p2", "j1", 90)],
    });
    expect(row(r, "p1")).toMatchObject({ roadshow: null, publicVote: 0, composite: 54, flags: ["noRoadshow"] });
    expect(row(r, "p2").composite).toBe(54 + 0.3 * 72.25);
    expect(order(r)).toEqual(["p2", "p1"]);
  });
  it("keeps public votes exact: 1/3 of the votes scores 100/3", () => {
    const r = rank({
      weights: { review: 0, roadshow: 0, publicVote: 100 },
      proposals: [proposal("p1", undefined, { publicVotes: 1 }), proposal("p2", undefined, { publicVotes: 3 })],
      sheets: [total("p1", "j1", 50), total("p2", "j1", 50)],
    });
    expect(row(r, "p1").publicVote).toBe(100 / 3);
    expect(row(r, "p1").composite).toBe(100 / 3);
    expect(row(r, "p1").flags).toEqual([]); // roadshow weight 0: no noRoadshow flag
  });
});

describe("disagreement", () => {
  const spread = (high: number, range?: number) =>
    onlyRow([total("p", "j1", 50), total("p", "j2", high)], { options: { disagreementRange: range } });
  it("flags a spread above the range, not one equal to it", () => {
    expect(DEFAULT_DISAGREEMENT_RANGE).toBe(30);
    expect(spread(80).disagreement).toEqual({ spread: 30, range: 30, flagged: false });
    expect(spread(80).flags).toEqual([]);
    expect(spread(80.5).disagreement).toEqual({ spread: 30.5, range: 30, flagged: true });
    expect(spread(80.5).flags).toEqual(["disagreement"]);
    expect(spread(60, 10).disagreement.flagged).toBe(false);
    expect(spread(60.5, 10).disagreement.flagged).toBe(true);
  });
  it("uses the raw totals, including dropped ones", () => {
    const p = onlyRow([total("p", "j1", 40), total("p", "j2", 70), total("p", "j3", 70), total("p", "j4", 70), total("p", "j5", 71)]);
    expect(p.disagreement).toEqual({ spread: 31, range: 30, flagged: true });
  });
});

describe("z-score normalization (hand-computed)", () => {
  // Raw totals:          p1   p2    judge mean / sd (population)
  //   A (harsh)          40   50    45 / 5
  //   B (lenient)       100   80    90 / 10
  //   C (one sheet)      50    –    keeps raw
  //   D (sd = 0)         50   50    keeps raw
  // All 7 totals: mean 420/7 = 60; variance (400+100+1600+400+100+100+100)/7 = 400, sd 20.
  // Normalized = 60 + 20 × (total − mean_j) / sd_j:
  //   A: p1 60 + 20×(−5/5) = 40, p2 80;  B: p1 60 + 20×(10/10) = 80, p2 40.
  // p1: (40 + 80 + 50 + 50) / 4 = 55;  p2: (80 + 40 + 50) / 3 = 170/3.  Raw means: both 60.
  const sheets = [
    total("p1", "A", 40),
    total("p2", "A", 50),
    total("p1", "B", 100),
    total("p2", "B", 80),
    total("p1", "C", 50),
    total("p1", "D", 50),
    total("p2", "D", 50),
  ];
  const proposals = [proposal("p1", "2025-03-01T08:00:00Z"), proposal("p2", "2025-03-01T09:00:00Z")];

  it("normalizes per judge and keeps raw totals for one sheet or sd 0", () => {
    const r = rank({ options: { zScore: true }, proposals, sheets });
    expect(r.zScore).toEqual({
      mean: 60,
      sd: 20,
      judges: [
        { judgeId: "A", sheets: 2, mean: 45, sd: 5, normalized: true },
        { judgeId: "B", sheets: 2, mean: 90, sd: 10, normalized: true },
        { judgeId: "C", sheets: 1, mean: 50, sd: 0, normalized: false },
        { judgeId: "D", sheets: 2, mean: 50, sd: 0, normalized: false },
      ],
    });
    const p1 = row(r, "p1");
    expect(p1.judgeTotals).toEqual([
      { judgeId: "A", raw: 40, normalized: 40, dropped: null },
      { judgeId: "C", raw: 50, normalized: 50, dropped: null },
      { judgeId: "D", raw: 50, normalized: 50, dropped: null },
      { judgeId: "B", raw: 100, normalized: 80, dropped: null },
    ]);
    expect(p1.review).toBe(55);
    expect(row(r, "p2").review).toBeCloseTo(170 / 3, 12);
    expect(order(r)).toEqual(["p2", "p1"]);
    // disagreement stays on raw totals
    expect(p1.disagreement).toEqual({ spread: 60, range: 30, flagged: true });
  });

  it("without normalization the same proposals tie at 60 and the first criterion decides", () => {
    const r = rank({ proposals, sheets });
    expect(r.zScore).toBeNull();
    expect(r.rows.map((x) => x.review)).toEqual([60, 60]);
    // need: p1 40, 40, 40, 40 → 40; p2 40, 40, 40 → 40 → equal; p1 submitted earlier
    expect(order(r)).toEqual(["p1", "p2"]);
    expect(row(r, "p2").tieBreak).toBe("submittedAt");
  });

  it("clamps normalized totals to 0–100", () => {
    // A: 10 and 100 (mean 55, sd 45); B: 100, 100, 0 → all totals spread widely
    const r = rank({
      options: { zScore: true },
      proposals: [proposal("p1"), proposal("p2"), proposal("p3")],
      sheets: [total("p1", "A", 10), total("p2", "A", 100), total("p1", "B", 100), total("p2", "B", 100), total("p3", "B", 0)],
    });
    for (const x of r.rows) {
      for (const j of x.judgeTotals) {
        expect(j.normalized).toBeGreaterThanOrEqual(0);
        expect(j.normalized).toBeLessThanOrEqual(100);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const halfScore = (max: number) => fc.integer({ min: 0, max: max * 2 }).map((h) => h / 2);
const roundArb = fc
  .record({
    n: fc.integer({ min: 1, max: 8 }),
    judges: fc.integer({ min: 1, max: 7 }),
    seed: fc.array(fc.tuple(halfScore(40), halfScore(30), halfScore(30), fc.boolean()), { minLength: 56, maxLength: 56 }),
    meta: fc.array(
      fc.record({
        day: fc.integer({ min: 1, max: 3 }),
        roadshow: fc.option(fc.integer({ min: 0, max: 400 }).map((q) => q / 4)),
        votes: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      }),
      { minLength: 8, maxLength: 8 },
    ),
    w: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
    zScore: fc.boolean(),
  })
  .map(({ n, judges, seed, meta, w, zScore }): RankingInput => {
    const [x, y] = [Math.min(...w), Math.max(...w)];
    const proposals = meta.slice(0, n).map((m, i) => proposal(`p${i}`, `2025-03-0${m.day}T08:00:00Z`, { roadshowScore: m.roadshow, publicVotes: m.votes }));
    const sheets: ScoreSheet[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < judges; j++) {
        const [need, plan, budget, present] = seed[i * 7 + j]!;
        if (present) sheets.push(sheet(`p${i}`, `j${j}`, need, plan, budget));
      }
    }
    return { rubric, weights: { review: x, roadshow: y - x, publicVote: 100 - y }, options: { zScore }, proposals, sheets };
  });

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i % Math.max(1, keys.length)]! * 1000 + i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.item);
}

describe("properties", () => {
  it("is deterministic and independent of input order", () => {
    fc.assert(
      fc.property(roundArb, fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1 }), fc.boolean(), (input, keys, reverse) => {
        const a = rankRound(input);
        const b = rankRound({
          ...input,
          proposals: reverse ? [...input.proposals].reverse() : shuffled(input.proposals, keys),
          sheets: shuffled(reverse ? [...input.sheets].reverse() : input.sheets, keys),
        });
        expect(a.ok).toBe(true);
        expect(b).toEqual(a);
        expect(rankRound(input)).toEqual(a);
      }),
    );
  });

  it("keeps composites within 0–100 and gives ranks 1..n once each", () => {
    fc.assert(
      fc.property(roundArb, (input) => {
        const r = rankRound(input);
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
        const rows = r.ranking.rows;
        expect(rows.map((x) => x.rank)).toEqual(rows.map((_, i) => i + 1));
        expect(new Set(rows.map((x) => x.proposalId)).size).toBe(input.proposals.length);
        let seenUnreviewed = false;
        rows.forEach((x, i) => {
          if (x.composite === null) {
            seenUnreviewed = true;
            expect(x.flags).toContain("noSheets");
          } else {
            expect(seenUnreviewed).toBe(false); // unreviewed proposals come last
            expect(x.composite).toBeGreaterThanOrEqual(0);
            expect(x.composite).toBeLessThanOrEqual(100);
            const above = rows[i - 1];
            if (above?.composite != null) expect(above.composite).toBeGreaterThanOrEqual(x.composite - 1e-9);
          }
        });
      }),
    );
  });

  it("without normalization, the review lies between the lowest and highest kept total", () => {
    fc.assert(
      fc.property(roundArb, (input) => {
        const r = rankRound({ ...input, options: { zScore: false } });
        if (!r.ok) throw new Error("invalid");
        for (const x of r.ranking.rows) {
          const kept = x.judgeTotals.filter((j) => !j.dropped).map((j) => j.raw);
          if (kept.length === 0) continue;
          expect(x.trimmed).toBe(x.judgeCount >= 5);
          expect(x.review!).toBeGreaterThanOrEqual(Math.min(...kept));
          expect(x.review!).toBeLessThanOrEqual(Math.max(...kept));
        }
      }),
    );
  });
});

describe("scale", () => {
  it("ranks 10,000 proposals × 7 judges × 10 criteria", () => {
    const big: RubricCriterion[] = Array.from({ length: 10 }, (_, i) => ({ key: `c${i}`, maxPoints: 10 }));
    const proposals: RankingProposal[] = [];
    const sheets: ScoreSheet[] = [];
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 10_000; i++) {
      proposals.push(proposal(`p${i}`, new Date(Date.UTC(2025, 2, 1) + (next() % 1000) * 60_000), { roadshowScore: (next() % 201) / 2, publicVotes: next() % 500 }));
      for (let j = 0; j < 7; j++) {
        const scores: Record<string, number> = {};
        for (const c of big) scores[c.key] = (next() % 21) / 2;
        sheets.push({ proposalId: `p${i}`, judgeId: `j${(i + j * 37) % 300}`, scores });
      }
    }
    for (const zScore of [false, true]) {
      // speed is measured by `npm run bench`, not asserted here
      const r = rankRound({ rubric: big, weights: { review: 60, roadshow: 30, publicVote: 10 }, options: { zScore }, proposals, sheets });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.ranking.rows).toHaveLength(10_000);
    }
  });
});
