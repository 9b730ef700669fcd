import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ATTENDANCE_WEIGHT_MAX,
  canSetAttendanceWeight,
  canSetWeights,
  combine,
  componentsOf,
  DEFAULT_WEIGHTS,
  parseAttendanceWeight,
  parseWeights,
  previousQuarter,
  quarterOf,
  quarterRange,
  rankOrganizations,
  scoredComponents,
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
  milestonesOverdue: 0,
  projectsSilent: 0,
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

  it("shares ranks on ties but flags exactly three, the last of the total order", () => {
    const rows = rankOrganizations([uniform("a", 90), uniform("b", 70), uniform("c", 70), uniform("d", 70), uniform("e", 50)]);
    expect(rows.map((r) => [r.organizationId, r.rank, r.flagged])).toEqual([
      ["a", 1, false],
      ["b", 2, false],
      ["c", 2, true],
      ["d", 2, true],
      ["e", 5, true],
    ]);
    expect(rankOrganizations(["a", "b", "c", "d", "e"].map((id) => uniform(id, 80))).some((r) => r.flagged)).toBe(false);
  });

  it("breaks ties at the bottom: more overdue milestones lower, then more measures scored as missing, then the name in pinyin order", () => {
    // four tied at 40 below a leader; in pinyin order: 丙 bing, 丁 ding, 甲 jia, 乙 yi
    const tied = (id: string, name: string, over: Partial<OrgQuarterFacts> = {}) => ({ ...uniform(id, 40), name, ...over });
    const rows = rankOrganizations([uniform("top", 90), tied("j", "甲"), tied("y", "乙"), tied("b", "丙"), tied("d", "丁")]);
    // equal on everything else: pinyin order, the later names at the bottom
    expect(rows.map((r) => r.name)).toEqual(["org top", "丙", "丁", "甲", "乙"]);
    expect(rows.filter((r) => r.flagged).map((r) => r.name)).toEqual(["丁", "甲", "乙"]);
    expect(rows.slice(1).every((r) => r.rank === 2)).toBe(true);

    // 丙 has an overdue milestone (of an earlier quarter; its components are all present): it goes below the others
    const overdue = rankOrganizations([uniform("top", 90), tied("j", "甲"), tied("y", "乙"), tied("b", "丙", { milestonesOverdue: 2 }), tied("d", "丁")]);
    expect(overdue.filter((r) => r.flagged).map((r) => r.name)).toEqual(["甲", "乙", "丙"]);

    // equal overdue counts: the one with more measures scored as missing is lower
    const a = facts("m1", { name: "甲", milestonesOverdue: 1, milestonesDue: 1, evaluations: 1, evaluationTotal: 0 }); // compliance, satisfaction missing
    const b = facts("m2", { name: "乙", milestonesOverdue: 1, milestonesDue: 1, callsReached: 1 }); // compliance missing; evaluation left out
    const c = facts("m3", { name: "丙", milestonesOverdue: 1, milestonesDue: 1, expenseFen: 10, callsReached: 1 }); // nothing missing
    const byMissing = rankOrganizations([uniform("top", 90), uniform("mid", 80), c, b, a]);
    expect(byMissing.slice(2).map((r) => [r.name, r.combined, r.missing.length])).toEqual([
      ["丙", 0, 0],
      ["乙", 0, 1],
      ["甲", 0, 2],
    ]);
    expect(byMissing.filter((r) => r.flagged).map((r) => r.name)).toEqual(["丙", "乙", "甲"]);
  });

  it("never flags an organization with the top score, even in the bottom three", () => {
    const rows = rankOrganizations([uniform("a", 90), uniform("b", 90), uniform("c", 90), uniform("d", 50)]);
    expect(rows.filter((r) => r.flagged).map((r) => r.organizationId)).toEqual(["d"]);
  });
});

describe("silence is not rewarded", () => {
  it("an organization that did not report has its reported measures without data scored as worst, and is ranked", () => {
    // an overdue milestone of an earlier quarter, nothing this quarter
    const silent = facts("s", { milestonesOverdue: 1 });
    expect(scoredComponents(silent)).toEqual({ components: { timeliness: 0, compliance: 0, satisfaction: 0, evaluation: null }, missing: ["timeliness", "compliance", "satisfaction"] });
    const [row] = rankOrganizations([silent]);
    expect(row).toMatchObject({ combined: 0, rank: 1, missing: ["timeliness", "compliance", "satisfaction"], overdueMilestones: 1, unranked: null });
  });

  it("a project with no report for 30 days counts as not reporting; measures with data keep their value", () => {
    const f = facts("q", { projectsSilent: 1, expenseFen: 100, compliantFen: 100, evaluations: 1, evaluationTotal: 90 });
    expect(scoredComponents(f)).toEqual({ components: { timeliness: 0, compliance: 100, satisfaction: 0, evaluation: 90 }, missing: ["timeliness", "satisfaction"] });
    expect(rankOrganizations([f])[0]!.combined).toBe(48); // (0 + 3000 + 0 + 1800) / 100
  });

  it("no call-back data because nothing was reported: satisfaction scored worst", () => {
    // the milestone due this quarter was not reported (timeliness 0 from data); no beneficiaries, no calls
    const f = facts("c", { milestonesDue: 1, milestonesOverdue: 1 });
    expect(scoredComponents(f).missing).toEqual(["compliance", "satisfaction"]);
  });

  it("an organization from which nothing was due yet is not ranked, with that reason", () => {
    const fresh = facts("new"); // a project that started this week: nothing due, nothing overdue, not silent
    const rows = rankOrganizations([uniform("a", 90), fresh]);
    expect(rows[1]).toMatchObject({ organizationId: "new", combined: null, rank: null, flagged: false, missing: [], unranked: "nothing-due" });
    expect(scoredComponents(fresh).missing).toEqual([]);
  });

  it("without silence, missing components are left out and re-weighted as before", () => {
    const f = facts("r", { milestonesDue: 2, milestonesOnTime: 2 });
    expect(rankOrganizations([f])[0]).toMatchObject({ combined: 100, missing: [] });
  });

  it("the silent organizations go to the bottom and are flagged instead of escaping as 'no data'", () => {
    const rows = rankOrganizations([uniform("a", 90), uniform("b", 80), uniform("c", 70), uniform("d", 60), facts("x", { milestonesOverdue: 1 }), facts("y", { projectsSilent: 1 })]);
    expect(rows.map((r) => [r.organizationId, r.flagged])).toEqual([
      ["a", false],
      ["b", false],
      ["c", false],
      ["d", true],
      ["y", true],
      ["x", true],
    ]);
  });

  it("an organization whose measures with data all weigh 0 is not ranked, with that reason", () => {
    const rows = rankOrganizations([facts("w", { evaluations: 1, evaluationTotal: 80 })], { timeliness: 40, compliance: 30, satisfaction: 30, evaluation: 0 });
    expect(rows[0]).toMatchObject({ combined: null, unranked: "zero-weight" });
  });
});

describe("rankOrganizations, weights", () => {
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

describe("training attendance in the ranking", () => {
  const field = () => [
    uniform("a", 90),
    { ...uniform("b", 80), trainingsSignedUp: 2, trainingsAttended: 2 },
    { ...uniform("c", 70), trainingsSignedUp: 4, trainingsAttended: 0 },
    uniform("d", 60),
    { ...uniform("e", 85), trainingsSignedUp: 1, trainingsAttended: 1 },
  ];

  it("weight 0 (the default) leaves the ranking exactly as without attendance", () => {
    const withoutAttendance = field().map(({ trainingsSignedUp: _s, trainingsAttended: _a, ...f }) => f);
    expect(rankOrganizations(field(), DEFAULT_WEIGHTS, { attendanceWeight: 0 })).toEqual(rankOrganizations(withoutAttendance, DEFAULT_WEIGHTS));
    expect(rankOrganizations(field(), DEFAULT_WEIGHTS)).toEqual(rankOrganizations(withoutAttendance, DEFAULT_WEIGHTS));
  });

  it("a positive weight counts the share of trainings attended of those signed up for", () => {
    const rows = rankOrganizations(field(), DEFAULT_WEIGHTS, { attendanceWeight: 100 });
    // b: (80·100 + 100·100) / 200 = 90; a has no attendance data and keeps 90; c: (70·100 + 0) / 200 = 35
    expect(rows.find((r) => r.organizationId === "b")).toMatchObject({ attendance: 100, combined: 90 });
    expect(rows.find((r) => r.organizationId === "a")).toMatchObject({ attendance: null, combined: 90 });
    expect(rows.find((r) => r.organizationId === "c")).toMatchObject({ attendance: 0, combined: 35 });
    expect(rows.map((r) => r.organizationId)).toEqual(["e", "a", "b", "d", "c"]);
  });
});

describe("training attendance weight", () => {
  it("is a whole percentage from 0 to 100", () => {
    expect(ATTENDANCE_WEIGHT_MAX).toBe(100);
    expect(parseAttendanceWeight("0")).toEqual({ ok: true, weight: 0 });
    expect(parseAttendanceWeight(" 25 ")).toEqual({ ok: true, weight: 25 });
    expect(parseAttendanceWeight("100")).toEqual({ ok: true, weight: 100 });
    expect(parseAttendanceWeight("101")).toEqual({ ok: false, problem: "attendanceWeight.range" });
    expect(parseAttendanceWeight("-1")).toEqual({ ok: false, problem: "attendanceWeight.range" });
    expect(parseAttendanceWeight("2.5")).toEqual({ ok: false, problem: "attendanceWeight.integer" });
    expect(parseAttendanceWeight("")).toEqual({ ok: false, problem: "attendanceWeight.integer" });
    expect(parseAttendanceWeight("abc")).toEqual({ ok: false, problem: "attendanceWeight.integer" });
  });

  it("is set by officials of the area or above (and administrators), not by officials of another area", () => {
    const official = (areaPath: string, areaLevel = "SUBDISTRICT") => ({ grants: [{ role: "OFFICIAL" as const, areaPath, areaLevel }] });
    expect(canSetAttendanceWeight(official("/p/d/"), { path: "/p/d/s/" })).toBe(true);
    expect(canSetAttendanceWeight(official("/p/d/s/", "COMMUNITY"), { path: "/p/d/s/" })).toBe(true);
    expect(canSetAttendanceWeight(official("/p/x/"), { path: "/p/d/" })).toBe(false);
    expect(canSetAttendanceWeight(official("/p/d/s/", "COMMUNITY"), { path: "/p/d/" })).toBe(false);
    expect(canSetAttendanceWeight({ grants: [{ role: "ADMIN" as const, areaPath: "/", areaLevel: "CITY" }] }, { path: "/p/d/" })).toBe(true);
  });
});
