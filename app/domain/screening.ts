import { z } from "zod";
import { isNeedCategory, type NeedCategory } from "./categories";
import { phaseAtLeast, type Phase } from "./rounds";
import { CURSOR_PARAM, PAGE_PARAM, parsePageNumber } from "./keyset";

/**
 * Screening (资格审查): officials mark submitted proposals eligible or ineligible. Pure rules:
 * the decision form, which proposals a decision may touch, when a reason is required, and which
 * list the public sees in each phase of the round.
 */

export const SCREENING_OUTCOMES = ["ELIGIBLE", "INELIGIBLE"] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

/** The statuses the screening queue lists: never drafts, never withdrawn proposals. */
export const SCREENABLE_STATUSES = ["SUBMITTED", "ELIGIBLE", "INELIGIBLE"] as const;
export type ScreenableStatus = (typeof SCREENABLE_STATUSES)[number];
export const isScreenableStatus = (v: unknown): v is ScreenableStatus =>
  typeof v === "string" && (SCREENABLE_STATUSES as readonly string[]).includes(v);

export const SCREENING_PAGE_SIZES = [20, 50, 100] as const;
export const SCREENING_DEFAULT_PAGE_SIZE = 20;
/** Most proposals one bulk decision may carry (a page of 100 plus room). */
export const MAX_BULK = 200;
export const REASON_MAX = 500;
const SEARCH_MAX = 50;

/** Decisions are taken only while the round is in SCREENING; the queue is read-only otherwise. */
export const canDecideIn = (phase: string) => phase === "SCREENING";

/**
 * The decision form: the selected proposals, the outcome (the button pressed) and a reason.
 * A reason is required to mark ineligible; reversals are checked against the current decisions
 * (`decisionProblems`), since only the server knows them.
 */
export const DecisionSchema = z
  .object({
    ids: z
      .array(z.string().min(1).max(64), { error: "screening.error.noneSelected" })
      .min(1, "screening.error.noneSelected")
      .max(MAX_BULK, "screening.error.tooMany"),
    outcome: z.enum(SCREENING_OUTCOMES, { error: "screening.error.outcome" }),
    reason: z.string().trim().max(REASON_MAX, "validation.tooLong").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "INELIGIBLE" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "screening.error.reasonRequired" });
  });
export type DecisionInput = z.output<typeof DecisionSchema>;

/** The screening page's one form as posted, before it is read as a decision (`decisionOf`). */
export interface ScreeningForm {
  ids?: string[];
  outcome?: string;
  single?: string;
  reason?: string;
}

/**
 * The decision a posted screening form asks for: the checked rows (`ids`) and the pressed
 * button's outcome, or one row's button (`single` = "OUTCOME:id"), which decides that row alone.
 */
export function decisionOf(form: ScreeningForm): { ids: string[]; outcome: string; reason?: string } {
  const at = form.single ? form.single.indexOf(":") : -1;
  if (form.single && at > 0) return { ids: [form.single.slice(at + 1)], outcome: form.single.slice(0, at), reason: form.reason ?? "" };
  return { ids: form.ids ?? [], outcome: form.outcome ?? "", reason: form.reason ?? "" };
}

/** The screening form, read as a decision and checked like one (browser and server alike). */
export const ScreeningFormSchema = z
  .object({
    ids: z.array(z.string()).optional(),
    outcome: z.string().optional(),
    single: z.string().optional(),
    reason: z.string().optional(),
  })
  .transform(decisionOf)
  .pipe(DecisionSchema);

/** The state of one selected proposal as the server sees it under its row lock. */
export interface ScreeningTarget {
  id: string;
  referenceNo: string | null;
  status: string;
  /** the latest decision, if any */
  latestDecisionId: string | null;
}

export type DecisionProblem =
  | { key: "screening.error.phase" }
  | { key: "screening.error.notScreenable"; referenceNo: string }
  | { key: "screening.error.reversalReason"; referenceNo: string };

export interface DecisionPlan {
  /** proposals whose status changes, with the decision each reverses (null for a first decision) */
  changes: { id: string; referenceNo: string; from: ScreenableStatus; reversesId: string | null }[];
  /** proposals that already have this outcome: nothing is written for them */
  unchanged: string[];
}

/**
 * What one decision does to the selected proposals, or every reason it cannot be taken. All or
 * nothing: a single problem refuses the whole decision. Changing an existing decision is a
 * reversal and needs a reason; marking a proposal again with the outcome it has changes nothing.
 */
export function planDecision(
  phase: string,
  outcome: ScreeningOutcome,
  reason: string | undefined,
  targets: readonly ScreeningTarget[],
): { ok: true; plan: DecisionPlan } | { ok: false; problems: DecisionProblem[] } {
  if (!canDecideIn(phase)) return { ok: false, problems: [{ key: "screening.error.phase" }] };
  const problems: DecisionProblem[] = [];
  const plan: DecisionPlan = { changes: [], unchanged: [] };
  for (const t of targets) {
    const referenceNo = t.referenceNo ?? t.id;
    if (!isScreenableStatus(t.status)) {
      problems.push({ key: "screening.error.notScreenable", referenceNo });
      continue;
    }
    if (t.status === outcome) {
      plan.unchanged.push(referenceNo);
      continue;
    }
    const reversing = t.status !== "SUBMITTED";
    if (reversing && !reason) {
      problems.push({ key: "screening.error.reversalReason", referenceNo });
      continue;
    }
    plan.changes.push({ id: t.id, referenceNo, from: t.status, reversesId: reversing ? t.latestDecisionId : null });
  }
  return problems.length ? { ok: false, problems } : { ok: true, plan };
}

/** The inbox/email kind of a decision: first eligible, first ineligible, or a reversal. */
export const notificationKind = (outcome: ScreeningOutcome, reversal: boolean) =>
  reversal ? "screeningReversed" : outcome === "ELIGIBLE" ? "screeningEligible" : "screeningIneligible";

// ───────────────────────────── lists ─────────────────────────────

export interface ScreeningQuery {
  status: ScreenableStatus | null;
  /** a community or village code */
  community: string | null;
  category: string | null;
  /** title or reference number, whitespace-normalised */
  q: string;
  /** the page's keyset cursor (`?cursor=`, on previous / next links), opaque */
  cursor: string | null;
  /** the page's number (`?page=`); null for the first page */
  page: number | null;
  per: number;
}

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CATEGORY = /^[A-Za-z0-9_-]{1,40}$/;

const readPage = (params: URLSearchParams) => {
  const per = Number.parseInt(params.get("per") ?? "", 10);
  return {
    cursor: params.get(CURSOR_PARAM) || null,
    page: parsePageNumber(params.get(PAGE_PARAM)),
    per: (SCREENING_PAGE_SIZES as readonly number[]).includes(per) ? per : SCREENING_DEFAULT_PAGE_SIZE,
  };
};

/** The screening queue's query string, with safe defaults for anything missing or malformed. */
export function parseScreeningQuery(params: URLSearchParams): ScreeningQuery {
  const community = params.get("community")?.trim().toLowerCase() ?? "";
  const category = params.get("category")?.trim() ?? "";
  const status = params.get("status") ?? "";
  const q = [...(params.get("q") ?? "").replace(/[\s\u3000]+/g, " ").trim()].slice(0, SEARCH_MAX).join("").trim();
  return {
    status: isScreenableStatus(status) ? status : null,
    community: CODE.test(community) ? community : null,
    category: CATEGORY.test(category) ? category : null,
    q,
    ...readPage(params),
  };
}

export interface EligibleListQuery {
  community: string | null;
  category: NeedCategory | string | null;
  /** the page's keyset cursor (`?cursor=`, on previous / next links), opaque */
  cursor: string | null;
  /** the page's number (`?page=`); null for the first page */
  page: number | null;
  per: number;
}

/** The public eligible list's query string. */
export function parseEligibleListQuery(params: URLSearchParams): EligibleListQuery {
  const community = params.get("community")?.trim().toLowerCase() ?? "";
  const category = params.get("category")?.trim() ?? "";
  return {
    community: CODE.test(community) ? community : null,
    category: isNeedCategory(category) || CATEGORY.test(category) ? category : null,
    ...readPage(params),
  };
}

/**
 * What the public list of a round shows in its phase: nothing yet before screening, a notice
 * while screening runs, the eligible proposals from review on.
 */
export type EligibleListState = "notYet" | "screening" | "published";
export function eligibleListState(phase: Phase): EligibleListState {
  if (phase === "SCREENING") return "screening";
  return phaseAtLeast(phase, "REVIEW") ? "published" : "notYet";
}
