import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  allocate,
  allocationProblems,
  rankOrder,
  type AllocationInput,
  type AllocationLine,
  type AllocationOverride,
  type AllocationRound,
  type RankedProposal,
  fenOf,
  OverrideSchema,
} from "./allocation";
import { toFieldErrors } from "~/lib/result";

const MIN = 500_000; // ¥5,000
const MAX = 1_500_000; // ¥15,000

const round = (over: Partial<AllocationRound> = {}): AllocationRound => ({ poolFen: 3_000_000, minAwardFen: MIN, maxAwardFen: MAX, ...over });

let nextRank = 0;
const p = (id: string, requestedFen: number, over: Partial<RankedProposal> = {}): RankedProposal => ({
  id,
  rank: ++nextRank,
  composite: 80,
  requestedFen,
  communityId: "c1",
  category: "elderly",
  ...over,
});

/** Runs `allocate`, failing the test when the input is refused. */
function run(input: AllocationInput) {
  const result = allocate(input);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result;
}
const byId = (lines: AllocationLine[]) => Object.fromEntries(lines.map((l) => [l.id, l]));
const brief = (lines: AllocationLine[]) => lines.map((l) => [l.id, l.outcome, l.awardFen, l.reasonCodes] as const);

describe("allocate: the automatic rule", () => {
  it("funds in rank order, offers the remainder as a partial award, and waitlists the rest", () => {
    const r = run({
      round: round({ poolFen: 2_600_000 }),
      proposals: [p("a", 1_000_000), p("b", 1_000_000), p("c", 1_500_000), p("d", 500_000)],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 1_000_000, []],
      ["b", "FUNDED", 1_000_000, []],
      ["c", "PARTIAL", 600_000, ["poolExhausted"]],
      ["d", "WAITLIST", 0, ["poolExhausted"]],
    ]);
    expect(r.totals).toEqual({
      awardedFen: 2_600_000,
      remainingPoolFen: 0,
      byCommunity: { c1: 2_600_000 },
      byCategory: { elderly: 2_600_000 },
    });
    expect(r.overrideProblems).toEqual([]);
  });

  it("waitlists instead of a partial award when the remainder is below the round minimum", () => {
    const r = run({ round: round({ poolFen: 2_400_000 }), proposals: [p("a", 1_000_000), p("b", 1_000_000), p("c", 800_000), p("d", 500_000)] });
    expect(brief(r.lines).slice(2)).toEqual([
      ["c", "WAITLIST", 0, ["poolExhausted"]],
      ["d", "WAITLIST", 0, ["poolExhausted"]],
    ]);
    expect(r.totals.remainingPoolFen).toBe(400_000);
  });

  it("offers exactly the round minimum as a partial award", () => {
    const r = run({ round: round({ poolFen: 1_500_000 }), proposals: [p("a", 1_000_000), p("b", 1_000_000)] });
    expect(byId(r.lines).b).toEqual({ id: "b", outcome: "PARTIAL", awardFen: MIN, reasonCodes: ["poolExhausted"] });
  });

  it("funds a request that exactly empties the pool in full", () => {
    const r = run({ round: round({ poolFen: 2_000_000 }), proposals: [p("a", 1_000_000), p("b", 1_000_000), p("c", 500_000)] });
    expect(brief(r.lines).map(([, o, f]) => [o, f])).toEqual([
      ["FUNDED", 1_000_000],
      ["FUNDED", 1_000_000],
      ["WAITLIST", 0],
    ]);
  });

  it("caps a request above the round maximum at the maximum and says so", () => {
    const r = run({ round: round(), proposals: [p("a", 2_000_000)] });
    expect(r.lines).toEqual([{ id: "a", outcome: "FUNDED", awardFen: MAX, reasonCodes: ["cappedAtMax"] }]);
  });

  it("keeps the reason for the cap on a partial award of a capped request", () => {
    const r = run({ round: round({ poolFen: 1_000_000 }), proposals: [p("a", 2_000_000)] });
    expect(r.lines).toEqual([{ id: "a", outcome: "PARTIAL", awardFen: 1_000_000, reasonCodes: ["cappedAtMax", "poolExhausted"] }]);
  });

  it("never funds below the minimum score (60 by default, 60 itself qualifies), even after the cut-off", () => {
    const r = run({
      round: round({ poolFen: 1_000_000 }),
      proposals: [p("a", 1_000_000, { composite: 60 }), p("b", 500_000, { composite: 59.99 }), p("c", 500_000, { composite: 75 }), p("d", 500_000, { composite: 10 })],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 1_000_000, []],
      ["b", "BELOW_MINIMUM", 0, ["belowMinScore"]],
      ["c", "WAITLIST", 0, ["poolExhausted"]],
      ["d", "BELOW_MINIMUM", 0, ["belowMinScore"]],
    ]);
  });

  it("skips a proposal below the minimum score and funds the next one", () => {
    const r = run({ round: round({ minScore: 70 }), proposals: [p("a", 1_000_000, { composite: 65 }), p("b", 1_000_000, { composite: 70 })] });
    expect(brief(r.lines)).toEqual([
      ["a", "BELOW_MINIMUM", 0, ["belowMinScore"]],
      ["b", "FUNDED", 1_000_000, []],
    ]);
  });

  it("skips a proposal over the community cap to the waitlist and goes on", () => {
    const r = run({
      round: round({ poolFen: 5_000_000, communityCapFen: 2_000_000 }),
      proposals: [p("a", 1_000_000), p("b", 1_500_000), p("c", 1_000_000, { communityId: "c2" }), p("d", 1_000_000)],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 1_000_000, []],
      ["b", "WAITLIST", 0, ["communityCap"]],
      ["c", "FUNDED", 1_000_000, []],
      ["d", "FUNDED", 1_000_000, []],
    ]);
    expect(r.totals.byCommunity).toEqual({ c1: 2_000_000, c2: 1_000_000 });
  });

  it("skips a proposal over its category cap; categories without a cap are not limited", () => {
    const r = run({
      round: round({ poolFen: 5_000_000, categoryCapFen: { youth: 1_000_000 } }),
      proposals: [
        p("a", 800_000, { category: "youth" }),
        p("b", 500_000, { category: "youth" }),
        p("c", 1_500_000),
        p("d", 1_500_000),
        p("e", 200_000 + MIN, { category: "youth" }),
      ],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 800_000, []],
      ["b", "WAITLIST", 0, ["categoryCap"]],
      ["c", "FUNDED", 1_500_000, []],
      ["d", "FUNDED", 1_500_000, []],
      ["e", "WAITLIST", 0, ["categoryCap"]],
    ]);
    expect(r.totals.byCategory).toEqual({ youth: 800_000, elderly: 3_000_000 });
  });

  it("gives both cap reasons when both caps bind", () => {
    const r = run({
      round: round({ communityCapFen: 1_000_000, categoryCapFen: { elderly: 1_000_000 } }),
      proposals: [p("a", 1_000_000), p("b", 500_000)],
    });
    expect(byId(r.lines).b!.reasonCodes).toEqual(["communityCap", "categoryCap"]);
  });

  it("a cap skips the proposal rather than cutting its award down to the room left", () => {
    const r = run({
      round: round({ poolFen: 1_800_000, communityCapFen: 1_600_000 }),
      proposals: [p("a", 1_000_000), p("b", 1_000_000), p("c", 700_000, { communityId: "c2" })],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 1_000_000, []],
      ["b", "WAITLIST", 0, ["communityCap"]],
      ["c", "FUNDED", 700_000, []],
    ]);
  });

  it("a zero pool waitlists every eligible proposal", () => {
    const r = run({ round: round({ poolFen: 0 }), proposals: [p("a", 1_000_000), p("b", 500_000)] });
    expect(r.lines.map((l) => l.outcome)).toEqual(["WAITLIST", "WAITLIST"]);
    expect(r.totals).toMatchObject({ awardedFen: 0, remainingPoolFen: 0 });
  });

  it("takes proposals in rank order whatever the input order, ties by id", () => {
    const proposals = [p("b", 1_000_000, { rank: 2 }), p("z", 1_000_000, { rank: 1 }), p("a", 1_000_000, { rank: 2 })];
    const r = run({ round: round({ poolFen: 2_000_000 }), proposals });
    expect(brief(r.lines).map(([id, o]) => [id, o])).toEqual([
      ["z", "FUNDED"],
      ["a", "FUNDED"],
      ["b", "WAITLIST"],
    ]);
    expect(rankOrder(proposals).map((x) => x.id)).toEqual(["z", "a", "b"]);
  });

  it("handles ids and categories that are names of Object.prototype", () => {
    const r = run({
      round: round({ categoryCapFen: { toString: 1_000_000 } }),
      proposals: [p("__proto__", 1_000_000, { communityId: "constructor", category: "toString" }), p("x", 500_000, { category: "toString" })],
    });
    expect(brief(r.lines).map(([id, o]) => [id, o])).toEqual([
      ["__proto__", "FUNDED"],
      ["x", "WAITLIST"],
    ]);
    expect(Object.keys(r.totals.byCommunity)).toEqual(["constructor", "c1"]);
    expect(Object.entries(r.totals.byCategory)).toEqual([["toString", 1_000_000]]);
  });

  it("returns no lines for no proposals", () => {
    expect(run({ round: round(), proposals: [] })).toEqual({
      ok: true,
      lines: [],
      totals: { awardedFen: 0, remainingPoolFen: 3_000_000, byCommunity: {}, byCategory: {} },
      overrideProblems: [],
    });
  });
});

describe("allocate: overrides", () => {
  const o = (proposalId: string, kind: AllocationOverride["kind"], amountFen?: number): AllocationOverride => ({
    proposalId,
    kind,
    ...(amountFen === undefined ? {} : { amountFen }),
    reason: "评审会决议",
  });

  it("excludes a proposal and gives its money to the next", () => {
    const r = run({ round: round({ poolFen: 1_000_000 }), proposals: [p("a", 1_000_000), p("b", 1_000_000)], overrides: [o("a", "exclude")] });
    expect(brief(r.lines)).toEqual([
      ["a", "EXCLUDED", 0, ["override"]],
      ["b", "FUNDED", 1_000_000, []],
    ]);
  });

  it("funds a proposal below the minimum score before the automatic pass", () => {
    const r = run({
      round: round({ poolFen: 3_000_000 }),
      proposals: [p("a", 1_000_000), p("b", 1_000_000), p("c", 2_000_000, { composite: 40 })],
      overrides: [o("c", "fund")],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 1_000_000, []],
      ["b", "PARTIAL", 500_000, ["poolExhausted"]],
      ["c", "FUNDED", MAX, ["override", "cappedAtMax"]],
    ]);
  });

  it("awards an exact amount: PARTIAL below the request, FUNDED at it", () => {
    const r = run({
      round: round(),
      proposals: [p("a", 1_200_000), p("b", 900_000)],
      overrides: [o("a", "amount", 800_000), o("b", "amount", 900_000)],
    });
    expect(brief(r.lines)).toEqual([
      ["a", "PARTIAL", 800_000, ["override"]],
      ["b", "FUNDED", 900_000, ["override"]],
    ]);
  });

  it("refuses an override that would exceed the pool, and applies the automatic rule instead", () => {
    const r = run({
      round: round({ poolFen: 1_500_000 }),
      proposals: [p("a", 1_000_000), p("b", 1_000_000, { composite: 50 }), p("c", 700_000)],
      overrides: [o("a", "fund"), o("b", "fund"), o("c", "amount", 600_000)],
    });
    expect(r.overrideProblems).toEqual([
      { proposalId: "b", code: "overrideExceedsPool" },
      { proposalId: "c", code: "overrideExceedsPool" },
    ]);
    expect(brief(r.lines)).toEqual([
      ["a", "FUNDED", 1_000_000, ["override"]],
      ["b", "BELOW_MINIMUM", 0, ["overrideRefused", "belowMinScore"]],
      ["c", "PARTIAL", 500_000, ["overrideRefused", "poolExhausted"]],
    ]);
  });

  it("refuses overrides that would exceed a community or category cap", () => {
    const r = run({
      round: round({ poolFen: 10_000_000, communityCapFen: 1_500_000, categoryCapFen: { youth: 1_000_000 } }),
      proposals: [p("a", 1_000_000), p("b", 1_000_000), p("y1", 800_000, { communityId: "c2", category: "youth" }), p("y2", 500_000, { communityId: "c3", category: "youth" })],
      overrides: [o("a", "fund"), o("b", "fund"), o("y1", "fund"), o("y2", "fund")],
    });
    expect(r.overrideProblems).toEqual([
      { proposalId: "b", code: "overrideExceedsCommunityCap" },
      { proposalId: "y2", code: "overrideExceedsCategoryCap" },
    ]);
    expect(byId(r.lines).b).toEqual({ id: "b", outcome: "WAITLIST", awardFen: 0, reasonCodes: ["overrideRefused", "communityCap"] });
    expect(r.totals.awardedFen).toBe(1_800_000);
  });
});

describe("allocationProblems", () => {
  const codes = (input: AllocationInput) => allocationProblems(input).map((x) => x.code);

  it("accepts a valid input", () => {
    expect(allocationProblems({ round: round(), proposals: [p("a", MIN)], overrides: [{ proposalId: "a", kind: "exclude", reason: "x" }] })).toEqual([]);
  });

  it("refuses invalid round settings", () => {
    expect(codes({ round: round({ poolFen: -1 }), proposals: [] })).toEqual(["invalidPool"]);
    expect(codes({ round: round({ poolFen: 1.5 }), proposals: [] })).toEqual(["invalidPool"]);
    expect(codes({ round: round({ minAwardFen: 2_000_000 }), proposals: [] })).toEqual(["minAboveMax"]);
    expect(codes({ round: round({ minAwardFen: 0, maxAwardFen: -5 }), proposals: [] })).toEqual(["invalidMinAward", "invalidMaxAward"]);
    expect(codes({ round: round({ minScore: 101 }), proposals: [] })).toEqual(["invalidMinScore"]);
    expect(codes({ round: round({ minScore: Number.NaN }), proposals: [] })).toEqual(["invalidMinScore"]);
    expect(codes({ round: round({ communityCapFen: -1 }), proposals: [] })).toEqual(["invalidCommunityCap"]);
    expect(allocationProblems({ round: round({ categoryCapFen: { youth: 1, elderly: 0.5 } }), proposals: [] })).toEqual([
      { code: "invalidCategoryCap", category: "elderly" },
    ]);
  });

  it("refuses invalid proposals", () => {
    expect(
      allocationProblems({
        round: round(),
        proposals: [
          p("a", MIN),
          p("a", MIN),
          p("b", -100),
          p("c", MIN - 1),
          p("d", MIN, { composite: 100.5 }),
          p("e", MIN, { rank: Number.NaN }),
        ],
      }),
    ).toEqual([
      { code: "duplicateId", proposalId: "a" },
      { code: "invalidRequest", proposalId: "b" },
      { code: "requestBelowMinAward", proposalId: "c" },
      { code: "invalidComposite", proposalId: "d" },
      { code: "invalidRank", proposalId: "e" },
    ]);
  });

  it("refuses invalid overrides", () => {
    const proposals = [p("a", 1_000_000), p("b", 1_000_000), p("c", 1_000_000)];
    const problems = (overrides: AllocationOverride[]) => allocationProblems({ round: round(), proposals, overrides });
    expect(problems([{ proposalId: "a", kind: "exclude", reason: "  " }])).toEqual([{ code: "overrideWithoutReason", proposalId: "a" }]);
    expect(problems([{ proposalId: "a", kind: "fund", reason: "" }])).toEqual([{ code: "overrideWithoutReason", proposalId: "a" }]);
    expect(problems([{ proposalId: "zz", kind: "fund", reason: "r" }])).toEqual([{ code: "unknownOverrideProposal", proposalId: "zz" }]);
    expect(
      problems([
        { proposalId: "a", kind: "fund", reason: "r" },
        { proposalId: "a", kind: "exclude", reason: "r" },
      ]),
    ).toEqual([{ code: "duplicateOverride", proposalId: "a" }]);
    expect(problems([{ proposalId: "a", kind: "amount", reason: "r" }])).toEqual([{ code: "overrideAmountMissing", proposalId: "a" }]);
    expect(problems([{ proposalId: "a", kind: "amount", amountFen: MIN - 1, reason: "r" }])).toEqual([{ code: "overrideAmountOutOfRange", proposalId: "a" }]);
    expect(problems([{ proposalId: "a", kind: "amount", amountFen: 1_200_000, reason: "r" }])).toEqual([{ code: "overrideAmountAboveRequest", proposalId: "a" }]);
    expect(problems([{ proposalId: "a", kind: "exclude", amountFen: MIN, reason: "r" }])).toEqual([{ code: "unexpectedOverrideAmount", proposalId: "a" }]);
    expect(problems([{ proposalId: "a", kind: "boost" as "fund", reason: "r" }])).toEqual([{ code: "invalidOverrideKind", proposalId: "a" }]);
  });

  it("makes allocate refuse, listing the problems", () => {
    expect(allocate({ round: round({ poolFen: -1 }), proposals: [] })).toEqual({ ok: false, problems: [{ code: "invalidPool" }] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const roundArb = fc
  .record({
    minAwardFen: fc.integer({ min: 1, max: 1_000 }),
    spread: fc.integer({ min: 0, max: 3_000 }),
    poolFen: fc.integer({ min: 0, max: 20_000 }),
    minScore: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    communityCapFen: fc.option(fc.integer({ min: 0, max: 8_000 }), { nil: null }),
    categoryCapFen: fc.option(fc.dictionary(fc.constantFrom("k1", "k2", "k3"), fc.integer({ min: 0, max: 8_000 })), { nil: null }),
  })
  .map(({ spread, minScore, ...r }): AllocationRound => ({
    ...r,
    maxAwardFen: r.minAwardFen + spread,
    ...(minScore === undefined ? {} : { minScore }),
  }));

/** A valid input: unique ids, requests at least the round minimum, valid overrides on some proposals. */
const inputArb = roundArb.chain((r) =>
  fc
    .uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        rank: fc.integer({ min: 1, max: 30 }),
        composite: fc.double({ min: 0, max: 100, noNaN: true }),
        requestedFen: fc.integer({ min: r.minAwardFen, max: 2 * r.maxAwardFen }),
        communityId: fc.constantFrom("c1", "c2", "c3"),
        category: fc.constantFrom("k1", "k2", "k3", "k4"),
        override: fc.option(fc.record({ kind: fc.constantFrom("fund", "exclude", "amount" as const), k: fc.nat() }), { freq: 3 }),
      }),
      { selector: (x) => x.id, maxLength: 20 },
    )
    .map((rows): AllocationInput => ({
      round: r,
      proposals: rows.map(({ override: _, ...proposal }) => proposal),
      overrides: rows.flatMap(({ id, requestedFen, override }): AllocationOverride[] => {
        if (!override) return [];
        if (override.kind !== "amount") return [{ proposalId: id, kind: override.kind, reason: "written reason" }];
        const top = Math.min(requestedFen, r.maxAwardFen);
        const amountFen = r.minAwardFen + (override.k % (top - r.minAwardFen + 1));
        return [{ proposalId: id, kind: "amount", amountFen, reason: "written reason" }];
      }),
    })),
);

const sumBy = (lines: AllocationLine[], input: AllocationInput, key: (p: RankedProposal) => string) => {
  const proposals = new Map(input.proposals.map((x) => [x.id, x]));
  const sums = new Map<string, number>();
  for (const l of lines) {
    const k = key(proposals.get(l.id)!);
    sums.set(k, (sums.get(k) ?? 0) + l.awardFen);
  }
  return sums;
};

describe("allocate: properties", () => {
  it("accepts every generated input", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(allocationProblems(input)).toEqual([]);
      }),
    );
  });

  it("never awards more than the pool, and the totals add up", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = run(input);
        const total = r.lines.reduce((s, l) => s + l.awardFen, 0);
        expect(total).toBeLessThanOrEqual(input.round.poolFen);
        expect(r.totals.awardedFen).toBe(total);
        expect(r.totals.remainingPoolFen).toBe(input.round.poolFen - total);
        expect(new Map(Object.entries(r.totals.byCommunity))).toEqual(sumBy(r.lines, input, (x) => x.communityId));
        expect(new Map(Object.entries(r.totals.byCategory))).toEqual(sumBy(r.lines, input, (x) => x.category));
      }),
    );
  });

  it("never goes over a community or category cap", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = run(input);
        const cap = input.round.communityCapFen;
        if (cap != null) for (const sum of Object.values(r.totals.byCommunity)) expect(sum).toBeLessThanOrEqual(cap);
        for (const [category, sum] of Object.entries(r.totals.byCategory)) {
          const categoryCap = input.round.categoryCapFen?.[category];
          if (categoryCap !== undefined) expect(sum).toBeLessThanOrEqual(categoryCap);
        }
      }),
    );
  });

  it("every award is 0 or within the round's min/max and not above the request; outcomes match awards", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = run(input);
        const proposals = new Map(input.proposals.map((x) => [x.id, x]));
        expect(r.lines.map((l) => l.id).sort()).toEqual([...proposals.keys()].sort());
        for (const l of r.lines) {
          const awarded = l.outcome === "FUNDED" || l.outcome === "PARTIAL";
          expect(l.awardFen > 0).toBe(awarded);
          if (!awarded) expect(l.awardFen).toBe(0);
          else {
            expect(l.awardFen).toBeGreaterThanOrEqual(input.round.minAwardFen);
            expect(l.awardFen).toBeLessThanOrEqual(input.round.maxAwardFen);
            expect(l.awardFen).toBeLessThanOrEqual(proposals.get(l.id)!.requestedFen);
            expect(Number.isSafeInteger(l.awardFen)).toBe(true);
          }
          if (l.outcome === "FUNDED") expect(l.awardFen).toBe(Math.min(proposals.get(l.id)!.requestedFen, input.round.maxAwardFen));
        }
      }),
    );
  });

  it("funds nothing below the minimum score unless overridden, and applies every exclusion", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = run(input);
        const minScore = input.round.minScore ?? 60;
        const overrides = new Map((input.overrides ?? []).map((o) => [o.proposalId, o]));
        for (const proposal of input.proposals) {
          const line = r.lines.find((l) => l.id === proposal.id)!;
          const o = overrides.get(proposal.id);
          if (proposal.composite < minScore && line.awardFen > 0) {
            expect(o?.kind === "fund" || o?.kind === "amount").toBe(true);
            expect(line.reasonCodes).toContain("override");
          }
          if (o?.kind === "exclude") expect(line).toEqual({ id: proposal.id, outcome: "EXCLUDED", awardFen: 0, reasonCodes: ["override"] });
          if (!o) expect(line.reasonCodes).not.toContain("override");
        }
      }),
    );
  });

  it("without overrides, leaves no money a waitlisted proposal could have had", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = run({ ...input, overrides: [] });
        for (const l of r.lines) {
          if (l.outcome === "WAITLIST" && l.reasonCodes.includes("poolExhausted")) {
            expect(r.totals.remainingPoolFen).toBeLessThan(input.round.minAwardFen);
          }
        }
      }),
    );
  });

  it("same input → same output, whatever the order of proposals and overrides", () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), (input, seed) => {
        const shuffle = <T>(xs: readonly T[]) =>
          xs
            .map((x, i) => ({ x, k: (i * 2654435761 + seed) % 4294967296 }))
            .sort((a, b) => a.k - b.k)
            .map(({ x }) => x);
        const first = allocate(input);
        expect(allocate(structuredClone(input))).toEqual(first);
        expect(allocate({ ...input, proposals: shuffle(input.proposals), overrides: shuffle(input.overrides ?? []) })).toEqual(first);
      }),
    );
  });
});

describe("the override form", () => {
  const errorsOf = (raw: unknown) => {
    const r = OverrideSchema.safeParse(raw);
    return r.success ? {} : toFieldErrors(r.error.issues);
  };

  it("needs a written reason of at least 5 characters, and the amount for an exact amount", () => {
    expect(errorsOf({ proposalId: "p1", kind: "fund", reason: "" })).toEqual({ reason: ["allocation.override.reasonRequired"] });
    expect(errorsOf({ proposalId: "p1", kind: "amount", reason: "按核定金额资助" })).toEqual({ amountFen: ["allocation.override.amountRequired"] });
    expect(errorsOf({ proposalId: "p1", kind: "amount", amountFen: "abc", reason: "按核定金额资助" })).toEqual({ amountFen: [expect.stringMatching(/^money\./)] });
    expect(errorsOf({ proposalId: "p1", kind: "skip", reason: "按核定金额资助" })).toEqual({ kind: ["allocation.override.kindRequired"] });
  });

  it("keeps the amount as typed (so the same schema checks it again) and reads it as fen", () => {
    const v = OverrideSchema.parse({ proposalId: "p1", kind: "amount", amountFen: "8,000.50", reason: "按核定金额资助" });
    expect(OverrideSchema.parse(v)).toEqual(v);
    expect(fenOf(v.amountFen)).toBe(800_050);
    expect(fenOf(undefined)).toBeNull();
  });

  it("stops an amount at the largest award a round may set (¥1,000,000), far inside the 32-bit column", () => {
    expect(errorsOf({ proposalId: "p1", kind: "amount", amountFen: "1,000,000", reason: "按核定金额资助" })).toEqual({});
    expect(errorsOf({ proposalId: "p1", kind: "amount", amountFen: "1,000,000.01", reason: "按核定金额资助" })).toEqual({ amountFen: ["money.tooLarge"] });
    expect(errorsOf({ proposalId: "p1", kind: "amount", amountFen: "30,000,000", reason: "按核定金额资助" })).toEqual({ amountFen: ["money.tooLarge"] });
  });
});
