import { describe, expect, it } from "vitest";
import { DEFAULT_ELIGIBILITY } from "./eligibility";
import { draftProgress, submissionProblems, unmetRules, type Draft, type RoundRules, type RulesContext } from "./proposals";

/** The rules the progress bar and submission share (`unmetRules`, `draftProgress`). */

const round: RoundRules = {
  code: "JN7",
  phase: "PROPOSALS",
  areaPath: "/pinghu/danghu/",
  minAwardFen: 500_000,
  maxAwardFen: 1_500_000,
  labourCapPercent: 30,
  budgetCaps: [],
  maxProposalsPerOrg: 1,
  categories: [{ key: "PUBLIC_SERVICE" }],
  proposalsDeadline: new Date("2027-01-31T16:00:00Z"),
  implementationStartsAt: new Date("2027-03-31T16:00:00Z"),
  implementationEndsAt: new Date("2027-12-30T16:00:00Z"),
};

const ctx: RulesContext = {
  now: new Date("2027-01-10T02:00:00Z"),
  activeCount: 0,
  community: { path: "/pinghu/danghu/songfeng/", level: "COMMUNITY" },
  publishedNeedIds: ["need-1"],
};

const complete: Draft = {
  title: "银龄助餐",
  summary: "为独居老人提供午餐配送",
  communityId: "c1",
  category: "PUBLIC_SERVICE",
  needIds: ["need-1"],
  beneficiaryGroups: ["ELDERLY"],
  beneficiaryCount: 60,
  activityPlan: "每周三次配送",
  coFundingFen: 0,
  milestones: [{ title: "启动", dueOn: "2027-04-15", deliverable: "志愿者名单" }],
  budgetLines: [
    { category: "MATERIALS", item: "餐盒", quantity: 1000, unitPriceFen: 700 },
    { category: "LABOUR", item: "厨师补贴", quantity: 10, unitPriceFen: 30_000 },
  ],
  team: [{ name: "王芳", role: "负责人", experience: "" }],
};

/** Every field filled, but ¥4,800 where the round asks ¥5,000 to ¥15,000. */
const tooSmall: Draft = { ...complete, budgetLines: [{ category: "MATERIALS", item: "餐盒", quantity: 480, unitPriceFen: 1_000 }] };

describe("unmetRules", () => {
  it("is empty for a draft the round accepts", () => {
    expect(unmetRules(complete, round, ctx)).toEqual([]);
  });

  it("names the budget range when every field is filled but the total is below the minimum", () => {
    expect(unmetRules(tooSmall, round, ctx)).toEqual([
      { field: "budgetLines", key: "proposal.problem.totalRange", params: { total: "¥4,800.00", min: "¥5,000.00", max: "¥15,000.00" } },
    ]);
  });

  it("names caps, the labour cap and a milestone outside the period", () => {
    const d: Draft = {
      ...complete,
      milestones: [{ title: "启动", dueOn: "2026-12-01", deliverable: "名单" }],
      budgetLines: [
        { category: "LABOUR", item: "补贴", quantity: 1, unitPriceFen: 400_000 },
        { category: "PUBLICITY", item: "海报", quantity: 1, unitPriceFen: 300_000 },
        { category: "MATERIALS", item: "餐盒", quantity: 1, unitPriceFen: 300_000 },
      ],
    };
    const keys = unmetRules(d, { ...round, budgetCaps: [{ category: "PUBLICITY", maxFen: 200_000 }] }, ctx).map((p) => `${p.field}:${p.key}`);
    expect(keys).toEqual([
      "milestones[0].dueOn:proposal.problem.dueOutside",
      "budgetLines:proposal.problem.labourCap",
      "budgetLines:proposal.problem.budgetCapAmount",
    ]);
  });

  it("puts the organization's eligibility first, for the whole form", () => {
    const eligibility = {
      rules: { ...DEFAULT_ELIGIBILITY, kinds: ["SOCIAL_ORGANIZATION" as const], maxOpenProjects: 1 },
      standing: { kind: "RESIDENT_TEAM", areaPath: "/pinghu/danghu/songfeng/", openProjects: 1, troubledProjects: [] },
    };
    const problems = unmetRules(tooSmall, round, { ...ctx, eligibility });
    expect(problems.map((p) => `${p.field}:${p.key}`)).toEqual([":eligibility.kind", ":eligibility.openProjects", "budgetLines:proposal.problem.totalRange"]);
    expect(problems[0]!.params).toMatchObject({ kindZh: "居民团队", allowedZh: "社会组织" });
  });

  it("without eligibility rules is exactly what submission checks", () => {
    const empty: Draft = { ...complete, title: "", budgetLines: [], team: [] };
    expect(unmetRules(empty, round, ctx)).toEqual(submissionProblems(empty, round, ctx));
  });

  it("counts the organization's limit of active proposals", () => {
    expect(unmetRules(complete, round, { ...ctx, activeCount: 1 }).map((p) => p.key)).toEqual(["proposal.problem.tooManyActive"]);
  });
});

describe("draftProgress", () => {
  it("is not ready when every field is filled but a rule of the round is broken", () => {
    const p = draftProgress(tooSmall, unmetRules(tooSmall, round, ctx));
    expect(p).toMatchObject({ done: 12, total: 12, missing: [], ready: false });
    expect(p.unmet.map((u) => u.key)).toEqual(["proposal.problem.totalRange"]);
  });

  it("is ready only when nothing is missing and every rule is met", () => {
    expect(draftProgress(complete, unmetRules(complete, round, ctx))).toEqual({ done: 12, total: 12, missing: [], unmet: [], ready: true });
  });

  it("does not list a missing field twice: as missing, not as a broken rule", () => {
    const d: Draft = { ...complete, summary: "" };
    const p = draftProgress(d, unmetRules(d, round, ctx));
    expect(p.missing.map((m) => m.key)).toEqual(["proposal.missing.summary"]);
    expect(p.unmet).toEqual([]);
    expect(p.ready).toBe(false);
  });
});
