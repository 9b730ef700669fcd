import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ProposalEditIntents,
  BUDGET_CATEGORY_KEYS,
  completeness,
  DraftSchema,
  fieldInForm,
  labourWithinCap,
  budgetCapBreaches,
  budgetCapsOf,
  normalizeDraft,
  problemsAsFieldErrors,
  proposalTotals,
  referenceNumber,
  shanghaiDay,
  snapshotOf,
  submissionProblems,
  type Draft,
  type RoundRules,
  type SubmissionContext,
} from "./proposals";
import { splitMessage } from "./messages";

const round: RoundRules = {
  code: "JN7",
  phase: "PROPOSALS",
  areaPath: "/pinghu/danghu/",
  minAwardFen: 500_000,
  maxAwardFen: 1_500_000,
  labourCapPercent: 30,
  budgetCaps: [],
  maxProposalsPerOrg: 1,
  categories: [{ key: "PUBLIC_SERVICE" }, { key: "CULTURE_SPORTS" }],
  proposalsDeadline: new Date("2027-01-31T16:00:00Z"),
  implementationStartsAt: new Date("2027-03-31T16:00:00Z"), // 2027-04-01 China time
  implementationEndsAt: new Date("2027-12-30T16:00:00Z"), // 2027-12-31
};

const ctx: SubmissionContext = {
  now: new Date("2027-01-10T02:00:00Z"),
  activeCount: 0,
  community: { path: "/pinghu/danghu/songfeng/", level: "COMMUNITY" },
  publishedNeedIds: ["need-1", "need-2"],
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
  coFundingFen: 100_000,
  milestones: [{ title: "启动", dueOn: "2027-04-15", deliverable: "志愿者名单" }],
  budgetLines: [
    { category: "MATERIALS", item: "餐盒", quantity: 1000, unitPriceFen: 700 },
    { category: "LABOUR", item: "厨师补贴", quantity: 10, unitPriceFen: 30_000 },
  ],
  team: [{ name: "王芳", role: "负责人", experience: "" }],
};

const keysOf = (d: Draft, c: Partial<SubmissionContext> = {}, r: Partial<RoundRules> = {}) =>
  submissionProblems(d, { ...round, ...r }, { ...ctx, ...c }).map((p) => `${p.field}:${p.key}`);

describe("the draft form", () => {
  it("accepts an empty draft", () => {
    const r = DraftSchema.safeParse({});
    expect(r.success).toBe(true);
  });

  it("reads typed money and refuses malformed amounts, numbers and dates by field", () => {
    const r = DraftSchema.safeParse({
      coFunding: "¥12,000.50",
      budgetLines: [
        { item: "a", quantity: "3", unitPrice: "１２，０００" },
        { item: "b", quantity: "2.5", unitPrice: "12000.505" },
        { item: "c", quantity: "-1", unitPrice: "-5" },
      ],
      milestones: [{ title: "x", dueOn: "2027-02-30" }],
    });
    expect(r.success).toBe(false);
    const issues = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(issues).toEqual({
      "budgetLines.1.quantity": "proposal.error.integer",
      "budgetLines.1.unitPrice": "money.decimals",
      "budgetLines.2.quantity": "proposal.error.negative",
      "budgetLines.2.unitPrice": "money.negative",
      "milestones.0.dueOn": "proposal.error.date",
    });
    const ok = DraftSchema.parse({ coFunding: "¥12,000.50", budgetLines: [{ item: "a", quantity: "3", unitPrice: "１２，０００" }] });
    expect(ok.coFunding).toBe(1_200_050);
    expect(ok.budgetLines![0]).toMatchObject({ quantity: 3, unitPrice: 1_200_000 });
  });

  it("refuses an absurd line total", () => {
    const r = DraftSchema.safeParse({ budgetLines: [{ item: "a", quantity: "100000", unitPrice: "1000000" }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toContainEqual(["budgetLines.0.unitPrice", "proposal.error.lineTooLarge"]);
  });

  it("drops blank rows and maps stored rows back to the form rows they came from", () => {
    const input = DraftSchema.parse({
      budgetLines: [{ category: "OTHER" }, { category: "VENUE", item: "场地", quantity: "1" }, { category: "OTHER" }, { item: "海报", unitPrice: "5" }],
      milestones: [{}, { title: "m" }],
      team: [{ name: "甲" }],
    });
    const { draft, sources } = normalizeDraft(input);
    expect(draft.budgetLines).toEqual([
      { category: "VENUE", item: "场地", quantity: 1, unitPriceFen: 0 },
      { category: "OTHER", item: "海报", quantity: 0, unitPriceFen: 500 },
    ]);
    expect(sources).toEqual({ milestones: [1], budgetLines: [1, 3], team: [0] });
    expect(fieldInForm("budgetLines[1].unitPrice", sources)).toBe("budgetLines[3].unitPrice");
    expect(fieldInForm("milestones[0].dueOn", sources)).toBe("milestones[1].dueOn");
    expect(fieldInForm("title", sources)).toBe("title");
  });
});

describe("totals", () => {
  it("are exact integer sums by category with the labour share", () => {
    expect(proposalTotals(complete.budgetLines)).toEqual({
      totalFen: 1_000_000,
      byCategory: { MATERIALS: 700_000, LABOUR: 300_000 },
      labourFen: 300_000,
      labourPercent: 30,
    });
    expect(proposalTotals([])).toEqual({ totalFen: 0, byCategory: {}, labourFen: 0, labourPercent: 0 });
  });

  const line = fc.record({
    category: fc.constantFrom(...BUDGET_CATEGORY_KEYS),
    item: fc.constant("x"),
    quantity: fc.integer({ min: 0, max: 1000 }),
    unitPriceFen: fc.integer({ min: 0, max: 1_000_000 }),
  });

  it("property: the total is the exact sum of quantity × unit price and of the categories", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const t = proposalTotals(lines);
        let expected = 0n;
        for (const l of lines) expected += BigInt(l.quantity) * BigInt(l.unitPriceFen);
        expect(BigInt(t.totalFen)).toBe(expected);
        expect(Number.isInteger(t.totalFen)).toBe(true);
        expect(Object.values(t.byCategory).reduce((a, b) => a + b, 0)).toBe(t.totalFen);
      }),
    );
  });

  it("property: a submission never passes with a total over the maximum or labour over the cap", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 100 }), (lines, cap) => {
        const draft = { ...complete, budgetLines: lines };
        const problems = submissionProblems(draft, { ...round, labourCapPercent: cap }, ctx);
        const t = proposalTotals(lines);
        if (problems.length === 0) {
          expect(t.totalFen).toBeLessThanOrEqual(round.maxAwardFen);
          expect(t.totalFen).toBeGreaterThanOrEqual(round.minAwardFen);
          expect(t.labourFen * 100).toBeLessThanOrEqual(cap * t.totalFen);
          expect(lines.every((l) => l.quantity >= 1 && l.unitPriceFen > 0)).toBe(true);
        }
      }),
    );
  });

  it("labour at exactly the cap passes; one fen more does not", () => {
    expect(labourWithinCap(300_000, 1_000_000, 30)).toBe(true);
    expect(labourWithinCap(300_001, 1_000_001, 30)).toBe(false);
  });
});

describe("submission rules", () => {
  it("a complete proposal has no problems", () => {
    expect(keysOf(complete)).toEqual([]);
  });

  it("reports every problem at once, by field", () => {
    const draft: Draft = {
      ...complete,
      title: " ",
      summary: "",
      communityId: null,
      category: "UNKNOWN",
      needIds: ["not-a-topic"],
      beneficiaryGroups: [],
      beneficiaryCount: 0,
      activityPlan: "",
      milestones: [
        { title: "ok", dueOn: "2027-04-01", deliverable: "d" },
        { title: "late", dueOn: "2028-01-01", deliverable: "d" },
        { title: "", dueOn: null, deliverable: "" },
      ],
      budgetLines: [
        { category: "LABOUR", item: "补贴", quantity: 10, unitPriceFen: 20_000 },
        { category: "MATERIALS", item: "", quantity: 0, unitPriceFen: 10_000 },
        { category: "MATERIALS", item: "纸", quantity: 1, unitPriceFen: 0 },
      ],
      team: [{ name: "", role: "x", experience: "" }],
    };
    expect(keysOf(draft, { activeCount: 1 })).toEqual([
      ":proposal.problem.tooManyActive",
      "title:proposal.problem.required",
      "summary:proposal.problem.required",
      "communityId:proposal.problem.required",
      "category:proposal.problem.categoryUnknown",
      "needIds:proposal.problem.needNotTopic",
      "beneficiaryGroups:proposal.problem.required",
      "beneficiaryCount:proposal.problem.beneficiaryCount",
      "activityPlan:proposal.problem.required",
      "milestones[1].dueOn:proposal.problem.dueOutside",
      "milestones[2].title:proposal.problem.required",
      "milestones[2].dueOn:proposal.problem.required",
      "milestones[2].deliverable:proposal.problem.required",
      "budgetLines[1].item:proposal.problem.required",
      "budgetLines[1].quantity:proposal.problem.quantity",
      "budgetLines[2].unitPrice:proposal.problem.unitPrice",
      "budgetLines:proposal.problem.totalRange",
      "budgetLines:proposal.problem.labourCap",
      "team[0].name:proposal.problem.required",
    ]);
  });

  it("names both bounds and the period in the messages", () => {
    const low = submissionProblems({ ...complete, budgetLines: [{ category: "MATERIALS", item: "x", quantity: 1, unitPriceFen: 100 }] }, round, ctx);
    expect(low).toContainEqual({ field: "budgetLines", key: "proposal.problem.totalRange", params: { total: "¥1.00", min: "¥5,000.00", max: "¥15,000.00" } });
    const early = submissionProblems({ ...complete, milestones: [{ title: "t", dueOn: "2027-03-31", deliverable: "d" }] }, round, ctx);
    expect(early).toEqual([{ field: "milestones[0].dueOn", key: "proposal.problem.dueOutside", params: { from: "2027-04-01", to: "2027-12-31" } }]);
  });

  it("refuses empty lists, a community outside the round, a closed round and a passed deadline", () => {
    expect(keysOf({ ...complete, milestones: [], budgetLines: [], team: [] })).toEqual([
      "milestones:proposal.problem.noMilestones",
      "budgetLines:proposal.problem.noBudgetLines",
      "team:proposal.problem.noTeam",
    ]);
    expect(keysOf(complete, { community: { path: "/pinghu/zhapu/x/", level: "COMMUNITY" } })).toEqual(["communityId:proposal.problem.communityOutside"]);
    expect(keysOf(complete, { community: { path: "/pinghu/danghu/", level: "SUBDISTRICT" } })).toEqual(["communityId:proposal.problem.communityOutside"]);
    expect(keysOf(complete, {}, { phase: "SCREENING" })).toEqual([":proposal.problem.roundClosed"]);
    expect(keysOf(complete, { now: round.proposalsDeadline })).toEqual([":proposal.problem.deadlinePassed"]);
    expect(keysOf(complete, { activeCount: 1 }, { maxProposalsPerOrg: 2 })).toEqual([]);
  });

  it("encodes problems as field errors with their values, mapped to the form rows", () => {
    const errors = problemsAsFieldErrors(
      [
        { field: "budgetLines[0].unitPrice", key: "proposal.problem.unitPrice" },
        { field: "budgetLines", key: "proposal.problem.totalRange", params: { total: "¥1.00", min: "¥5,000.00", max: "¥15,000.00" } },
      ],
      { milestones: [], budgetLines: [2], team: [] },
    );
    expect(Object.keys(errors)).toEqual(["budgetLines[2].unitPrice", "budgetLines"]);
    expect(splitMessage(errors.budgetLines![0]!)).toEqual({ key: "proposal.problem.totalRange", params: { total: "¥1.00", min: "¥5,000.00", max: "¥15,000.00" } });
    expect(splitMessage("money.decimals")).toEqual({ key: "money.decimals" });
  });
});

describe("progress, reference numbers and snapshots", () => {
  it("counts what is done and lists what is missing", () => {
    const empty = normalizeDraft(DraftSchema.parse({})).draft;
    const c = completeness(empty);
    expect(c.done).toBe(0);
    expect(c.total).toBe(12);
    expect(c.missing[0]).toEqual({ field: "title", key: "proposal.missing.title" });
    expect(completeness(complete)).toEqual({ done: 12, total: 12, missing: [] });
    const partial = completeness({ ...complete, summary: "", budgetLines: [{ category: "OTHER", item: "x", quantity: 0, unitPriceFen: 5 }] });
    expect(partial.done).toBe(10);
    expect(partial.missing.map((m) => m.key)).toEqual(["proposal.missing.summary", "proposal.missing.budgetDetails"]);
  });

  it("formats reference numbers", () => {
    expect(referenceNumber("JN7", 42)).toBe("JN7-0042");
    expect(referenceNumber("JN7", 12345)).toBe("JN7-12345");
    expect(() => referenceNumber("JN7", 0)).toThrow();
  });

  it("China-time days of instants", () => {
    expect(shanghaiDay(new Date("2027-03-31T16:00:00Z"))).toBe("2027-04-01");
    expect(shanghaiDay(new Date("2027-03-31T15:59:59Z"))).toBe("2027-03-31");
  });

  it("a snapshot holds everything with line and grand totals", () => {
    const s = snapshotOf({
      referenceNo: "JN7-0001",
      submittedAt: new Date("2027-01-10T02:00:00Z"),
      submittedBy: { id: "u", name: "王芳" },
      round: { id: "r", code: "JN7", title: "第七届" },
      organization: { id: "o", name: "邻里队", kind: "RESIDENT_TEAM" },
      community: { id: "c1", code: "songfeng", nameZh: "松枫社区", nameEn: "Songfeng" },
      needs: [{ id: "need-1", number: 3, title: "助餐" }],
      attachments: [],
      draft: complete,
    });
    expect(s.totals.totalFen).toBe(1_000_000);
    expect(s.budgetLines.map((l) => l.totalFen)).toEqual([700_000, 300_000]);
    expect(s).toMatchObject({ referenceNo: "JN7-0001", title: "银龄助餐", submittedAt: "2027-01-10T02:00:00.000Z", coFundingFen: 100_000 });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe("the draft page's forms", () => {
  it("save and submit carry the draft, its version and an optional attachment; removing one needs its id", () => {
    const file = new File(["%PDF-1.4"], "plan.pdf", { type: "application/pdf" });
    const saved = ProposalEditIntents.safeParse({ intent: "save", version: "4", title: "助餐", attachment: file, attachmentLabel: "计划书" });
    expect(saved).toMatchObject({ success: true, data: { intent: "save", version: 4, title: "助餐", attachmentLabel: "计划书" } });
    expect(saved.success && saved.data.intent === "save" && saved.data.attachment).toBe(file);
    expect(ProposalEditIntents.safeParse({ intent: "submit", version: "4" }).success).toBe(true);
    expect(ProposalEditIntents.safeParse({ intent: "removeAttachment", attachmentId: "a1" }).success).toBe(true);
    expect(ProposalEditIntents.safeParse({ intent: "removeAttachment" }).success).toBe(false);
  });

  it("refuses a budget too large to store, as the draft schema does", () => {
    const huge = { intent: "save", version: "1", budgetLines: [{ item: "a", quantity: "100000", unitPrice: "1000000" }] };
    const r = ProposalEditIntents.safeParse(huge);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toContain("proposal.error.lineTooLarge");
  });
});

describe("caps per budget category", () => {
  // complete: MATERIALS ¥7,000.00 + LABOUR ¥3,000.00 = ¥10,000.00
  const problemsWith = (budgetCaps: RoundRules["budgetCaps"]) => submissionProblems(complete, { ...round, budgetCaps }, ctx).filter((p) => p.key.startsWith("proposal.problem.budgetCap"));

  it("a percent cap refuses a category above its share, naming the category in both languages", () => {
    const [p, ...rest] = problemsWith([{ category: "MATERIALS", percent: 60 }]);
    expect(rest).toEqual([]);
    expect(p).toEqual({
      field: "budgetLines",
      key: "proposal.problem.budgetCapPercent",
      params: { categoryZh: "物资材料费", categoryEn: "Materials and supplies", amount: "¥7,000.00", share: 70, cap: 60 },
    });
  });

  it("an amount cap refuses a category above it; exactly at the cap passes", () => {
    expect(problemsWith([{ category: "MATERIALS", maxFen: 700_000 }])).toEqual([]);
    expect(problemsWith([{ category: "MATERIALS", maxFen: 699_999 }])).toEqual([
      {
        field: "budgetLines",
        key: "proposal.problem.budgetCapAmount",
        params: { categoryZh: "物资材料费", categoryEn: "Materials and supplies", amount: "¥7,000.00", max: "¥6,999.99" },
      },
    ]);
  });

  it("a category at exactly its percent passes; a category with no lines passes any cap", () => {
    expect(problemsWith([{ category: "MATERIALS", percent: 70 }, { category: "VENUE", percent: 1, maxFen: 1 }])).toEqual([]);
  });

  it("both caps of one category are checked, and several categories at once", () => {
    const keys = problemsWith([
      { category: "MATERIALS", percent: 50, maxFen: 100 },
      { category: "LABOUR", maxFen: 1 },
    ]).map((p) => `${p.key}:${p.params?.categoryEn}`);
    expect(keys).toEqual([
      "proposal.problem.budgetCapPercent:Materials and supplies",
      "proposal.problem.budgetCapAmount:Materials and supplies",
      "proposal.problem.budgetCapAmount:Labour",
    ]);
  });

  it("property: a budget with no breach keeps every capped category within its caps", () => {
    const cap = fc.record({ category: fc.constantFrom(...BUDGET_CATEGORY_KEYS), percent: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }), maxFen: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...BUDGET_CATEGORY_KEYS), fc.integer({ min: 0, max: 2_000_000 })), fc.array(cap, { maxLength: 6 }), (byCategory, rawCaps) => {
        const caps = rawCaps.map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as unknown as RoundRules["budgetCaps"][number]);
        const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
        if (budgetCapBreaches(byCategory, total, caps).length) return;
        for (const c of caps) {
          const amount = byCategory[c.category] ?? 0;
          if (c.percent !== undefined) expect(amount * 100).toBeLessThanOrEqual(c.percent * total);
          if (c.maxFen !== undefined) expect(amount).toBeLessThanOrEqual(c.maxFen);
        }
      }),
    );
  });

  it("stored caps are read back, rows naming no known category or no cap dropped", () => {
    expect(budgetCapsOf([{ category: "VENUE", percent: 20 }, { category: "NOPE", percent: 5 }, { category: "OTHER" }, { category: "PUBLICITY", maxFen: 50_000 }, null])).toEqual([
      { category: "VENUE", percent: 20 },
      { category: "PUBLICITY", maxFen: 50_000 },
    ]);
    expect(budgetCapsOf("nonsense")).toEqual([]);
  });
});
