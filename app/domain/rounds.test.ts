import { getZodConstraint } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import {
  CreateRoundFormSchema,
  CreateRoundSchema,
  DATE_FIELDS,
  DEFAULT_CATEGORIES,
  DEFAULT_RUBRIC,
  DEFAULT_TRANCHE_SCHEDULE,
  PHASES,
  budgetCapFormRows,
  RoundAdminIntents,
  RoundSettingsFormSchema,
  RoundSettingsSchema,
  categoriesOf,
  roundSettingsOf,
  changedSettings,
  defaultDates,
  editableIn,
  frozenChanges,
  isEditable,
  nextPhase,
  phaseAtLeast,
  phaseMoveProblem,
  rubricOf,
  rubricSum,
  shanghaiMidnight,
  toDateInput,
  trancheScheduleOf,
  trancheScheduleProblem,
  type Phase,
} from "./rounds";
import { splitMessage, withParams } from "./messages";
import { roundSettingsFields } from "../../tests/support/round-input";

/** What the form sends once Conform has coerced it: text as strings, integers as numbers. */
function formInput(overrides: Record<string, unknown> = {}) {
  return roundSettingsFields({
    title: "第八届社区公益微创投",
    description: "面向当湖街道各社区的微项目大赛。",
    poolFen: "600,000",
    weightReview: 70,
    weightRoadshow: 20,
    weightPublicVote: 10,
    ...overrides,
  });
}

function messagesOf(result: ReturnType<typeof RoundSettingsSchema.safeParse>) {
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of result.error.issues) (out[i.path.join(".")] ??= []).push(i.message);
  return out;
}

describe("round settings schema", () => {
  it("accepts the defaults and turns typed text into fen and dates", () => {
    const r = RoundSettingsSchema.safeParse(formInput());
    expect(r.success).toBe(true);
    const v = r.data!;
    expect(v.poolFen).toBe(60_000_000);
    expect(v.minAwardFen).toBe(500_000);
    expect(v.maxAwardFen).toBe(1_500_000);
    expect(v.categories).toEqual(DEFAULT_CATEGORIES);
    expect(v.rubric).toEqual(DEFAULT_RUBRIC);
    expect(v.trancheSchedule).toEqual(DEFAULT_TRANCHE_SCHEDULE);
    expect(v.needsStartsAt.toISOString()).toBe("2027-03-07T16:00:00.000Z"); // 2027-03-08 00:00 in Shanghai
  });

  it("requires a title of 4–80 characters and a description of at most 4000", () => {
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ title: "短" })))).toMatchObject({ title: ["rounds.title.short"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ title: "x".repeat(81) })))).toMatchObject({ title: ["validation.tooLong"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ description: "字".repeat(4001) })))).toMatchObject({
      description: ["validation.tooLong"],
    });
  });

  it("checks the code, area and foundation when a round is created", () => {
    const ok = CreateRoundSchema.safeParse({ ...formInput(), code: "JN8", areaId: "a", foundationId: "f" });
    expect(ok.success && ok.data.code).toBe("JN8");
    for (const code of ["j8", "J", "JN-8", "ABCDEFGHIJK"]) {
      const r = CreateRoundSchema.safeParse({ ...formInput(), code, areaId: "a", foundationId: "f" });
      expect(r.success).toBe(false);
      expect(r.error!.issues.find((i) => i.path[0] === "code")?.message).toBe("rounds.code.format");
    }
    const missing = CreateRoundSchema.safeParse({ ...formInput(), code: "JN8" });
    expect(missing.error!.issues.map((i) => i.message)).toEqual(expect.arrayContaining(["rounds.area.required", "rounds.foundation.required"]));
  });

  it("refuses a minimum above the maximum and bad money", () => {
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ minAwardFen: "20000" })))).toMatchObject({
      maxAwardFen: ["rounds.award.minAboveMax"],
    });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ poolFen: "-5" })))).toMatchObject({ poolFen: ["money.negative"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ minAwardFen: "0" })))).toMatchObject({ minAwardFen: ["money.tooSmall"] });
  });

  it("names the actual sum when rubric maxima do not add up to 100", () => {
    const rubric = DEFAULT_RUBRIC.map((c, i) => ({ ...c, maxPoints: i === 0 ? 20 : c.maxPoints }));
    const m = messagesOf(RoundSettingsSchema.safeParse(formInput({ rubric })));
    expect(m.rubric).toEqual([withParams("rounds.rubric.sum", { total: 95 })]);
    expect(splitMessage(m.rubric![0]!)).toEqual({ key: "rounds.rubric.sum", params: { total: 95 } });
  });

  it("checks every rubric row and ignores blank ones", () => {
    const rubric = [
      { key: "a", nameZh: "甲", nameEn: "A", maxPoints: 60 },
      {},
      { nameZh: "乙", maxPoints: 40 },
      undefined,
    ];
    const m = messagesOf(RoundSettingsSchema.safeParse(formInput({ rubric })));
    expect(m).toEqual({ "rubric.2.nameEn": ["validation.required"] });
    const fixed = RoundSettingsSchema.parse(formInput({ rubric: [rubric[0], {}, { nameZh: "乙", nameEn: "B", maxPoints: 40 }] }));
    // the blank key of the third row is generated from its position among the kept rows
    expect(fixed.rubric.map((r) => r.key)).toEqual(["a", "R2"]);
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ rubric: [{}, {}] })))).toMatchObject({ rubric: ["rounds.rubric.required"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ rubric: [{ nameZh: "甲", nameEn: "A", maxPoints: 0 }] })))).toMatchObject({
      "rubric.0.maxPoints": ["rounds.rubric.points"],
    });
  });

  it("requires at least one category with unique keys and generates missing keys", () => {
    const categories = [...DEFAULT_CATEGORIES, { nameZh: "环境保护类", nameEn: "Environment" }];
    const v = RoundSettingsSchema.parse(formInput({ categories }));
    expect(v.categories.at(-1)).toEqual({ key: "C4", nameZh: "环境保护类", nameEn: "Environment" });
    // a generated key never collides with one typed on another row
    const clash = RoundSettingsSchema.parse(formInput({ categories: [{ key: "C2", nameZh: "甲", nameEn: "A" }, { nameZh: "乙", nameEn: "B" }] }));
    expect(clash.categories.map((c) => c.key)).toEqual(["C2", "C3"]);
    const dup = messagesOf(RoundSettingsSchema.safeParse(formInput({ categories: [...DEFAULT_CATEGORIES, { ...DEFAULT_CATEGORIES[0] }] })));
    expect(dup).toEqual({ "categories.3.key": ["rounds.key.duplicate"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ categories: [{}] })))).toEqual({ categories: ["rounds.categories.required"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ categories: [{ key: "有 空格", nameZh: "甲", nameEn: "A" }] })))).toEqual({
      "categories.0.key": ["rounds.key.format"],
    });
  });

  it("eligibility: blank or unticked rules restrict nothing, as rounds did before them", () => {
    expect(RoundSettingsSchema.parse(formInput())).toMatchObject({ eligibleOrgKinds: [], orgInRoundArea: false, maxOpenProjects: null, refuseTroubledOrgs: false, budgetCaps: [] });
  });

  it("eligibility: reads the ticked kinds (in the enum's order, once each), the area and prior-project rules", () => {
    const parsed = RoundSettingsSchema.parse(
      formInput({ eligibleOrgKinds: ["RESIDENT_TEAM", "SOCIAL_ORGANIZATION", "RESIDENT_TEAM"], orgInRoundArea: true, maxOpenProjects: 2, refuseTroubledOrgs: true }),
    );
    expect(parsed).toMatchObject({ eligibleOrgKinds: ["SOCIAL_ORGANIZATION", "RESIDENT_TEAM"], orgInRoundArea: true, maxOpenProjects: 2, refuseTroubledOrgs: true });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ eligibleOrgKinds: ["ALIENS"], maxOpenProjects: 0 })))).toMatchObject({
      "eligibleOrgKinds.0": ["rounds.eligibility.kind"],
      maxOpenProjects: ["rounds.maxOpenProjects.range"],
    });
  });

  it("budget caps: keeps rows with a percent or an amount, refuses a labour percent, a bad percent and an amount above the largest award", () => {
    const parsed = RoundSettingsSchema.parse(
      formInput({
        budgetCaps: [
          { category: "LABOUR", amount: "3,000" },
          { category: "MATERIALS" },
          { category: "VENUE", percent: 20, amount: "2,000.50" },
        ],
      }),
    );
    expect(parsed.budgetCaps).toEqual([
      { category: "LABOUR", maxFen: 300_000 },
      { category: "VENUE", percent: 20, maxFen: 200_050 },
    ]);
    expect(
      messagesOf(
        RoundSettingsSchema.safeParse(
          formInput({ budgetCaps: [{ category: "LABOUR", percent: 10 }, { category: "VENUE", percent: 0 }, { category: "OTHER", amount: "20,000" }, { category: "OTHER" }] }),
        ),
      ),
    ).toEqual({
      "budgetCaps.0.percent": ["rounds.budgetCap.labourPercent"],
      "budgetCaps.1.percent": ["rounds.budgetCap.percent"],
      "budgetCaps.2.amount": ["rounds.budgetCap.aboveMaxAward"],
      "budgetCaps.3.category": ["rounds.budgetCap.category"],
    });
  });

  it("caps on what the round awards accept a city round's ¥30,000,000", () => {
    const parsed = RoundSettingsSchema.parse(formInput({ poolFen: "50,000,000", communityCapFen: "30,000,000", categoryCapFen: "30,000,000" }));
    expect(parsed).toMatchObject({ communityCapFen: 3_000_000_000, categoryCapFen: 3_000_000_000 });
  });

  it("reads the review and allocation settings: blind review, z-scores, disagreement range, minimum score and caps within the pool", () => {
    const parsed = RoundSettingsSchema.parse(formInput({ blindReview: true, disagreementRange: 25, communityCapFen: "30,000" }));
    expect(parsed).toMatchObject({ blindReview: true, zScore: false, disagreementRange: 25, minScore: 60, communityCapFen: 3_000_000, categoryCapFen: null });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ minScore: 101, disagreementRange: -1 })))).toMatchObject({
      minScore: ["rounds.minScore.range"],
      disagreementRange: ["rounds.disagreementRange.range"],
    });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ communityCapFen: "4,000", categoryCapFen: "700,000" })))).toMatchObject({
      communityCapFen: ["rounds.cap.belowMinAward"],
      categoryCapFen: ["rounds.cap.abovePool"],
    });
    expect(isEditable("REVIEW", "blindReview")).toBe(false);
    expect(isEditable("REVIEW", "minScore")).toBe(true);
    expect(isEditable("NOTICE", "minScore")).toBe(false);
  });

  it("keeps judges, notice days, labour cap and proposals per organization in range", () => {
    const bad = messagesOf(
      RoundSettingsSchema.safeParse(formInput({ judgesPerProposal: 16, noticeDays: 0, labourCapPercent: 101, maxProposalsPerOrg: 11 })),
    );
    expect(bad).toMatchObject({
      judgesPerProposal: ["rounds.judges.range"],
      noticeDays: ["rounds.noticeDays.range"],
      labourCapPercent: ["rounds.labourCap.range"],
      maxProposalsPerOrg: ["rounds.maxProposals.range"],
    });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ judgesPerProposal: 2.5 })))).toMatchObject({ judgesPerProposal: ["rounds.judges.range"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ judgesPerProposal: undefined })))).toMatchObject({
      judgesPerProposal: ["validation.required"],
    });
    expect(RoundSettingsSchema.safeParse(formInput({ judgesPerProposal: 1, noticeDays: 30, labourCapPercent: 0, maxProposalsPerOrg: 10 })).success).toBe(true);
  });

  it("requires the three weights to sum to 100", () => {
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ weightReview: 60 })))).toEqual({ weights: [withParams("rounds.weights.sum", { total: 90 })] });
    expect(RoundSettingsSchema.safeParse(formInput({ weightReview: 100, weightRoadshow: 0, weightPublicVote: 0 })).success).toBe(true);
  });

  it("requires a tranche schedule summing to 100 that starts with the one agreement tranche", () => {
    const t = (steps: unknown[]) => messagesOf(RoundSettingsSchema.safeParse(formInput({ trancheSchedule: steps })));
    expect(t([{ percent: 50, trigger: "AGREEMENT" }, { percent: 40, trigger: "FINAL" }])).toEqual({ trancheSchedule: [withParams("rounds.tranche.sum", { total: 90 })] });
    expect(t([{ percent: 50, trigger: "MIDTERM" }, { percent: 50, trigger: "AGREEMENT" }])).toEqual({ trancheSchedule: ["rounds.tranche.agreementFirst"] });
    expect(t([{ percent: 50, trigger: "AGREEMENT" }, { percent: 50, trigger: "AGREEMENT" }])).toEqual({ trancheSchedule: ["rounds.tranche.agreementFirst"] });
    expect(t([{}, {}])).toEqual({ trancheSchedule: ["rounds.tranche.required"] });
    expect(t([{ percent: 100, trigger: "AGREEMENT" }, { percent: 10 }])).toMatchObject({ "trancheSchedule.1.trigger": ["rounds.tranche.trigger"] });
    expect(t([{ percent: 100, trigger: "AGREEMENT" }, {}])).toEqual({});
    expect(trancheScheduleProblem(DEFAULT_TRANCHE_SCHEDULE)).toBeNull();
  });

  it("requires every date to be a real day on or after the one before it", () => {
    const dates = defaultDates("2027-03-01");
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ reviewStartsAt: dates.screeningStartsAt })))).toEqual({});
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ proposalsDeadline: dates.needsStartsAt })))).toEqual({
      proposalsDeadline: [withParams("rounds.date.beforePrevious", { previous: "proposalsStartsAt" })],
    });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ implementationEndsAt: dates.implementationStartsAt })))).toEqual({
      implementationEndsAt: ["rounds.date.implementationEmpty"],
    });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ closesAt: "2027-02-30" })))).toEqual({ closesAt: ["rounds.date.invalid"] });
    expect(messagesOf(RoundSettingsSchema.safeParse(formInput({ closesAt: undefined })))).toEqual({ closesAt: ["validation.required"] });
  });

  it("reads date inputs as midnight in Shanghai, whatever the machine's zone", () => {
    expect(shanghaiMidnight("2026-11-01")!.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(shanghaiMidnight("2026-13-01")).toBeNull();
    expect(shanghaiMidnight("1.11.2026")).toBeNull();
    expect(toDateInput(new Date("2026-10-31T16:00:00.000Z"))).toBe("2026-11-01");
    expect(toDateInput(new Date("2026-11-01T15:59:59.000Z"))).toBe("2026-11-01");
    const d = defaultDates("2026-12-31");
    const times = DATE_FIELDS.map((f) => shanghaiMidnight(d[f])!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(d.needsStartsAt > "2026-12-31").toBe(true);
  });
});

describe("phase machine", () => {
  it("moves one phase at a time, forward only, and stops at CLOSED", () => {
    expect(PHASES.map(nextPhase)).toEqual(["NEEDS", "PROPOSALS", "SCREENING", "REVIEW", "NOTICE", "IMPLEMENTATION", "CLOSED", null]);
    for (let i = 0; i < PHASES.length - 1; i++) {
      if (PHASES[i + 1] === "NOTICE") continue;
      expect(phaseMoveProblem(PHASES[i]!, PHASES[i + 1]!, { final: true })).toBeNull();
    }
    // the notice opens only by publishing the awards; implementation only once they are final
    expect(phaseMoveProblem("REVIEW", "NOTICE")).toBe("rounds.phase.publishAwards");
    expect(phaseMoveProblem("NOTICE", "IMPLEMENTATION")).toBe("rounds.phase.awardsNotFinal");
    expect(phaseMoveProblem("NOTICE", "IMPLEMENTATION", { final: true })).toBeNull();
    expect(phaseMoveProblem("DRAFT", "PROPOSALS")).toBe("rounds.phase.notNext");
    expect(phaseMoveProblem("REVIEW", "SCREENING")).toBe("rounds.phase.notNext");
    expect(phaseMoveProblem("NEEDS", "NEEDS")).toBe("rounds.phase.notNext");
    expect(phaseMoveProblem("CLOSED", "DRAFT")).toBe("rounds.phase.closed");
    expect(phaseMoveProblem("DRAFT", "PUBLISHED")).toBe("rounds.phase.unknown");
    expect(phaseAtLeast("REVIEW", "SCREENING")).toBe(true);
    expect(phaseAtLeast("PROPOSALS", "SCREENING")).toBe(false);
  });

  it("freezes the rules proposals are checked against once proposals open", () => {
    const draft = editableIn("DRAFT");
    expect(draft.size).toBe(37);
    // whether topics must be deliberated is fixed before the first topic can be published
    expect(draft.has("requiresDeliberation")).toBe(true);
    expect(editableIn("NEEDS").has("requiresDeliberation")).toBe(false);
    const proposals = editableIn("PROPOSALS");
    for (const f of ["minAwardFen", "maxAwardFen", "categories", "labourCapPercent", "budgetCaps", "eligibleOrgKinds", "orgInRoundArea", "maxOpenProjects", "refuseTroubledOrgs", "maxProposalsPerOrg", "implementationStartsAt", "implementationEndsAt", "trancheSchedule", "needsStartsAt", "proposalsStartsAt"] as const) {
      expect(isEditable("NEEDS", f) || f === "needsStartsAt").toBe(true);
      expect(proposals.has(f)).toBe(false);
    }
    for (const f of ["rubric", "judgesPerProposal", "weightReview", "poolFen", "title", "proposalsDeadline"] as const) expect(proposals.has(f)).toBe(true);
  });

  it("freezes scoring at review, the pool at notice and everything when closed", () => {
    expect(editableIn("SCREENING").has("rubric")).toBe(true);
    expect(editableIn("REVIEW").has("rubric")).toBe(false);
    expect(editableIn("REVIEW").has("weightPublicVote")).toBe(false);
    expect(editableIn("REVIEW").has("poolFen")).toBe(true);
    expect(editableIn("NOTICE").has("poolFen")).toBe(false);
    expect([...editableIn("IMPLEMENTATION")].sort()).toEqual(["closesAt", "description", "title", "titleEn"]);
    expect(editableIn("CLOSED").size).toBe(0);
  });

  it("names the changed settings that are frozen in the current phase", () => {
    const before = RoundSettingsSchema.parse(formInput());
    const after = RoundSettingsSchema.parse(formInput({ title: "第八届社区公益微创投（修订）", maxAwardFen: "20000", rubric: DEFAULT_RUBRIC.map((c) => ({ ...c, nameEn: c.nameEn + "!" })) }));
    expect(changedSettings(before, after).sort()).toEqual(["maxAwardFen", "rubric", "title"]);
    const inPhase = (p: Phase) => frozenChanges(p, before, after).sort();
    expect(inPhase("NEEDS")).toEqual([]);
    expect(inPhase("PROPOSALS")).toEqual(["maxAwardFen"]);
    expect(inPhase("REVIEW")).toEqual(["maxAwardFen", "rubric"]);
    expect(inPhase("CLOSED")).toEqual(["maxAwardFen", "rubric", "title"]);
    expect(changedSettings(before, RoundSettingsSchema.parse(formInput()))).toEqual([]);
  });
});

describe("reading stored settings", () => {
  it("the budget-cap table shows one row per budget category, blank where no cap is set", () => {
    const rows = budgetCapFormRows([{ category: "VENUE", percent: 20, maxFen: 200_050 }]);
    expect(rows.map((r) => r.category)).toEqual(["LABOUR", "MATERIALS", "VENUE", "PUBLICITY", "TRAINING", "OTHER"]);
    expect(rows[2]).toEqual({ category: "VENUE", percent: "20", amount: "2000.50" });
    expect(rows[0]).toEqual({ category: "LABOUR", percent: "", amount: "" });
  });

  it("reads categories, rubric and tranches back from JSON and tolerates junk", () => {
    expect(categoriesOf(JSON.parse(JSON.stringify(DEFAULT_CATEGORIES)))).toEqual(DEFAULT_CATEGORIES);
    expect(rubricOf(JSON.parse(JSON.stringify(DEFAULT_RUBRIC)))).toEqual(DEFAULT_RUBRIC);
    expect(trancheScheduleOf(JSON.parse(JSON.stringify(DEFAULT_TRANCHE_SCHEDULE)))).toEqual(DEFAULT_TRANCHE_SCHEDULE);
    expect(categoriesOf(null)).toEqual([]);
    expect(rubricOf([null, 3])).toEqual([]);
    expect(rubricSum(DEFAULT_RUBRIC.map((c) => c.maxPoints))).toBe(100);
  });
});

describe("form schemas", () => {
  it("expose field constraints to Conform (no transform at the root)", () => {
    expect(getZodConstraint(CreateRoundFormSchema).title).toMatchObject({ required: true });
    expect(getZodConstraint(RoundSettingsFormSchema)["rubric[].maxPoints"]).toBeDefined();
    expect(() => getZodConstraint(RoundSettingsSchema as never)).toThrow();
  });
});

describe("every problem at once", () => {
  it("reports the rubric sum and the date order alongside a missing pool or area", () => {
    const r = CreateRoundSchema.safeParse({
      ...formInput({ poolFen: undefined, weightReview: undefined, rubric: [{ nameZh: "甲", nameEn: "A", maxPoints: 90 }] }),
      code: "AB",
      foundationId: "f",
      proposalsDeadline: "2020-01-01",
    });
    const m: Record<string, string[]> = {};
    for (const i of r.error!.issues) (m[i.path.join(".")] ??= []).push(i.message);
    expect(m).toEqual({
      poolFen: ["money.required"],
      areaId: ["rounds.area.required"],
      weightReview: ["validation.required"],
      rubric: [withParams("rounds.rubric.sum", { total: 90 })],
      proposalsDeadline: [withParams("rounds.date.beforePrevious", { previous: "proposalsStartsAt" })],
    });
  });
});

describe("the round admin page's forms", () => {
  it("a save carries the version and gives the same settings as the settings schema", () => {
    const saved = RoundAdminIntents.safeParse({ intent: "save", version: "3", ...formInput() });
    expect(saved.success).toBe(true);
    if (!saved.success || saved.data.intent !== "save") return;
    expect(saved.data.version).toBe(3);
    expect(roundSettingsOf(saved.data)).toEqual(RoundSettingsSchema.parse(formInput()));
  });

  it("a save runs the settings' checks (each next to its field); a move needs a phase", () => {
    const refused = RoundAdminIntents.safeParse({ intent: "save", version: "3", ...formInput({ title: "短" }) });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.find((i) => i.path[0] === "title")?.message).toBe("rounds.title.short");
    expect(RoundAdminIntents.safeParse({ intent: "move", to: "NEEDS" })).toMatchObject({ success: true, data: { intent: "move", to: "NEEDS" } });
    expect(RoundAdminIntents.safeParse({ intent: "move" }).error!.issues[0]!.message).toBe("rounds.phase.unknown");
    expect(RoundAdminIntents.safeParse({ intent: "delete" }).success).toBe(false);
  });
});
