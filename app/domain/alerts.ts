/**
 * Monitoring alerts (PRODUCT.md step 10): the rules the daily job (services/alerts.server.ts)
 * applies to each project. Pure; days are `YYYY-MM-DD` of the Asia/Shanghai calendar.
 *
 * Decisions (documented here because the issue leaves them open):
 * - DUE_SOON: a milestone that is not approved, has no report waiting for a decision, and is due
 *   today or in the next 7 days (exactly 7 days ahead still counts; 8 does not).
 * - OVERDUE: the due day has passed (due yesterday or earlier) and the milestone is not approved.
 *   A milestone whose report was submitted and is waiting for an official's decision is NOT
 *   overdue: the grantee did their part and the report sits in the officials' review queue. A
 *   RETURNED report does not stop the clock: the grantee has to fix and resubmit it.
 * - OVER_BUDGET: a budget line whose spending (approved + submitted expenses) is more than 110 %
 *   of its current budget (integer comparison: spent × 100 > budget × 110; exactly +10 % is fine).
 * - OFF_BUDGET: any approved or submitted spending recorded in no budget line (one alert per project).
 * - NO_REPORT: no milestone report submitted for 30 days or more, counted from the later of the
 *   countersignature and the last submission; not raised once every milestone is approved (no
 *   report is expected any more, the project waits for its final evaluation).
 * Only ACTIVE projects have alerts; the job resolves the open alerts of any other project.
 *
 * Each alert has a stable `key` (kind + subject): while the condition holds the same key comes
 * back every day and the open alert stays as it is; when it stops the alert is resolved.
 */
import { formatFen } from "./money";

export const ALERT_KINDS = ["OVERDUE", "OVER_BUDGET", "OFF_BUDGET", "NO_REPORT", "DUE_SOON"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const DUE_SOON_DAYS = 7;
export const OVER_BUDGET_PERCENT = 110;
export const NO_REPORT_DAYS = 30;

export interface AlertMilestone {
  id: string;
  position: number;
  title: string;
  /** `YYYY-MM-DD`, Asia/Shanghai; null = no due date, never alerted */
  dueOn: string | null;
  status: "PENDING" | "APPROVED";
  /** a report of this milestone is SUBMITTED and waits for an official's decision */
  awaitingDecision: boolean;
}

export interface AlertBudgetLine {
  id: string;
  position: number;
  item: string;
  budgetFen: number;
  /** approved + submitted expenses in this line */
  spentFen: number;
}

export interface AlertInput {
  status: string;
  /** `YYYY-MM-DD` Asia/Shanghai */
  today: string;
  /** day of the official's countersignature (start of implementation) */
  countersignedOn: string | null;
  /** day of the latest milestone-report submission, any milestone */
  lastSubmittedOn: string | null;
  milestones: readonly AlertMilestone[];
  budgetLines: readonly AlertBudgetLine[];
  /** approved + submitted expenses with no budget line */
  offBudget: { amountFen: number; count: number };
}

export type AlertParams = Record<string, string | number>;

export interface Alert {
  kind: AlertKind;
  key: string;
  /** milestone or budget line concerned */
  subjectId: string | null;
  params: AlertParams;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function dayNumber(day: string): number {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** Days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: string, b: string) => dayNumber(b) - dayNumber(a);

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

export function alertKey(kind: AlertKind, subjectId: string | null): string {
  return subjectId ? `${kind}:${subjectId}` : kind;
}

export function projectAlerts(input: AlertInput): Alert[] {
  if (input.status !== "ACTIVE") return [];
  const alerts: Alert[] = [];
  const { today } = input;
  const milestones = [...input.milestones].sort((a, b) => a.position - b.position);

  for (const m of milestones) {
    if (m.status === "APPROVED" || m.dueOn === null || m.awaitingDecision) continue;
    const daysLeft = daysBetween(today, m.dueOn);
    const params = { position: m.position, title: m.title, dueOn: m.dueOn };
    if (daysLeft < 0) alerts.push({ kind: "OVERDUE", key: alertKey("OVERDUE", m.id), subjectId: m.id, params });
    else if (daysLeft <= DUE_SOON_DAYS) alerts.push({ kind: "DUE_SOON", key: alertKey("DUE_SOON", m.id), subjectId: m.id, params });
  }

  for (const line of [...input.budgetLines].sort((a, b) => a.position - b.position)) {
    if (line.spentFen * 100 > line.budgetFen * OVER_BUDGET_PERCENT) {
      alerts.push({
        kind: "OVER_BUDGET",
        key: alertKey("OVER_BUDGET", line.id),
        subjectId: line.id,
        params: { position: line.position, item: line.item, budgetFen: line.budgetFen, spentFen: line.spentFen },
      });
    }
  }

  if (input.offBudget.amountFen > 0) {
    alerts.push({ kind: "OFF_BUDGET", key: alertKey("OFF_BUDGET", null), subjectId: null, params: { amountFen: input.offBudget.amountFen, count: input.offBudget.count } });
  }

  const since = later(input.countersignedOn, input.lastSubmittedOn);
  const reportExpected = milestones.some((m) => m.status !== "APPROVED");
  if (since !== null && reportExpected && daysBetween(since, today) >= NO_REPORT_DAYS) {
    alerts.push({ kind: "NO_REPORT", key: alertKey("NO_REPORT", null), subjectId: null, params: { since, days: NO_REPORT_DAYS } });
  }
  return alerts;
}

/** Where an alert is dealt with, under /projects/:ref. */
export function alertPath(referenceNo: string, kind: AlertKind): string {
  const ref = encodeURIComponent(referenceNo);
  return kind === "OVER_BUDGET" || kind === "OFF_BUDGET" ? `/projects/${ref}/expenses` : `/projects/${ref}/reports`;
}

/**
 * The message key and display parameters describing an alert (`alerts.detail.<KIND>`), for the
 * dashboard, the digest email and the export: money formatted, nothing else computed.
 */
export function alertDetail(kind: AlertKind, params: Record<string, unknown>): { key: string; params: AlertParams } {
  const s = (k: string) => String(params[k] ?? "");
  const fen = (k: string) => {
    const v = Number(params[k]);
    return Number.isSafeInteger(v) ? formatFen(v) : "";
  };
  switch (kind) {
    case "DUE_SOON":
    case "OVERDUE":
      return { key: `alerts.detail.${kind}`, params: { position: s("position"), title: s("title"), dueOn: s("dueOn") } };
    case "OVER_BUDGET":
      return { key: "alerts.detail.OVER_BUDGET", params: { item: s("item"), budget: fen("budgetFen"), spent: fen("spentFen") } };
    case "OFF_BUDGET":
      return { key: "alerts.detail.OFF_BUDGET", params: { amount: fen("amountFen"), count: s("count") } };
    case "NO_REPORT":
      return { key: "alerts.detail.NO_REPORT", params: { since: s("since"), days: s("days") } };
  }
}
