import { withParams } from "./messages";
import { z } from "zod";
import { BudgetLineSchema } from "./funds";
import { DEFAULT_CATEGORIES, type CategoryDefinition } from "./categories";
import { moneyFen } from "./money-schema";
import { fenToInput } from "./money";
import { BUDGET_CATEGORIES, BUDGET_CATEGORY_KEYS, MAX_BUDGET_TOTAL_FEN, type BudgetCap } from "./proposals";
import { ORGANIZATION_KINDS } from "./organizations";
import { MAX_OPEN_PROJECTS_LIMIT } from "./eligibility";

import { DEFAULT_MIN_SCORE, MAX_AWARD_LIMIT_FEN } from "./allocation";
import { DEFAULT_DISAGREEMENT_RANGE } from "./ranking";
export { DEFAULT_CATEGORIES };
export { DEFAULT_DISAGREEMENT_RANGE, DEFAULT_MIN_SCORE };

/** The phases of a round, in the only order they may follow. */
export const PHASES = ["DRAFT", "NEEDS", "PROPOSALS", "SCREENING", "REVIEW", "NOTICE", "IMPLEMENTATION", "CLOSED"] as const;
export type Phase = (typeof PHASES)[number];

export interface RubricCriterion {
  key: string;
  nameZh: string;
  nameEn: string;
  maxPoints: number;
}

export type TrancheTrigger = "AGREEMENT" | "MIDTERM" | "FINAL";
export interface TrancheStep {
  percent: number;
  trigger: TrancheTrigger;
}

/** A 100-point rubric after the criteria common in 公益创投 reviews (need, design, capacity, budget, sustainability). */
export const DEFAULT_RUBRIC: readonly RubricCriterion[] = [
  { key: "need", nameZh: "需求契合度", nameEn: "Fit with community needs", maxPoints: 25 },
  { key: "design", nameZh: "项目设计与可行性", nameEn: "Design and feasibility", maxPoints: 25 },
  { key: "capacity", nameZh: "团队执行能力", nameEn: "Team capacity", maxPoints: 20 },
  { key: "budget", nameZh: "预算合理性", nameEn: "Budget soundness", maxPoints: 15 },
  { key: "sustainability", nameZh: "可持续性与居民参与", nameEn: "Sustainability and participation", maxPoints: 15 },
];

/** 50% on agreement, 30% on mid-term approval, 20% on final evaluation (PRODUCT.md step 1). */
export const DEFAULT_TRANCHE_SCHEDULE: readonly TrancheStep[] = [
  { percent: 50, trigger: "AGREEMENT" },
  { percent: 30, trigger: "MIDTERM" },
  { percent: 20, trigger: "FINAL" },
];

export const DEFAULT_MIN_AWARD_FEN = 500_000;
export const DEFAULT_MAX_AWARD_FEN = 1_500_000;
export const DEFAULT_JUDGES_PER_PROPOSAL = 5;
export const DEFAULT_NOTICE_DAYS = 5;
export const DEFAULT_LABOUR_CAP_PERCENT = 30;

// ---------------------------------------------------------------------------------------------
// Round settings: one schema for the set-up/edit form, in the browser and on the server.
// Error messages are message keys (locales/rounds.json). A key may carry parameters after a "|"
// with `withParams` (app/domain/messages.ts), e.g. rounds.rubric.sum|{"total":95}; translate() reads them.
// ---------------------------------------------------------------------------------------------


export const DEFAULT_WEIGHTS = { weightReview: 100, weightRoadshow: 0, weightPublicVote: 0 } as const;
export const DEFAULT_MAX_PROPOSALS_PER_ORG = 1;

/** Rows each table of the form shows beyond the filled ones when JavaScript does not run. */
export const EXTRA_ROWS = 2;
export const MAX_CATEGORIES = 12;
export const MAX_RUBRIC_CRITERIA = 12;
export const MAX_TRANCHES = 6;
export const TRANCHE_TRIGGERS: readonly TrancheTrigger[] = ["AGREEMENT", "MIDTERM", "FINAL"];

/** The nine planned dates of a round, in the order the phases follow (schema order). */
export const DATE_FIELDS = [
  "needsStartsAt",
  "proposalsStartsAt",
  "proposalsDeadline",
  "screeningStartsAt",
  "reviewStartsAt",
  "noticeStartsAt",
  "implementationStartsAt",
  "implementationEndsAt",
  "closesAt",
] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** The phase whose planned start each date is (the deadline and the end of implementation start nothing). */
export const DATE_OF_PHASE: Partial<Record<Phase, DateField>> = {
  NEEDS: "needsStartsAt",
  PROPOSALS: "proposalsStartsAt",
  SCREENING: "screeningStartsAt",
  REVIEW: "reviewStartsAt",
  NOTICE: "noticeStartsAt",
  IMPLEMENTATION: "implementationStartsAt",
  CLOSED: "closesAt",
};

/** A round code as used in URLs and reference numbers ("JN7" → JN7-0042). */
export const ROUND_CODE = /^[A-Z0-9]{2,10}$/;
const KEY = /^[A-Za-z0-9_-]{1,40}$/;
const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `<input type="date">` value → the instant of midnight of that day in Asia/Shanghai (UTC+8, no DST). */
export function shanghaiMidnight(value: string): Date | null {
  const m = DATE_INPUT.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - 8 * 3_600_000);
}

/** An instant → the Asia/Shanghai calendar day, as `<input type="date">` shows it. */
export function toDateInput(date: Date | string): string {
  const shifted = new Date(new Date(date).getTime() + 8 * 3_600_000);
  return shifted.toISOString().slice(0, 10);
}

/** A workable schedule starting on `today` (a date input value), used to prefill a new round. */
export function defaultDates(today: string): Record<DateField, string> {
  const start = shanghaiMidnight(today) ?? shanghaiMidnight(toDateInput(new Date()))!;
  const offsets: Record<DateField, number> = {
    needsStartsAt: 7,
    proposalsStartsAt: 37,
    proposalsDeadline: 80,
    screeningStartsAt: 81,
    reviewStartsAt: 95,
    noticeStartsAt: 110,
    implementationStartsAt: 120,
    implementationEndsAt: 390,
    closesAt: 420,
  };
  return Object.fromEntries(
    DATE_FIELDS.map((f) => [f, toDateInput(new Date(start.getTime() + offsets[f] * 86_400_000))]),
  ) as Record<DateField, string>;
}

const text = (min: number, max: number, short: string) =>
  z.string({ error: "validation.required" }).trim().min(min, short).max(max, "validation.tooLong");
const optionalText = (max: number) => z.string().trim().max(max, "validation.tooLong").optional();
const int = (min: number, max: number, key: string) =>
  z.number({ error: "validation.required" }).int(key).min(min, key).max(max, key);
const dateField = z
  .string({ error: "validation.required" })
  .refine((v) => shanghaiMidnight(v) !== null, "rounds.date.invalid");

const categoryRow = z
  .object({ key: optionalText(40), nameZh: optionalText(30), nameEn: optionalText(60) })
  .optional();
const rubricRow = z
  .object({
    key: optionalText(40),
    nameZh: optionalText(40),
    nameEn: optionalText(80),
    maxPoints: z.number("rounds.rubric.points").int("rounds.rubric.points").min(1, "rounds.rubric.points").max(100, "rounds.rubric.points").optional(),
  })
  .optional();
/** One budget category's caps: percent of the requested total and/or an amount (labour's percent is `labourCapPercent`). */
const budgetCapRow = z
  .object({
    category: z.enum(BUDGET_CATEGORY_KEYS, { error: "rounds.budgetCap.category" }),
    percent: z.number("rounds.budgetCap.percent").int("rounds.budgetCap.percent").min(1, "rounds.budgetCap.percent").max(100, "rounds.budgetCap.percent").optional(),
    amount: moneyFen({ optional: true, minFen: 1, maxFen: MAX_BUDGET_TOTAL_FEN }),
  })
  .optional();

/**
 * Round caps on what the round awards (per community, per project category) may be as large as
 * any pool: the columns are BigInt; the form's bound is the pool's (DEFAULT_MAX_MONEY_FEN).
 */
const allocationCap = () => moneyFen({ optional: true });

const trancheRow = z
  .object({
    percent: z.number("rounds.tranche.percent").int("rounds.tranche.percent").min(1, "rounds.tranche.percent").max(100, "rounds.tranche.percent").optional(),
    trigger: z.enum(["AGREEMENT", "MIDTERM", "FINAL"], { error: "rounds.tranche.trigger" }).optional(),
  })
  .optional();

/** The settings an official edits (everything but code, area and foundation, fixed at creation). */
const settingsShape = {
  title: text(4, 80, "rounds.title.short"),
  /** optional: English pages show the Chinese title when it is blank */
  titleEn: z.string().trim().max(120, "validation.tooLong").optional(),
  description: z.string().trim().max(4000, "validation.tooLong").optional(),
  poolFen: moneyFen({}),
  minAwardFen: moneyFen({ minFen: 100, maxFen: MAX_AWARD_LIMIT_FEN }),
  maxAwardFen: moneyFen({ minFen: 100, maxFen: MAX_AWARD_LIMIT_FEN }),
  categories: z.array(categoryRow).max(MAX_CATEGORIES + EXTRA_ROWS, "rounds.categories.tooMany").optional(),
  rubric: z.array(rubricRow).max(MAX_RUBRIC_CRITERIA + EXTRA_ROWS, "rounds.rubric.tooMany").optional(),
  judgesPerProposal: int(1, 15, "rounds.judges.range"),
  weightReview: int(0, 100, "rounds.weight.range"),
  weightRoadshow: int(0, 100, "rounds.weight.range"),
  weightPublicVote: int(0, 100, "rounds.weight.range"),
  noticeDays: int(1, 30, "rounds.noticeDays.range"),
  /** checkboxes: present ("on") = true, absent = false */
  blindReview: z.boolean().optional(),
  zScore: z.boolean().optional(),
  /** blank = the default (30 points, 60 points) */
  disagreementRange: int(0, 100, "rounds.disagreementRange.range").optional(),
  minScore: int(0, 100, "rounds.minScore.range").optional(),
  communityCapFen: allocationCap(),
  categoryCapFen: allocationCap(),
  trancheSchedule: z.array(trancheRow).max(MAX_TRANCHES + EXTRA_ROWS, "rounds.tranche.tooMany").optional(),
  labourCapPercent: int(0, 100, "rounds.labourCap.range"),
  /** one row per budget category (BUDGET_CATEGORIES order); blank cells = no cap */
  budgetCaps: z.array(budgetCapRow).max(BUDGET_CATEGORIES.length, "rounds.budgetCap.category").optional(),
  maxProposalsPerOrg: int(1, 10, "rounds.maxProposals.range"),
  /** eligibility (domain/eligibility.ts): ticked kinds (none = every kind), the area rule, prior projects */
  eligibleOrgKinds: z.array(z.enum(ORGANIZATION_KINDS, { error: "rounds.eligibility.kind" })).optional(),
  orgInRoundArea: z.boolean().optional(),
  maxOpenProjects: int(1, MAX_OPEN_PROJECTS_LIMIT, "rounds.maxOpenProjects.range").optional(),
  refuseTroubledOrgs: z.boolean().optional(),
  /** a need becomes a call topic only after a passed resolution (三议, domain/deliberation.ts) */
  requiresDeliberation: z.boolean().optional(),
  needsStartsAt: dateField,
  proposalsStartsAt: dateField,
  proposalsDeadline: dateField,
  screeningStartsAt: dateField,
  reviewStartsAt: dateField,
  noticeStartsAt: dateField,
  implementationStartsAt: dateField,
  implementationEndsAt: dateField,
  closesAt: dateField,
};

const createShape = {
  code: z
    .string({ error: "validation.required" })
    .trim()
    .regex(ROUND_CODE, "rounds.code.format"),
  areaId: z.string({ error: "rounds.area.required" }).min(1, "rounds.area.required"),
  foundationId: z.string({ error: "rounds.foundation.required" }).min(1, "rounds.foundation.required"),
  /** 预算科目文号: blank = the pool comes from the foundation's available funds (domain/funds.ts) */
  budgetLineNo: BudgetLineSchema,
};

type RawSettings = z.output<z.ZodObject<typeof settingsShape>>;
type Issue = { path: (string | number)[]; message: string };

const filled = (...values: unknown[]) => values.some((v) => v !== undefined && v !== null && v !== "");

/** Every cross-field problem of the settings (row contents, sums, date order), with form paths. */
function settingsIssues(v: RawSettings): Issue[] {
  const issues: Issue[] = [];
  const num = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
  const rows = <T>(x: T[] | undefined): T[] => (Array.isArray(x) ? x : []);
  if (num(v.minAwardFen) && num(v.maxAwardFen) && v.minAwardFen > v.maxAwardFen) issues.push({ path: ["maxAwardFen"], message: "rounds.award.minAboveMax" });

  /**
   * Rows named in both languages with an optional key (categories, rubric criteria): at least one
   * filled row and at most `max`, both names on every row, keys well-formed and unique (blank
   * keys are generated later). `more` checks a row's other cells. The filled rows, with their
   * form index.
   */
  const namedRows = <R extends { key?: string; nameZh?: string; nameEn?: string }>(
    field: "categories" | "rubric",
    all: (R | undefined)[] | undefined,
    max: number,
    isFilled: (r: R) => boolean,
    more: (r: R, i: number) => void = () => {},
  ) => {
    const named = rows(all).flatMap((r, i) => (r && isFilled(r) ? [{ r, i }] : []));
    if (!named.length) issues.push({ path: [field], message: `rounds.${field}.required` });
    if (named.length > max) issues.push({ path: [field], message: `rounds.${field}.tooMany` });
    const seenKeys = new Set<string>();
    for (const { r, i } of named) {
      if (!r.nameZh) issues.push({ path: [field, i, "nameZh"], message: "validation.required" });
      if (!r.nameEn) issues.push({ path: [field, i, "nameEn"], message: "validation.required" });
      more(r, i);
      if (r.key) {
        if (!KEY.test(r.key)) issues.push({ path: [field, i, "key"], message: "rounds.key.format" });
        else if (seenKeys.has(r.key)) issues.push({ path: [field, i, "key"], message: "rounds.key.duplicate" });
        seenKeys.add(r.key);
      }
    }
    return named;
  };

  namedRows("categories", v.categories, MAX_CATEGORIES, (r) => filled(r.key, r.nameZh, r.nameEn));

  // rubric: points on every criterion too, maxima summing to exactly 100
  const rubric = namedRows("rubric", v.rubric, MAX_RUBRIC_CRITERIA, (r) => filled(r.key, r.nameZh, r.nameEn, r.maxPoints), (r, i) => {
    if (r.maxPoints === undefined) issues.push({ path: ["rubric", i, "maxPoints"], message: "rounds.rubric.points" });
  });
  const rubricTotal = rubricSum(rubric.map(({ r }) => (num(r.maxPoints) ? r.maxPoints : 0)));
  if (rubric.length && rubricTotal !== 100) issues.push({ path: ["rubric"], message: withParams("rounds.rubric.sum", { total: rubricTotal }) });

  // caps: at least one minimum award, at most the pool
  for (const field of ["communityCapFen", "categoryCapFen"] as const) {
    const cap = v[field];
    if (!num(cap)) continue;
    if (num(v.minAwardFen) && cap < v.minAwardFen) issues.push({ path: [field], message: "rounds.cap.belowMinAward" });
    else if (num(v.poolFen) && cap > v.poolFen) issues.push({ path: [field], message: "rounds.cap.abovePool" });
  }

  // budget caps: one row per category; labour's percent is its own setting; an amount cap at most the largest award
  const seenCategories = new Set<string>();
  rows(v.budgetCaps).forEach((r, i) => {
    if (!r) return;
    if (seenCategories.has(r.category)) issues.push({ path: ["budgetCaps", i, "category"], message: "rounds.budgetCap.category" });
    seenCategories.add(r.category);
    if (r.category === "LABOUR" && r.percent !== undefined) issues.push({ path: ["budgetCaps", i, "percent"], message: "rounds.budgetCap.labourPercent" });
    if (num(r.amount) && num(v.maxAwardFen) && r.amount > v.maxAwardFen) issues.push({ path: ["budgetCaps", i, "amount"], message: "rounds.budgetCap.aboveMaxAward" });
  });

  // weights of review / roadshow / public vote
  const weightValues = [v.weightReview, v.weightRoadshow, v.weightPublicVote];
  const weights = weightValues.reduce<number>((sum, w) => sum + (num(w) ? w : 0), 0);
  if (weightValues.every(num) && weights !== 100) issues.push({ path: ["weights"], message: withParams("rounds.weights.sum", { total: weights }) });

  // tranches: percentages summing to 100, exactly one AGREEMENT tranche and it comes first
  const tranches = rows(v.trancheSchedule).map((r, i) => ({ r, i })).filter(({ r }) => r && filled(r.percent, r.trigger));
  for (const { r, i } of tranches) {
    if (r!.percent === undefined) issues.push({ path: ["trancheSchedule", i, "percent"], message: "rounds.tranche.percent" });
    if (r!.trigger === undefined) issues.push({ path: ["trancheSchedule", i, "trigger"], message: "rounds.tranche.trigger" });
  }
  const steps = tranches.map(({ r }) => ({ percent: num(r!.percent) ? r!.percent : 0, trigger: r!.trigger }));
  const trancheProblem = trancheScheduleProblem(steps);
  if (trancheProblem) issues.push({ path: ["trancheSchedule"], message: trancheProblem });

  // dates: each on or after the one before; implementation takes at least a day
  let previous: { field: DateField; at: number } | null = null;
  for (const field of DATE_FIELDS) {
    const raw: unknown = v[field];
    const at = typeof raw === "string" ? shanghaiMidnight(raw)?.getTime() : undefined;
    if (at === undefined) continue;
    if (previous && at < previous.at) issues.push({ path: [field], message: withParams("rounds.date.beforePrevious", { previous: previous.field }) });
    else if (field === "implementationEndsAt" && previous?.field === "implementationStartsAt" && at <= previous.at) {
      issues.push({ path: [field], message: "rounds.date.implementationEmpty" });
    }
    previous = { field, at };
  }
  return issues;
}

/** Sum of rubric maxima (the live total the form shows). */
export const rubricSum = (points: readonly (number | undefined | null)[]) => points.reduce<number>((s, p) => s + (p ?? 0), 0);

/** Why a tranche schedule cannot be used, as a message key; null when it can. */
export function trancheScheduleProblem(steps: readonly { percent: number; trigger?: TrancheTrigger | undefined }[]): string | null {
  if (!steps.length) return "rounds.tranche.required";
  if (steps.length > MAX_TRANCHES) return "rounds.tranche.tooMany";
  const total = steps.reduce((s, x) => s + x.percent, 0);
  if (total !== 100) return withParams("rounds.tranche.sum", { total });
  const agreements = steps.filter((s) => s.trigger === "AGREEMENT").length;
  if (agreements !== 1 || steps[0]!.trigger !== "AGREEMENT") return "rounds.tranche.agreementFirst";
  return null;
}

/** Blank rows dropped; blank keys generated from the row's position ("C4", "R2"), never clashing. */
function withKeys<T extends { key?: string | undefined }>(rows: T[], prefix: string): (T & { key: string })[] {
  const taken = new Set(rows.map((r) => r.key).filter(Boolean) as string[]);
  return rows.map((r, i) => {
    if (r.key) return { ...r, key: r.key };
    let n = i + 1;
    while (taken.has(`${prefix}${n}`)) n++;
    taken.add(`${prefix}${n}`);
    return { ...r, key: `${prefix}${n}` };
  });
}

function clean(v: RawSettings) {
  const categories = withKeys(
    (v.categories ?? []).filter((r) => r && filled(r.key, r.nameZh, r.nameEn)).map((r) => r!),
    "C",
  ).map((r): CategoryDefinition => ({ key: r.key, nameZh: r.nameZh ?? "", nameEn: r.nameEn ?? "" }));
  const rubric = withKeys(
    (v.rubric ?? []).filter((r) => r && filled(r.key, r.nameZh, r.nameEn, r.maxPoints)).map((r) => r!),
    "R",
  ).map((r): RubricCriterion => ({ key: r.key, nameZh: r.nameZh ?? "", nameEn: r.nameEn ?? "", maxPoints: r.maxPoints ?? 0 }));
  const trancheSchedule = (v.trancheSchedule ?? [])
    .filter((r) => r && filled(r.percent, r.trigger))
    .map((r): TrancheStep => ({ percent: r!.percent!, trigger: r!.trigger! }));
  const dates = Object.fromEntries(DATE_FIELDS.map((f) => [f, shanghaiMidnight(v[f])!])) as Record<DateField, Date>;
  const budgetCaps = (v.budgetCaps ?? []).flatMap((r): BudgetCap[] => {
    if (!r || (r.percent === undefined && r.amount === undefined)) return [];
    const cap: BudgetCap = { category: r.category };
    if (r.percent !== undefined) cap.percent = r.percent;
    if (r.amount !== undefined) cap.maxFen = r.amount;
    return [cap];
  });
  return {
    title: v.title,
    titleEn: v.titleEn ? v.titleEn : null,
    description: v.description ?? "",
    poolFen: v.poolFen,
    minAwardFen: v.minAwardFen,
    maxAwardFen: v.maxAwardFen,
    categories,
    rubric,
    judgesPerProposal: v.judgesPerProposal,
    weightReview: v.weightReview,
    weightRoadshow: v.weightRoadshow,
    weightPublicVote: v.weightPublicVote,
    noticeDays: v.noticeDays,
    blindReview: v.blindReview ?? false,
    zScore: v.zScore ?? false,
    disagreementRange: v.disagreementRange ?? DEFAULT_DISAGREEMENT_RANGE,
    minScore: v.minScore ?? DEFAULT_MIN_SCORE,
    communityCapFen: v.communityCapFen ?? null,
    categoryCapFen: v.categoryCapFen ?? null,
    trancheSchedule,
    labourCapPercent: v.labourCapPercent,
    budgetCaps,
    maxProposalsPerOrg: v.maxProposalsPerOrg,
    eligibleOrgKinds: [...new Set(v.eligibleOrgKinds ?? [])].sort((a, b) => ORGANIZATION_KINDS.indexOf(a) - ORGANIZATION_KINDS.indexOf(b)),
    orgInRoundArea: v.orgInRoundArea ?? false,
    maxOpenProjects: v.maxOpenProjects ?? null,
    refuseTroubledOrgs: v.refuseTroubledOrgs ?? false,
    requiresDeliberation: v.requiresDeliberation ?? false,
    ...dates,
  };
}

const refine = (v: RawSettings, ctx: z.RefinementCtx) => {
  for (const issue of settingsIssues(v)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
};
/**
 * The cross-field checks run even when a field has its own problem, so that a refused form
 * names every problem at once (each check skips values that are not there or not numbers).
 */
const always = { when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null };

/**
 * The edit form of an existing round, as the browser validates it (Conform reads its field
 * constraints, which a transform at the root would hide). The server parses with
 * RoundSettingsSchema: the same checks, then blank rows dropped and dates made instants.
 */
export const RoundSettingsFormSchema = z.object(settingsShape).superRefine(refine, always);
export const RoundSettingsSchema = RoundSettingsFormSchema.transform(clean);

/**
 * The two forms of a round's admin page: saving the settings as loaded at `version` (the same
 * checks as RoundSettingsFormSchema; `roundSettingsOf` then drops blank rows and makes dates
 * instants) and moving the round to the phase `to`.
 */
export const RoundAdminIntents = z.discriminatedUnion("intent", [
  z
    .object({ intent: z.literal("save"), version: z.coerce.number({ error: "rounds.version.conflict" }).int().min(0), ...settingsShape })
    .superRefine(refine, always),
  z.object({ intent: z.literal("move"), to: z.string({ error: "rounds.phase.unknown" }).min(1, "rounds.phase.unknown") }),
]);

/** The budget-cap table as the form shows it: one row per budget category, blank cells where no cap is set. */
export function budgetCapFormRows(caps: readonly BudgetCap[]): { category: string; percent: string; amount: string }[] {
  return BUDGET_CATEGORIES.map((c) => {
    const cap = caps.find((x) => x.category === c.key);
    return { category: c.key, percent: cap?.percent === undefined ? "" : String(cap.percent), amount: cap?.maxFen === undefined ? "" : fenToInput(cap.maxFen) };
  });
}

/** The settings of a parsed save form, as RoundSettingsSchema gives them. */
export const roundSettingsOf = (v: RawSettings): RoundSettings => clean(v);

/** The set-up form: the settings plus the code, area and foundation (fixed once created). */
export const CreateRoundFormSchema = z.object({ ...createShape, ...settingsShape }).superRefine(refine, always);
export const CreateRoundSchema = CreateRoundFormSchema.transform((v) => ({
  code: v.code,
  areaId: v.areaId,
  foundationId: v.foundationId,
  budgetLineNo: v.budgetLineNo || null,
  ...clean(v),
}));

export type RoundSettings = z.output<typeof RoundSettingsSchema>;
export type CreateRoundInput = z.output<typeof CreateRoundSchema>;
export type SettingField = keyof RoundSettings;


// ---------------------------------------------------------------------------------------------
// The phase machine
// ---------------------------------------------------------------------------------------------

export const phaseIndex = (phase: Phase) => PHASES.indexOf(phase);
export const isPhase = (v: unknown): v is Phase => typeof v === "string" && (PHASES as readonly string[]).includes(v);

/** True when `phase` is `than` or later. */
export const phaseAtLeast = (phase: Phase, than: Phase) => phaseIndex(phase) >= phaseIndex(than);

/** The one phase a round may move to from `phase`; null once closed. */
export function nextPhase(phase: Phase): Phase | null {
  const i = phaseIndex(phase);
  return i >= 0 && i < PHASES.length - 1 ? PHASES[i + 1]! : null;
}

export type PhaseMoveProblem =
  | "rounds.phase.closed"
  | "rounds.phase.notNext"
  | "rounds.phase.unknown"
  | "rounds.phase.publishAwards"
  | "rounds.phase.awardsNotFinal";

/**
 * Null when `to` is exactly the phase after `from`; otherwise why the move is refused. The
 * public notice (NOTICE) opens only by publishing the proposed awards, and implementation starts
 * only once the awards are final (`awardsFinal`).
 */
export function phaseMoveProblem(from: Phase, to: string, awards: { final: boolean } = { final: false }): PhaseMoveProblem | null {
  if (!isPhase(from) || !isPhase(to)) return "rounds.phase.unknown";
  if (from === "CLOSED") return "rounds.phase.closed";
  if (nextPhase(from) !== to) return "rounds.phase.notNext";
  if (to === "NOTICE") return "rounds.phase.publishAwards";
  if (to === "IMPLEMENTATION" && !awards.final) return "rounds.phase.awardsNotFinal";
  return null;
}

/**
 * The phase from which each setting can no longer change. The rules proposals are checked
 * against are fixed when proposals open; how proposals are scored is fixed when review starts;
 * the pool is fixed when the award list goes on public notice; the date a phase starts is fixed
 * once it has started (the deadline may still move while proposals are open).
 */
export const FROZEN_FROM: Record<SettingField, Phase> = {
  title: "CLOSED",
  titleEn: "CLOSED",
  description: "CLOSED",
  poolFen: "NOTICE",
  minAwardFen: "PROPOSALS",
  maxAwardFen: "PROPOSALS",
  categories: "PROPOSALS",
  labourCapPercent: "PROPOSALS",
  budgetCaps: "PROPOSALS",
  maxProposalsPerOrg: "PROPOSALS",
  eligibleOrgKinds: "PROPOSALS",
  orgInRoundArea: "PROPOSALS",
  maxOpenProjects: "PROPOSALS",
  refuseTroubledOrgs: "PROPOSALS",
  // topics are published from NEEDS on: switching deliberation off then would skip it for some of them
  requiresDeliberation: "NEEDS",
  trancheSchedule: "PROPOSALS",
  implementationStartsAt: "PROPOSALS",
  implementationEndsAt: "PROPOSALS",
  rubric: "REVIEW",
  judgesPerProposal: "REVIEW",
  weightReview: "REVIEW",
  weightRoadshow: "REVIEW",
  weightPublicVote: "REVIEW",
  noticeDays: "NOTICE",
  blindReview: "REVIEW",
  zScore: "NOTICE",
  disagreementRange: "NOTICE",
  minScore: "NOTICE",
  communityCapFen: "NOTICE",
  categoryCapFen: "NOTICE",
  needsStartsAt: "NEEDS",
  proposalsStartsAt: "PROPOSALS",
  proposalsDeadline: "SCREENING",
  screeningStartsAt: "SCREENING",
  reviewStartsAt: "REVIEW",
  noticeStartsAt: "NOTICE",
  closesAt: "CLOSED",
};

export const SETTING_FIELDS = Object.keys(FROZEN_FROM) as SettingField[];

/** May `field` still change while the round is in `phase`? */
export const isEditable = (phase: Phase, field: SettingField) => phaseIndex(phase) < phaseIndex(FROZEN_FROM[field]);

/** The settings that may still change in `phase`. */
export function editableIn(phase: Phase): Set<SettingField> {
  return new Set(SETTING_FIELDS.filter((f) => isEditable(phase, f)));
}

/** Canonical JSON-able form of a setting's value, for comparing stored and submitted values. */
function comparable(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** The settings that differ between `before` and `after`. */
export function changedSettings(before: RoundSettings, after: RoundSettings): SettingField[] {
  return SETTING_FIELDS.filter((f) => comparable(before[f]) !== comparable(after[f]));
}

/** Changed settings that are frozen in `phase` (each refused with a field error). */
export function frozenChanges(phase: Phase, before: RoundSettings, after: RoundSettings): SettingField[] {
  return changedSettings(before, after).filter((f) => !isEditable(phase, f));
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON columns back (rows were validated when written; this keeps types honest)
// ---------------------------------------------------------------------------------------------

const asArray = (json: unknown): Record<string, unknown>[] =>
  Array.isArray(json) ? json.filter((x): x is Record<string, unknown> => !!x && typeof x === "object") : [];

export function categoriesOf(json: unknown): CategoryDefinition[] {
  return asArray(json).map((c) => ({ key: String(c.key ?? ""), nameZh: String(c.nameZh ?? ""), nameEn: String(c.nameEn ?? "") }));
}

export function rubricOf(json: unknown): RubricCriterion[] {
  return asArray(json).map((c) => ({
    key: String(c.key ?? ""),
    nameZh: String(c.nameZh ?? ""),
    nameEn: String(c.nameEn ?? ""),
    maxPoints: Number(c.maxPoints ?? 0),
  }));
}

export function trancheScheduleOf(json: unknown): TrancheStep[] {
  return asArray(json).map((s) => ({ percent: Number(s.percent ?? 0), trigger: String(s.trigger) as TrancheTrigger }));
}
