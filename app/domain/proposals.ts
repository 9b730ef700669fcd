import { z } from "zod";
import { withParams } from "./messages";
import { formatFen } from "./money";
import { moneyFen } from "./money-schema";
import { isWithin } from "./permissions";
import { eligibilityProblems, type EligibilityRules, type OrganizationStanding } from "./eligibility";
import { dayStart, shanghaiDay } from "~/lib/time";

/**
 * Proposals (接单): the draft form, its totals, the rules a submission must pass and the frozen
 * snapshot. Pure: no I/O, so the browser and the server run the same checks.
 */

export const BUDGET_CATEGORIES = [
  { key: "LABOUR", nameZh: "人员劳务费", nameEn: "Labour" },
  { key: "MATERIALS", nameZh: "物资材料费", nameEn: "Materials and supplies" },
  { key: "VENUE", nameZh: "场地租赁费", nameEn: "Venue rental" },
  { key: "PUBLICITY", nameZh: "宣传印刷费", nameEn: "Publicity and printing" },
  { key: "TRAINING", nameZh: "培训与专家费", nameEn: "Training and experts" },
  { key: "OTHER", nameZh: "其他", nameEn: "Other" },
] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number]["key"];
export const BUDGET_CATEGORY_KEYS = BUDGET_CATEGORIES.map((c) => c.key) as [BudgetCategory, ...BudgetCategory[]];

export const BENEFICIARY_GROUPS = ["ELDERLY", "CHILDREN", "YOUTH", "DISABLED", "FAMILIES", "NEW_RESIDENTS", "ALL_RESIDENTS", "OTHER"] as const;
export type BeneficiaryGroup = (typeof BENEFICIARY_GROUPS)[number];

export const budgetCategoryName = (key: string, locale: string) => {
  const c = BUDGET_CATEGORIES.find((x) => x.key === key);
  return c ? (locale === "en" ? c.nameEn : c.nameZh) : key;
};

/** Rows a form may hold; blank rows are dropped on save. */
export const MAX_MILESTONES = 20;
export const MAX_BUDGET_LINES = 40;
export const MAX_TEAM = 20;
export const MAX_QUANTITY = 100_000;
/** ¥1,000,000 per unit, ¥10,000,000 per line, ¥20,000,000 for a whole budget: anything above is a typo. */
export const MAX_UNIT_PRICE_FEN = 100_000_000;
export const MAX_LINE_TOTAL_FEN = 1_000_000_000;
export const MAX_BUDGET_TOTAL_FEN = 2_000_000_000;
export const MAX_BENEFICIARIES = 10_000_000;

// ───────────────────────────── the draft form ─────────────────────────────

const text = (max: number) => z.string().trim().max(max, "validation.tooLong").optional();

/** A whole number typed as text: "" is "not yet filled in", anything else must be an integer in range. */
const wholeNumber = (max: number) =>
  z
    .string()
    .transform((raw, ctx) => {
      const s = raw.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s,，]/g, "");
      if (s === "") return undefined;
      if (/^-\d+$/.test(s)) {
        ctx.addIssue({ code: "custom", message: "proposal.error.negative" });
        return z.NEVER;
      }
      if (!/^\d+$/.test(s)) {
        ctx.addIssue({ code: "custom", message: "proposal.error.integer" });
        return z.NEVER;
      }
      const n = Number(s);
      if (n > max) {
        ctx.addIssue({ code: "custom", message: "proposal.error.tooLarge" });
        return z.NEVER;
      }
      return n;
    })
    .optional();

/** "2027-03-01", a date that exists. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const dateText = z
  .string()
  .trim()
  .refine((s) => s === "" || isCalendarDate(s), "proposal.error.date")
  .optional();

const milestoneRow = z.object({ title: text(100), dueOn: dateText, deliverable: text(500) });
const budgetLineRow = z.object({
  category: z.enum(BUDGET_CATEGORY_KEYS, { error: "proposal.error.budgetCategory" }).optional(),
  item: text(100),
  quantity: wholeNumber(MAX_QUANTITY),
  unitPrice: moneyFen({ optional: true, maxFen: MAX_UNIT_PRICE_FEN }),
});
const teamRow = z.object({ name: text(50), role: text(50), experience: text(500) });

/**
 * The draft form. It accepts anything incomplete — a draft may be saved at any time — and
 * refuses only what cannot be stored: malformed amounts, numbers and dates, absurd totals.
 * The rules of a complete proposal are `submissionProblems`.
 */
const draftShape = {
  title: text(100),
  summary: text(2000),
  communityId: z.string().optional(),
  category: z.string().max(50).optional(),
  needIds: z.array(z.string().max(40)).max(50).optional(),
  beneficiaryGroups: z.array(z.enum(BENEFICIARY_GROUPS, { error: "proposal.error.group" })).optional(),
  beneficiaryCount: wholeNumber(MAX_BENEFICIARIES),
  activityPlan: text(5000),
  coFunding: moneyFen({ optional: true, maxFen: MAX_BUDGET_TOTAL_FEN }),
  milestones: z.array(milestoneRow).max(MAX_MILESTONES, "proposal.error.tooManyRows").optional(),
  budgetLines: z.array(budgetLineRow).max(MAX_BUDGET_LINES, "proposal.error.tooManyRows").optional(),
  team: z.array(teamRow).max(MAX_TEAM, "proposal.error.tooManyRows").optional(),
};

/** No line and no budget larger than can be stored. */
function budgetWithinLimits(v: { budgetLines?: { quantity?: number; unitPrice?: number }[] }, ctx: z.RefinementCtx) {
  let sum = 0;
  (v.budgetLines ?? []).forEach((line, i) => {
    const total = lineTotal(line.quantity ?? 0, line.unitPrice ?? 0);
    if (total > MAX_LINE_TOTAL_FEN) ctx.addIssue({ code: "custom", path: ["budgetLines", i, "unitPrice"], message: "proposal.error.lineTooLarge" });
    sum += total;
  });
  if (sum > MAX_BUDGET_TOTAL_FEN) ctx.addIssue({ code: "custom", path: ["budgetLines"], message: "proposal.error.budgetTooLarge" });
}

export const DraftSchema = z.object(draftShape).superRefine(budgetWithinLimits);

/**
 * The draft page's forms: saving the draft, or saving and submitting it (both with the version
 * the form was loaded with and an optional new attachment), removing an attachment, and deleting
 * the draft.
 */
const draftPost = {
  ...draftShape,
  version: z.coerce.number().int().min(0),
  attachment: z.instanceof(File).optional(),
  attachmentLabel: z.string().optional(),
};
export const ProposalEditIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), ...draftPost }).superRefine(budgetWithinLimits),
  // "submit" saves, checks the round's rules and asks to confirm; the confirmation sends `confirmed`
  z.object({ intent: z.literal("submit"), confirmed: z.literal("1").optional(), ...draftPost }).superRefine(budgetWithinLimits),
  z.object({ intent: z.literal("removeAttachment"), attachmentId: z.string().min(1) }),
  z.object({ intent: z.literal("deleteDraft") }),
]);

export type DraftInput = z.output<typeof DraftSchema>;

export interface DraftMilestone {
  title: string;
  /** "YYYY-MM-DD" in China time, or null */
  dueOn: string | null;
  deliverable: string;
}
export interface DraftBudgetLine {
  category: string;
  item: string;
  /** 0 = not filled in yet */
  quantity: number;
  /** fen; 0 = not filled in yet */
  unitPriceFen: number;
}
export interface DraftTeamMember {
  name: string;
  role: string;
  experience: string;
}

/** A proposal's content as stored while it is a draft. */
export interface Draft {
  title: string;
  summary: string;
  communityId: string | null;
  category: string | null;
  needIds: string[];
  beneficiaryGroups: string[];
  beneficiaryCount: number | null;
  activityPlan: string;
  coFundingFen: number;
  milestones: DraftMilestone[];
  budgetLines: DraftBudgetLine[];
  team: DraftTeamMember[];
}

/** Which row of the form each stored row came from (blank rows are dropped). */
export interface RowSources {
  milestones: number[];
  budgetLines: number[];
  team: number[];
}

const filled = (s: string | undefined | null) => !!s && s.trim() !== "";

/** Parsed form → the draft to store, without blank rows, remembering where each row came from. */
export function normalizeDraft(input: DraftInput): { draft: Draft; sources: RowSources } {
  const sources: RowSources = { milestones: [], budgetLines: [], team: [] };
  const milestones: DraftMilestone[] = [];
  (input.milestones ?? []).forEach((m, i) => {
    if (!filled(m.title) && !filled(m.dueOn) && !filled(m.deliverable)) return;
    sources.milestones.push(i);
    milestones.push({ title: m.title ?? "", dueOn: filled(m.dueOn) ? m.dueOn!.trim() : null, deliverable: m.deliverable ?? "" });
  });
  const budgetLines: DraftBudgetLine[] = [];
  (input.budgetLines ?? []).forEach((l, i) => {
    if (!filled(l.item) && l.quantity === undefined && l.unitPrice === undefined) return;
    sources.budgetLines.push(i);
    budgetLines.push({ category: l.category ?? "OTHER", item: l.item ?? "", quantity: l.quantity ?? 0, unitPriceFen: l.unitPrice ?? 0 });
  });
  const team: DraftTeamMember[] = [];
  (input.team ?? []).forEach((m, i) => {
    if (!filled(m.name) && !filled(m.role) && !filled(m.experience)) return;
    sources.team.push(i);
    team.push({ name: m.name ?? "", role: m.role ?? "", experience: m.experience ?? "" });
  });
  return {
    draft: {
      title: input.title ?? "",
      summary: input.summary ?? "",
      communityId: filled(input.communityId) ? input.communityId! : null,
      category: filled(input.category) ? input.category! : null,
      needIds: [...new Set(input.needIds ?? [])],
      beneficiaryGroups: [...new Set(input.beneficiaryGroups ?? [])],
      beneficiaryCount: input.beneficiaryCount ?? null,
      activityPlan: input.activityPlan ?? "",
      coFundingFen: input.coFunding ?? 0,
      milestones,
      budgetLines,
      team,
    },
    sources,
  };
}

/**
 * Field path of a stored row → the same row in the form it came from, so that errors land next
 * to what the person typed: `budgetLines[1].unitPrice` → `budgetLines[3].unitPrice`.
 */
export function fieldInForm(field: string, sources: RowSources): string {
  return field.replace(/^(milestones|budgetLines|team)\[(\d+)\]/, (whole, list: keyof RowSources, i: string) => {
    const source = sources[list][Number(i)];
    return source === undefined ? whole : `${list}[${source}]`;
  });
}

// ───────────────────────────── totals ─────────────────────────────

/** quantity × unit price, integers in and out. */
export function lineTotal(quantity: number, unitPriceFen: number): number {
  if (!Number.isSafeInteger(quantity) || !Number.isSafeInteger(unitPriceFen)) throw new RangeError("line amounts must be integers");
  return quantity * unitPriceFen;
}

export interface ProposalTotals {
  totalFen: number;
  byCategory: Record<string, number>;
  labourFen: number;
  /** labour as a percentage of the total, for display (one decimal); 0 for an empty budget */
  labourPercent: number;
}

export function proposalTotals(lines: readonly Pick<DraftBudgetLine, "category" | "quantity" | "unitPriceFen">[]): ProposalTotals {
  const byCategory: Record<string, number> = {};
  let totalFen = 0;
  for (const l of lines) {
    const t = lineTotal(l.quantity, l.unitPriceFen);
    byCategory[l.category] = (byCategory[l.category] ?? 0) + t;
    totalFen += t;
  }
  const labourFen = byCategory.LABOUR ?? 0;
  return { totalFen, byCategory, labourFen, labourPercent: totalFen === 0 ? 0 : Math.round((labourFen * 1000) / totalFen) / 10 };
}

/** labour ≤ cap % of total, decided in integers (no rounding). */
export const labourWithinCap = (labourFen: number, totalFen: number, capPercent: number) => labourFen * 100 <= capPercent * totalFen;

// ───────────────────────────── caps per budget category ─────────────────────────────

/**
 * A round's cap on one budget category (besides the labour percent, `labourCapPercent`): at most
 * `percent` of the requested total and/or at most `maxFen`. Stored on Round.budgetCaps.
 */
export interface BudgetCap {
  category: BudgetCategory;
  percent?: number;
  maxFen?: number;
}

export const isBudgetCategory = (v: unknown): v is BudgetCategory => typeof v === "string" && (BUDGET_CATEGORY_KEYS as readonly string[]).includes(v);

/** The caps as stored (rows were validated when written; this keeps types honest). */
export function budgetCapsOf(json: unknown): BudgetCap[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((row): BudgetCap[] => {
    if (!row || typeof row !== "object") return [];
    const r = row as Record<string, unknown>;
    if (!isBudgetCategory(r.category)) return [];
    const cap: BudgetCap = { category: r.category };
    if (typeof r.percent === "number" && Number.isInteger(r.percent)) cap.percent = r.percent;
    if (typeof r.maxFen === "number" && Number.isSafeInteger(r.maxFen)) cap.maxFen = r.maxFen;
    return cap.percent !== undefined || cap.maxFen !== undefined ? [cap] : [];
  });
}

/** A budget category's cap that a budget passes: which category, which cap, the amounts. */
export interface BudgetCapBreach {
  category: BudgetCategory;
  kind: "percent" | "amount";
  amountFen: number;
  totalFen: number;
  cap: number;
}

/**
 * Every cap of `caps` that the budget (fen per category, and its total) passes, decided in
 * integers: percent caps as amount × 100 ≤ percent × total, amount caps as amount ≤ maxFen.
 */
export function budgetCapBreaches(byCategory: Readonly<Record<string, number>>, totalFen: number, caps: readonly BudgetCap[]): BudgetCapBreach[] {
  const out: BudgetCapBreach[] = [];
  for (const cap of caps) {
    const amountFen = byCategory[cap.category] ?? 0;
    if (cap.percent !== undefined && amountFen * 100 > cap.percent * totalFen) out.push({ category: cap.category, kind: "percent", amountFen, totalFen, cap: cap.percent });
    if (cap.maxFen !== undefined && amountFen > cap.maxFen) out.push({ category: cap.category, kind: "amount", amountFen, totalFen, cap: cap.maxFen });
  }
  return out;
}

/**
 * A breach as a message key with its values; the category is named in both languages
 * (`categoryZh`/`categoryEn`) so each language's message picks its label.
 */
export function budgetCapMessage(b: BudgetCapBreach): { key: string; params: Record<string, string | number> } {
  const c = BUDGET_CATEGORIES.find((x) => x.key === b.category)!;
  const names = { categoryZh: c.nameZh, categoryEn: c.nameEn, amount: formatFen(b.amountFen) };
  if (b.kind === "percent") {
    const share = b.totalFen === 0 ? 0 : Math.round((b.amountFen * 1000) / b.totalFen) / 10;
    return { key: "proposal.problem.budgetCapPercent", params: { ...names, share, cap: b.cap } };
  }
  return { key: "proposal.problem.budgetCapAmount", params: { ...names, max: formatFen(b.cap) } };
}

// ───────────────────────────── submission rules ─────────────────────────────

/** A problem with a draft: where (a form field path, "" for the whole form), what (message key), and its values. */
export interface RuleProblem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** The rules of a round that a submission is checked against. */
export interface RoundRules {
  code: string;
  phase: string;
  areaPath: string;
  minAwardFen: number;
  maxAwardFen: number;
  labourCapPercent: number;
  /** caps on other budget categories (or on labour as an amount); empty = none */
  budgetCaps: readonly BudgetCap[];
  maxProposalsPerOrg: number;
  categories: readonly { key: string }[];
  proposalsDeadline: Date;
  implementationStartsAt: Date;
  implementationEndsAt: Date;
}

export interface SubmissionContext {
  now: Date;
  /** the organization's active (submitted or eligible) proposals in this round, not counting this one */
  activeCount: number;
  /** the chosen community, when it exists */
  community: { path: string; level: string } | null;
  /** ids of the needs published as topics of this round */
  publishedNeedIds: readonly string[];
}

export { dayStart, shanghaiDay };

/**
 * Every reason `draft` cannot be submitted to `round`, all at once, each keyed by the form field
 * it is about. Empty means it may be submitted.
 */
export function submissionProblems(draft: Draft, round: RoundRules, ctx: SubmissionContext): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (field: string, key: string, params?: RuleProblem["params"]) => problems.push(params ? { field, key, params } : { field, key });

  if (round.phase !== "PROPOSALS") add("", "proposal.problem.roundClosed");
  else if (ctx.now.getTime() >= round.proposalsDeadline.getTime()) add("", "proposal.problem.deadlinePassed");
  if (ctx.activeCount >= round.maxProposalsPerOrg) add("", "proposal.problem.tooManyActive", { max: round.maxProposalsPerOrg });

  if (!filled(draft.title)) add("title", "proposal.problem.required");
  if (!filled(draft.summary)) add("summary", "proposal.problem.required");
  if (!draft.communityId) add("communityId", "proposal.problem.required");
  else if (!ctx.community || !["COMMUNITY", "VILLAGE"].includes(ctx.community.level) || !isWithin(ctx.community.path, round.areaPath)) {
    add("communityId", "proposal.problem.communityOutside");
  }
  if (!draft.category) add("category", "proposal.problem.required");
  else if (!round.categories.some((c) => c.key === draft.category)) add("category", "proposal.problem.categoryUnknown");
  if (draft.needIds.some((id) => !ctx.publishedNeedIds.includes(id))) add("needIds", "proposal.problem.needNotTopic");
  if (draft.beneficiaryGroups.length === 0) add("beneficiaryGroups", "proposal.problem.required");
  if (draft.beneficiaryCount === null || draft.beneficiaryCount < 1) add("beneficiaryCount", "proposal.problem.beneficiaryCount");
  if (!filled(draft.activityPlan)) add("activityPlan", "proposal.problem.required");

  if (draft.milestones.length === 0) add("milestones", "proposal.problem.noMilestones");
  const from = shanghaiDay(round.implementationStartsAt);
  const to = shanghaiDay(round.implementationEndsAt);
  draft.milestones.forEach((m, i) => {
    if (!filled(m.title)) add(`milestones[${i}].title`, "proposal.problem.required");
    if (!m.dueOn) add(`milestones[${i}].dueOn`, "proposal.problem.required");
    else if (m.dueOn < from || m.dueOn > to) add(`milestones[${i}].dueOn`, "proposal.problem.dueOutside", { from, to });
    if (!filled(m.deliverable)) add(`milestones[${i}].deliverable`, "proposal.problem.required");
  });

  if (draft.budgetLines.length === 0) add("budgetLines", "proposal.problem.noBudgetLines");
  draft.budgetLines.forEach((l, i) => {
    if (!BUDGET_CATEGORY_KEYS.includes(l.category as BudgetCategory)) add(`budgetLines[${i}].category`, "proposal.problem.required");
    if (!filled(l.item)) add(`budgetLines[${i}].item`, "proposal.problem.required");
    if (l.quantity < 1) add(`budgetLines[${i}].quantity`, "proposal.problem.quantity");
    if (l.unitPriceFen <= 0) add(`budgetLines[${i}].unitPrice`, "proposal.problem.unitPrice");
  });
  const totals = proposalTotals(draft.budgetLines);
  if (draft.budgetLines.length > 0 && (totals.totalFen < round.minAwardFen || totals.totalFen > round.maxAwardFen)) {
    add("budgetLines", "proposal.problem.totalRange", {
      total: formatFen(totals.totalFen),
      min: formatFen(round.minAwardFen),
      max: formatFen(round.maxAwardFen),
    });
  }
  if (!labourWithinCap(totals.labourFen, totals.totalFen, round.labourCapPercent)) {
    add("budgetLines", "proposal.problem.labourCap", { cap: round.labourCapPercent, labour: formatFen(totals.labourFen), share: totals.labourPercent });
  }
  for (const breach of budgetCapBreaches(totals.byCategory, totals.totalFen, round.budgetCaps)) {
    const m = budgetCapMessage(breach);
    add("budgetLines", m.key, m.params);
  }

  if (draft.team.length === 0) add("team", "proposal.problem.noTeam");
  draft.team.forEach((m, i) => {
    if (!filled(m.name)) add(`team[${i}].name`, "proposal.problem.required");
  });
  return problems;
}

/** What `unmetRules` reads besides the draft and the round: the submission context and, when the round restricts who may apply, the organization's standing. */
export interface RulesContext extends SubmissionContext {
  eligibility?: { rules: EligibilityRules; standing: OrganizationStanding };
}

/**
 * Every rule of the round that `draft` does not meet yet — the organization's eligibility first
 * (no edit of the draft mends it, so it is named before anything else), then required fields,
 * budget range, caps, dates and limits (`submissionProblems`). The one list both the progress bar
 * and submission read: the bar never says "ready" while submission would refuse.
 */
export function unmetRules(draft: Draft, round: RoundRules, ctx: RulesContext): RuleProblem[] {
  const eligibility = ctx.eligibility
    ? eligibilityProblems(ctx.eligibility.rules, ctx.eligibility.standing, round.areaPath).map((p): RuleProblem => (p.params ? { field: "", key: p.key, params: p.params } : { field: "", key: p.key }))
    : [];
  return [...eligibility, ...submissionProblems(draft, round, ctx)];
}

/**
 * Problems as Conform field errors: `{ "budgetLines[2].unitPrice": ["key|{…params}"] }`, the whole
 * form under "". A message with values carries them after a `|` as JSON (`withParams`, read back by translate()).
 */
export function problemsAsFieldErrors(problems: readonly RuleProblem[], sources?: RowSources): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    const field = sources ? fieldInForm(p.field, sources) : p.field;
    (out[field] ??= []).push(p.params ? withParams(p.key, p.params) : p.key);
  }
  return out;
}


// ───────────────────────────── progress ─────────────────────────────

export interface Completeness {
  done: number;
  total: number;
  missing: { field: string; key: string }[];
}

/** What a draft still lacks, for the progress bar ("已完成 7/12"). Needs answered are optional. */
export function completeness(draft: Draft): Completeness {
  const checks: [string, string, boolean][] = [
    ["title", "proposal.missing.title", filled(draft.title)],
    ["summary", "proposal.missing.summary", filled(draft.summary)],
    ["communityId", "proposal.missing.community", !!draft.communityId],
    ["category", "proposal.missing.category", !!draft.category],
    ["beneficiaryGroups", "proposal.missing.beneficiaryGroups", draft.beneficiaryGroups.length > 0],
    ["beneficiaryCount", "proposal.missing.beneficiaryCount", (draft.beneficiaryCount ?? 0) >= 1],
    ["activityPlan", "proposal.missing.activityPlan", filled(draft.activityPlan)],
    ["milestones", "proposal.missing.milestones", draft.milestones.length > 0],
    [
      "milestones",
      "proposal.missing.milestoneDetails",
      draft.milestones.length > 0 && draft.milestones.every((m) => filled(m.title) && !!m.dueOn && filled(m.deliverable)),
    ],
    ["budgetLines", "proposal.missing.budgetLines", draft.budgetLines.length > 0],
    [
      "budgetLines",
      "proposal.missing.budgetDetails",
      draft.budgetLines.length > 0 && draft.budgetLines.every((l) => filled(l.item) && l.quantity >= 1 && l.unitPriceFen > 0),
    ],
    ["team", "proposal.missing.team", draft.team.some((m) => filled(m.name))],
  ];
  const missing = checks.filter(([, , ok]) => !ok).map(([field, key]) => ({ field, key }));
  return { done: checks.length - missing.length, total: checks.length, missing };
}

/** Rule problems that `completeness` already counts as a field still to fill in (not shown twice). */
const FILL_IN_KEYS = new Set([
  "proposal.problem.required",
  "proposal.problem.noMilestones",
  "proposal.problem.noBudgetLines",
  "proposal.problem.noTeam",
  "proposal.problem.beneficiaryCount",
  "proposal.problem.quantity",
  "proposal.problem.unitPrice",
]);

export interface DraftProgress extends Completeness {
  /** the round's rules the draft breaks that are not a field left empty: budget range, caps, dates, eligibility … */
  unmet: RuleProblem[];
  /** nothing missing and no rule broken: submission would be accepted */
  ready: boolean;
}

/**
 * The progress bar: the fields filled in (`completeness`) and the round's rules not yet met
 * (`unmetRules`, without those that only repeat a missing field). Ready only when both are empty.
 */
export function draftProgress(draft: Draft, unmet: readonly RuleProblem[]): DraftProgress {
  const c = completeness(draft);
  const rules = unmet.filter((p) => !FILL_IN_KEYS.has(p.key));
  return { ...c, unmet: rules, ready: c.missing.length === 0 && unmet.length === 0 };
}

// ───────────────────────────── submission ─────────────────────────────

/** "JN7" and 42 → "JN7-0042" (more digits once a round passes 9,999 proposals). */
export function referenceNumber(code: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`not a sequence number: ${seq}`);
  return `${code}-${String(seq).padStart(4, "0")}`;
}

export interface SnapshotInput {
  referenceNo: string;
  submittedAt: Date;
  submittedBy: { id: string; name: string };
  round: { id: string; code: string; title: string };
  organization: { id: string; name: string; kind: string };
  community: { id: string; code: string; nameZh: string; nameEn: string } | null;
  needs: readonly { id: string; number: number; title: string }[];
  attachments: readonly { id: string; uploadId: string; label: string; name: string; mimeType: string; sizeBytes: number; sha256: string }[];
  draft: Draft;
}

/** The frozen copy of a submitted proposal: everything it said, with its totals, as plain JSON. */
export function snapshotOf(s: SnapshotInput) {
  const totals = proposalTotals(s.draft.budgetLines);
  return {
    referenceNo: s.referenceNo,
    submittedAt: s.submittedAt.toISOString(),
    submittedBy: s.submittedBy,
    round: s.round,
    organization: s.organization,
    title: s.draft.title,
    summary: s.draft.summary,
    community: s.community,
    category: s.draft.category,
    needs: [...s.needs],
    beneficiaryGroups: [...s.draft.beneficiaryGroups],
    beneficiaryCount: s.draft.beneficiaryCount,
    activityPlan: s.draft.activityPlan,
    coFundingFen: s.draft.coFundingFen,
    milestones: s.draft.milestones.map((m) => ({ ...m })),
    budgetLines: s.draft.budgetLines.map((l) => ({ ...l, totalFen: lineTotal(l.quantity, l.unitPriceFen) })),
    team: s.draft.team.map((m) => ({ ...m })),
    attachments: [...s.attachments],
    totals,
  };
}

export type ProposalSnapshot = ReturnType<typeof snapshotOf>;

export const PROPOSAL_STATUSES = ["DRAFT", "SUBMITTED", "WITHDRAWN", "ELIGIBLE", "INELIGIBLE"] as const;
export const PROPOSAL_PAGE_SIZES = [20, 50, 100] as const;

/** Which proposals count against an organization's limit in a round. */
export const ACTIVE_STATUSES = ["SUBMITTED", "ELIGIBLE"] as const;

/** A submitted proposal may be withdrawn only while the round still takes proposals. */
export const canWithdraw = (status: string, roundPhase: string) => status === "SUBMITTED" && roundPhase === "PROPOSALS";
