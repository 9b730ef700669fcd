/**
 * Monitoring (监测, PRODUCT.md step 10): milestone reports, expenses with receipts, spending per
 * budget line and budget adjustments. Pure rules shared by the services and the pages.
 */
import { parseMoney, moneyMessage } from "./money";
import { withParams } from "./messages";
import { budgetCapBreaches, budgetCapMessage, MAX_BUDGET_TOTAL_FEN, type BudgetCap } from "./proposals";
import { dayStart, shanghaiDay } from "~/lib/time";

/** Rows per page of every monitoring list. */
export const MONITORING_PAGE_SIZE = 20;

/** Photos of a report: JPEG, PNG or WebP only (what a phone takes and every browser shows). */
export const PHOTO_MIME_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const PHOTO_ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp";
export const REPORT_FILE_ACCEPT = ".pdf,.docx,.odt,.xlsx,.ods,application/pdf";
export const RECEIPT_ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf";
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
export const REPORT_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const RECEIPT_MAX_BYTES = 8 * 1024 * 1024;
/** Files attached in one request, per field. */
export const MAX_FILES_PER_REQUEST = 10;
/** Width of a photo's thumbnail (it is never enlarged). */
export const THUMBNAIL_WIDTH = 480;

export const NARRATIVE_MAX = 10_000;
export const COMMENT_MAX = 2_000;
export const PAYEE_MAX = 200;
export const DESCRIPTION_MAX = 2_000;
export const REASON_MAX = 2_000;
export const BENEFICIARIES_MAX = 1_000_000;

/** The value of the budget-line field that means "this spending is in no budget line". */
export const NOT_IN_BUDGET = "none";

export type FieldErrors = Record<string, string[]>;

function addError(errors: FieldErrors, field: string, key: string) {
  (errors[field] ??= []).push(key);
}

// ───────────────────────────── milestone reports ─────────────────────────────

export type ReportStatus = "DRAFT" | "SUBMITTED" | "RETURNED" | "APPROVED";

/** The grantee may change the text and files of a report only before it is submitted or after it is returned. */
export const reportEditable = (status: ReportStatus) => status === "DRAFT" || status === "RETURNED";
/** An official decides a submitted report only. */
export const reportDecidable = (status: ReportStatus) => status === "SUBMITTED";

export interface ReportInput {
  narrative: string;
  beneficiariesServed: string;
}

export interface ReportFields {
  narrative: string;
  beneficiariesServed: number | null;
}

/** What a draft may hold (anything within limits; empty is fine). */
export function parseReportDraft(input: ReportInput): { ok: true; value: ReportFields } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const narrative = input.narrative.replace(/\r\n/g, "\n").trim();
  if ([...narrative].length > NARRATIVE_MAX) addError(errors, "narrative", "monitoring.report.error.narrativeTooLong");
  const raw = input.beneficiariesServed.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  let beneficiariesServed: number | null = null;
  if (raw !== "") {
    if (!/^\d{1,7}$/.test(raw) || Number(raw) > BENEFICIARIES_MAX) addError(errors, "beneficiariesServed", "monitoring.report.error.beneficiaries");
    else beneficiariesServed = Number(raw);
  }
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { narrative, beneficiariesServed } };
}

/** What a report needs before it can be submitted: a narrative and the number of people served. */
export function submissionProblems(report: ReportFields): FieldErrors {
  const errors: FieldErrors = {};
  if (report.narrative.trim().length === 0) addError(errors, "narrative", "monitoring.report.error.narrativeRequired");
  if (report.beneficiariesServed === null) addError(errors, "beneficiariesServed", "monitoring.report.error.beneficiariesRequired");
  return errors;
}

// ───────────────────────────── decisions ─────────────────────────────

export type Decision = "APPROVED" | "RETURNED";

/**
 * An official's decision on a report or expense: returning needs a comment (what to fix);
 * approving may carry one. Returns the trimmed comment or an error key.
 */
export function parseDecision(decision: string, comment: string): { ok: true; decision: Decision; comment: string } | { ok: false; error: string } {
  if (decision !== "APPROVED" && decision !== "RETURNED") return { ok: false, error: "monitoring.decision.error.kind" };
  const c = comment.trim();
  if ([...c].length > COMMENT_MAX) return { ok: false, error: "monitoring.decision.error.commentTooLong" };
  if (decision === "RETURNED" && c.length === 0) return { ok: false, error: "monitoring.decision.error.commentRequired" };
  return { ok: true, decision, comment: c };
}

// ───────────────────────────── expenses ─────────────────────────────

export type ExpenseStatus = "SUBMITTED" | "RETURNED" | "APPROVED";
/** The grantee corrects an expense only after an official returned it. */
export const expenseEditable = (status: ExpenseStatus) => status === "RETURNED";

export interface ExpenseInput {
  spentOn: string;
  payee: string;
  amount: string;
  budgetLineId: string;
  description: string;
}

export interface ExpenseFields {
  /** Shanghai calendar day, YYYY-MM-DD */
  spentOn: string;
  payee: string;
  amountFen: number;
  /** null = not in the budget */
  budgetLineId: string | null;
  description: string;
}

export interface ExpenseContext {
  /** today in Shanghai, YYYY-MM-DD */
  today: string;
  /** the day the agreement was signed (Shanghai), YYYY-MM-DD; expenses cannot be older */
  agreementDay: string | null;
  /** the project's budget lines */
  budgetLineIds: readonly string[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-05" when it is a real calendar day, else null. */
export function validDay(value: string): string | null {
  const m = DAY.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return value.trim();
}

/** Midnight of a Shanghai day as an instant (what is stored for a date-only field). */
export { dayStart };
export { shanghaiDay };

/**
 * Checks an expense as typed: a real day neither in the future nor before the agreement, a
 * payee, a positive amount in yuan (→ integer fen), a budget line of this project or the explicit
 * "not in the budget" choice, a description within limits.
 */
export function validateExpense(input: ExpenseInput, ctx: ExpenseContext): { ok: true; value: ExpenseFields } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const day = input.spentOn.trim() === "" ? null : validDay(input.spentOn);
  if (input.spentOn.trim() === "") addError(errors, "spentOn", "monitoring.expense.error.dateRequired");
  else if (!day) addError(errors, "spentOn", "monitoring.expense.error.dateFormat");
  else if (day > ctx.today) addError(errors, "spentOn", "monitoring.expense.error.dateFuture");
  else if (ctx.agreementDay && day < ctx.agreementDay) addError(errors, "spentOn", "monitoring.expense.error.dateBeforeAgreement");

  const payee = input.payee.trim().replace(/\s+/g, " ");
  if (!payee) addError(errors, "payee", "monitoring.expense.error.payeeRequired");
  else if ([...payee].length > PAYEE_MAX) addError(errors, "payee", "monitoring.expense.error.payeeTooLong");

  // no expense of a project exceeds the largest budget a proposal may hold; the column is 32-bit
  const money = parseMoney(input.amount, MAX_BUDGET_TOTAL_FEN);
  let amountFen = 0;
  if (!money.ok) addError(errors, "amount", moneyMessage(money.problem));
  else if (money.fen <= 0) addError(errors, "amount", "money.tooSmall");
  else amountFen = money.fen;

  let budgetLineId: string | null = null;
  if (input.budgetLineId === NOT_IN_BUDGET) budgetLineId = null;
  else if (!input.budgetLineId) addError(errors, "budgetLineId", "monitoring.expense.error.lineRequired");
  else if (!ctx.budgetLineIds.includes(input.budgetLineId)) addError(errors, "budgetLineId", "monitoring.expense.error.lineUnknown");
  else budgetLineId = input.budgetLineId;

  const description = input.description.replace(/\r\n/g, "\n").trim();
  if ([...description].length > DESCRIPTION_MAX) addError(errors, "description", "monitoring.expense.error.descriptionTooLong");

  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { spentOn: day!, payee, amountFen, budgetLineId, description } };
}

// ───────────────────────────── spending per budget line ─────────────────────────────

export interface LineInput {
  id: string;
  agreedFen: number;
  budgetFen: number;
}

export interface ExpenseAmount {
  budgetLineId: string | null;
  status: ExpenseStatus;
  amountFen: number;
}

export interface LineSpending {
  id: string;
  agreedFen: number;
  budgetFen: number;
  approvedFen: number;
  /** submitted or returned, not yet approved */
  pendingFen: number;
  /** approved spend as a whole percentage of the current budget (rounded down); null when the budget is 0 and nothing is spent */
  percentUsed: number | null;
  /** approved spend exceeds the current budget by more than 10 % */
  overBudget: boolean;
  /** approved + pending would exceed it by more than 10 % */
  overBudgetIfApproved: boolean;
}

/** The over-budget rule (an alert above 10 %), in integers: spent > budget × 1.1. */
export const exceedsByTenPercent = (spentFen: number, budgetFen: number) => spentFen * 10 > budgetFen * 11;

export function percentOf(spentFen: number, budgetFen: number): number | null {
  if (budgetFen <= 0) return spentFen > 0 ? null : 0;
  return Math.floor((spentFen * 100) / budgetFen);
}

/** Spending against each line, and spending outside every line ("not in the budget"). */
export function spendingByLine(lines: readonly LineInput[], expenses: readonly ExpenseAmount[]) {
  const approved = new Map<string | null, number>();
  const pending = new Map<string | null, number>();
  const known = new Set(lines.map((l) => l.id));
  for (const e of expenses) {
    const key = e.budgetLineId !== null && known.has(e.budgetLineId) ? e.budgetLineId : null;
    const into = e.status === "APPROVED" ? approved : pending;
    into.set(key, (into.get(key) ?? 0) + e.amountFen);
  }
  const rows: LineSpending[] = lines.map((l) => {
    const a = approved.get(l.id) ?? 0;
    const p = pending.get(l.id) ?? 0;
    return {
      id: l.id,
      agreedFen: l.agreedFen,
      budgetFen: l.budgetFen,
      approvedFen: a,
      pendingFen: p,
      percentUsed: percentOf(a, l.budgetFen),
      overBudget: exceedsByTenPercent(a, l.budgetFen),
      overBudgetIfApproved: exceedsByTenPercent(a + p, l.budgetFen),
    };
  });
  const sum = (xs: number[]) => xs.reduce((s, n) => s + n, 0);
  return {
    lines: rows,
    offBudget: { approvedFen: approved.get(null) ?? 0, pendingFen: pending.get(null) ?? 0 },
    totals: {
      agreedFen: sum(rows.map((r) => r.agreedFen)),
      budgetFen: sum(rows.map((r) => r.budgetFen)),
      approvedFen: sum(rows.map((r) => r.approvedFen)) + (approved.get(null) ?? 0),
      pendingFen: sum(rows.map((r) => r.pendingFen)) + (pending.get(null) ?? 0),
    },
  };
}

// ───────────────────────────── budget adjustments ─────────────────────────────

export interface AdjustmentInput {
  fromLineId: string;
  toLineId: string;
  amount: string;
  reason: string;
}

export interface AdjustmentLine {
  id: string;
  budgetFen: number;
  /** approved spending booked to the line */
  approvedFen: number;
}

/**
 * Moving `amountFen` from one line to another: two different lines of the project, a positive
 * amount, and the from line never below what is already approved-spent on it.
 */
export function adjustmentProblem(from: AdjustmentLine | undefined, to: AdjustmentLine | undefined, amountFen: number): string | null {
  if (!from || !to) return "monitoring.adjustment.error.lineUnknown";
  if (from.id === to.id) return "monitoring.adjustment.error.sameLine";
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return "money.tooSmall";
  if (from.budgetFen - amountFen < from.approvedFen) return "monitoring.adjustment.error.belowSpent";
  return null;
}

/** The most that can be moved off a line now. */
export const movableFen = (from: AdjustmentLine) => Math.max(0, from.budgetFen - from.approvedFen);

/** The typed request, checked against the project's lines. */
export function validateAdjustment(
  input: AdjustmentInput,
  lines: readonly AdjustmentLine[],
): { ok: true; value: { fromLineId: string; toLineId: string; amountFen: number; reason: string } } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const from = lines.find((l) => l.id === input.fromLineId);
  const to = lines.find((l) => l.id === input.toLineId);
  if (!input.fromLineId) addError(errors, "fromLineId", "monitoring.adjustment.error.lineRequired");
  else if (!from) addError(errors, "fromLineId", "monitoring.adjustment.error.lineUnknown");
  if (!input.toLineId) addError(errors, "toLineId", "monitoring.adjustment.error.lineRequired");
  else if (!to) addError(errors, "toLineId", "monitoring.adjustment.error.lineUnknown");
  const money = parseMoney(input.amount);
  const reason = input.reason.replace(/\r\n/g, "\n").trim();
  if (!reason) addError(errors, "reason", "monitoring.adjustment.error.reasonRequired");
  else if ([...reason].length > REASON_MAX) addError(errors, "reason", "monitoring.adjustment.error.reasonTooLong");
  if (!money.ok) addError(errors, "amount", moneyMessage(money.problem));
  else if (from && to) {
    const problem = adjustmentProblem(from, to, money.fen);
    if (problem === "monitoring.adjustment.error.sameLine") addError(errors, "toLineId", problem);
    else if (problem) addError(errors, "amount", problem);
  } else if (money.fen <= 0) addError(errors, "amount", "money.tooSmall");
  if (Object.keys(errors).length || !money.ok) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { fromLineId: from!.id, toLineId: to!.id, amountFen: money.fen, reason } };
}

/**
 * The round's budget-category caps (the labour percent and `budgetCaps`) that moving `amountFen`
 * from one line to another would newly break or break further, as messages naming the category in
 * both languages. Only the receiving category grows (the total never changes), so only its caps
 * can be passed; a move within one category changes nothing. A budget that was already over a cap
 * when agreed may still move money out of that category.
 */
export function adjustmentCapProblems(
  lines: readonly { id: string; category: string; budgetFen: number }[],
  move: { fromLineId: string; toLineId: string; amountFen: number },
  round: { labourCapPercent: number; budgetCaps: readonly BudgetCap[] },
): string[] {
  const from = lines.find((l) => l.id === move.fromLineId);
  const to = lines.find((l) => l.id === move.toLineId);
  if (!from || !to || from.category === to.category || move.amountFen <= 0) return [];
  const byCategory: Record<string, number> = {};
  let totalFen = 0;
  for (const l of lines) {
    byCategory[l.category] = (byCategory[l.category] ?? 0) + l.budgetFen;
    totalFen += l.budgetFen;
  }
  const after = { ...byCategory, [from.category]: (byCategory[from.category] ?? 0) - move.amountFen, [to.category]: (byCategory[to.category] ?? 0) + move.amountFen };
  const labour: BudgetCap = { category: "LABOUR", percent: round.labourCapPercent };
  const caps = [labour, ...round.budgetCaps].filter((c) => c.category === to.category);
  return budgetCapBreaches(after, totalFen, caps).map((b) => {
    const m = budgetCapMessage(b);
    return withParams(m.key.replace("proposal.problem.", "monitoring.adjustment.error."), m.params);
  });
}

/** Both lines after an approved adjustment (the total budget never changes). */
export function applyAdjustment(from: { budgetFen: number }, to: { budgetFen: number }, amountFen: number) {
  return { fromBudgetFen: from.budgetFen - amountFen, toBudgetFen: to.budgetFen + amountFen };
}

/** The status filters of the expense list ("all" first). */
export const EXPENSE_FILTERS = ["all", "SUBMITTED", "RETURNED", "APPROVED"] as const;
export type ExpenseFilter = (typeof EXPENSE_FILTERS)[number];

// ───────────────────────────── the workspace's tabs ─────────────────────────────

/** Project states whose monitoring pages (reports, expenses, budget) exist: from the countersigned agreement on. */
export const MONITORING_STATES: readonly string[] = ["ACTIVE", "EVALUATION_FAILED", "CLOSED"];

/** Workspace pages that exist only once the agreement is signed by both sides. */
export const MONITORING_TABS = ["reports", "expenses", "budget"] as const;

/**
 * Whether a workspace tab leads anywhere for a project in `status`: the monitoring tabs open when
 * the agreement is countersigned (the project becomes ACTIVE); before that they are shown
 * disabled, saying when they open, rather than as links to a missing page.
 */
export function tabOpen(tab: string, status: string): boolean {
  return !(MONITORING_TABS as readonly string[]).includes(tab) || MONITORING_STATES.includes(status);
}
