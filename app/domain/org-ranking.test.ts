import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canSetWeights,
  combine,
  componentsOf,
  DEFAULT_WEIGHTS,
  parseWeights,
  previousQuarter,
  quarterOf,
  quarterRange,
  rankOrganizations,
  weightsFor,
  type OrgQuarterFacts,
} from "./org-ranking";

const facts = (id: string, over: Partial<OrgQuarterFacts> = {}): OrgQuarterFacts => ({
  organizationId: id,
  name: `org ${id}`,
  milestonesDue: 0,
  milestonesOnTime: 0,
  expenseFen: 0,
  compliantFen: 0,
  callsReached: 0,
  callsSatisfied: 0,
  callsPartly: 0,
  evaluations: 0,
  evaluationTotal: 0,
  ...over,
});

/** An organization whose four components are all `score`. */
const uniform = (id: string, score: number) =>
  facts(id, { milestonesDue: 100, milestonesOnTime: score, expenseFen: 100, compliantFen: score, callsReached: 100, callsSatisfied: score, evaluations: 1, evaluationTotal: score });

describe("quarters", () => {
  it("are Asia/Shanghai quarters", () => {
    expect(quarterOf(new Date("2026-09-30T16:00:00Z"))).toBe("2026-Q4"); // 1 October 00:00 in Shanghai
    expect(quarterOf(new Date("2026-09-30T15:59:59Z"))).toBe("2026-Q3");
    expect(quarterRange("2026-Q4")).toEqual({ start: new Date("2026-10-01T00:00:00+08:00"), end: new Date("2027-01-01T00:00:00+08:00") });
    expect(previousQuarter("2027-Q1")).toBe("2026-Q4");
    expect(() => quarterRange("2026-Q5" as never)).toThrow(RangeError);
  });
});

describe("components", () => {
  it("are shares 0–100; satisfaction counts partly as half", () => {
    expect(componentsOf(facts("a", { milestonesDue: 4, milestonesOnTime: 3, expenseFen: 1000, compliantFen: 250, callsReached: 4, callsSatisfied: 2, callsPartly: 1, evaluations: 2, evaluationTotal: 171 }))).toEqual({
      timeliness: 75,
      compliance: 25,
      satisfaction: 62.5,
      evaluation: 85.5,
    });
    expect(componentsOf(facts("a"))).toEqual({ timeliness: null, compliance: null, satisfaction: null, evaluation: null });
  });
});

describe("weights", () => {
  it("validates integers 0–100 summing to 100", () => {
    expect(parseWeights({ timeliness: "40", compliance: 30, satisfaction: 20, evaluation: 10 })).toEqual({ ok: true, weights: { timeliness: 40, compliance: 30, satisfaction: 20, evaluation: 10 } });
    expect(parseWeights({ timeliness: 40, compliance: 30, satisfaction: 20, evaluation: 20 })).toEqual({ ok: false, problem: "weights.sum" });
    expect(parseWeights({ timeliness: 2.5, compliance: 30, satisfaction: 20, evaluation: 47.5 })).toEqual({ ok: false, problem: "weights.integer" });
    expect(parseWeights({ timeliness: 120, compliance: -20, satisfaction: 0, evaluation: 0 })).toMatchObject({ ok: false });
    expect(parseWeights(null)).toMatchObject({ ok: false });
  });

  it("takes the nearest valid weights up the area chain, else the defaults", () => {
    const custom = { timeliness: 25, compliance: 25, satisfaction: 25, evaluation: 25 };
    expect(weightsFor([null, custom])).toEqual({ weights: custom, custom: true });
    expect(weightsFor([{ broken: true }, null])).toEqual({ weights: DEFAULT_WEIGHTS, custom: false });
  });

  it("combines with the weights and re-weights over the present components", () => {
    const all = { timeliness: 100, compliance: 50, satisfaction: 0, evaluation: 100 };
    expect(combine(all, DEFAULT_WEIGHTS)).toBe(65); // (3000 + 1500 + 0 + 2000) / 100
    // satisfaction and evaluation missing: (30·100 + 30·50) / 60
    expect(combine({ ...all, satisfaction: null, evaluation: null }, DEFAULT_WEIGHTS)).toBe(75);
    expect(combine({ timeliness: null, compliance: null, satisfaction: null, evaluation: null }, DEFAULT_WEIGHTS)).toBeNull();
    // the only present component weighs 0: no score
    expect(combine({ timeliness: 80, compliance: null, satisfaction: null, evaluation: null }, { timeliness: 0, compliance: 50, satisfaction: 25, evaluation: 25 })).toBeNull();
  });

  it("a combined score stays within the range of its components (property)", () => {
    const comp = fc.option(fc.integer({ min: 0, max: 1000 }).map((n) => n / 10), { nil: null });
    const weights = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).filter(([a, b, c]) => a + b + c <= 100);
    fc.assert(
      fc.property(comp, comp, comp, comp, weights, (t, c, s, e, [a, b, d]) => {
        const w = { timeliness: a, compliance: b, satisfaction: d, evaluation: 100 - a - b - d };
        const v = combine({ timeliness: t, compliance: c, satisfaction: s, evaluation: e }, w);
        const present = [t, c, s, e].filter((x): x is number => x !== null);
        if (v !== null) {
          expect(v).toBeGreaterThanOrEqual(Math.min(...present) - 0.05);
          expect(v).toBeLessThanOrEqual(Math.max(...present) + 0.05);
        }
      }),
    );
  });

  it("only subdistrict-or-higher officials covering the area, or administrators, set them", () => {
    const sub = { path: "/d/s/", level: "SUBDISTRICT" };
    const subOfficial = { grants: [{ role: "OFFICIAL" as const, areaPath: "/d/s/", areaLevel: "SUBDISTRICT" }] };
    const communityOfficial = { grants: [{ role: "OFFICIAL" as const, areaPath: "/d/s/c/", areaLevel: "COMMUNITY" }] };
    expect(canSetWeights(subOfficial, sub)).toBe(true);
    expect(canSetWeights(communityOfficial, sub)).toBe(false);
    expect(canSetWeights(subOfficial, { path: "/d/s/c/", level: "COMMUNITY" })).toBe(false);
    expect(canSetWeights({ grants: [{ role: "OFFICIAL", areaPath: "/d/x/", areaLevel: "SUBDISTRICT" }] }, sub)).toBe(false);
    expect(canSetWeights({ grants: [{ role: "ADMIN", areaPath: "/", areaLevel: "CITY" }] }, sub)).toBe(true);
  });
});

describe("rankOrganizations", () => {
  it("sorts by combined score, flags the bottom three, lists organizations without data last", () => {
    const rows = rankOrganizations([uniform("a", 90), uniform("b", 40), facts("z"), uniform("c", 70), uniform("d", 60), uniform("e", 80)]);
    expect(rows.map((r) => [r.organizationId, r.rank, r.combined, r.flagged])).toEqual([
      ["a", 1, 90, false],
      ["e", 2, 80, false],
      ["c", 3, 70, true],
      ["d", 4, 60, true],
      ["b", 5, 40, true],
      ["z", null, null, false],
    ]);
  });

  it("flags nobody when fewer than 4 organizations are ranked", () => {
    expect(rankOrganizations([uniform("a", 90), uniform("b", 40), uniform("c", 10), facts("d")]).some((r) => r.flagged)).toBe(false);
  });

  it("shares ranks on ties and flags everyone tied at the boundary, never the top score", () => {
    const rows = rankOrganizations([uniform("a", 90), uniform("b", 70), uniform("c", 70), uniform("d", 70), uniform("e", 50)]);
    expect(rows.map((r) => [r.organizationId, r.rank, r.flagged])).toEqual([
      ["a", 1, false],
      ["b", 2, true],
      ["c", 2, true],
      ["d", 2, true],
      ["e", 5, true],
    ]);
    expect(rankOrganizations(["a", "b", "c", "d", "e"].map((id) => uniform(id, 80))).some((r) => r.flagged)).toBe(false);
  });

  it("weights change the order; missing components are re-weighted", () => {
    // a: punctual but poorly rated; b: late but well rated; c has only an evaluation
    const a = facts("a", { milestonesDue: 10, milestonesOnTime: 10, callsReached: 10, callsSatisfied: 2 });
    const b = facts("b", { milestonesDue: 10, milestonesOnTime: 2, callsReached: 10, callsSatisfied: 10 });
    const c = facts("c", { evaluations: 1, evaluationTotal: 21 });
    const timely = rankOrganizations([a, b, c], { timeliness: 70, compliance: 10, satisfaction: 10, evaluation: 10 });
    expect(timely.map((r) => r.organizationId)).toEqual(["a", "b", "c"]);
    expect(timely[0]!.combined).toBe(90); // (70·100 + 10·20) / 80
    const rated = rankOrganizations([a, b, c], { timeliness: 10, compliance: 10, satisfaction: 70, evaluation: 10 });
    expect(rated.map((r) => r.organizationId)).toEqual(["b", "a", "c"]);
    expect(rated[1]!.combined).toBe(30); // (10·100 + 70·20) / 80
    expect(rated.find((r) => r.organizationId === "c")!.combined).toBe(21);
  });
});
