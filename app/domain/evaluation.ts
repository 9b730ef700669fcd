/**
 * The final evaluation (评估兑现, PRODUCT.md step 11): a 100-point sheet filled in by an official
 * or an invited evaluator. Passing releases the last tranche; failing holds it with reasons.
 * Pure rules; services/evaluation.server.ts stores the sheet.
 */

export interface EvaluationItem {
  key: string;
  max: number;
}

/** The sheet, in the order shown. The maxima sum to 100 (tested). Labels: `evaluation.item.<key>`. */
export const EVALUATION_ITEMS = [
  { key: "goals", max: 30 }, // 目标达成
  { key: "quality", max: 25 }, // 服务质量与成效
  { key: "funds", max: 20 }, // 资金使用规范
  { key: "satisfaction", max: 15 }, // 服务对象满意度
  { key: "records", max: 10 }, // 档案与公开
] as const satisfies readonly EvaluationItem[];

export type EvaluationItemKey = (typeof EVALUATION_ITEMS)[number]["key"];
export type EvaluationScores = Record<EvaluationItemKey, number>;

export const EVALUATION_MAX_TOTAL = EVALUATION_ITEMS.reduce((s, i) => s + i.max, 0);
export const REASONS_MAX = 4000;

export type SheetResult =
  | { ok: true; scores: EvaluationScores; total: number; passed: boolean }
  | { ok: false; fieldErrors: Partial<Record<EvaluationItemKey | "reasons", string>> };

/**
 * Checks a submitted sheet: each item a whole number from 0 to its maximum (typed as text),
 * the total, pass = total ≥ `passScore`, and written reasons when it fails. Error values are
 * message keys.
 */
export function gradeSheet(raw: Partial<Record<string, string>>, passScore: number, reasons: string): SheetResult {
  const fieldErrors: Partial<Record<EvaluationItemKey | "reasons", string>> = {};
  const scores = {} as EvaluationScores;
  for (const item of EVALUATION_ITEMS) {
    const text = (raw[item.key] ?? "").trim().replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    if (text === "") fieldErrors[item.key] = "evaluation.error.scoreRequired";
    else if (!/^\d+$/.test(text)) fieldErrors[item.key] = "evaluation.error.scoreWhole";
    else {
      const n = Number(text);
      if (n > item.max) fieldErrors[item.key] = `evaluation.error.scoreMax|${JSON.stringify({ max: item.max })}`;
      else scores[item.key] = n;
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  const total = sheetTotal(scores);
  const passed = total >= passScore;
  const why = reasons.trim();
  if (!passed && why.length < 5) return { ok: false, fieldErrors: { reasons: "evaluation.error.reasonsRequired" } };
  if (why.length > REASONS_MAX) return { ok: false, fieldErrors: { reasons: "evaluation.error.reasonsTooLong" } };
  return { ok: true, scores, total, passed };
}

export const sheetTotal = (scores: EvaluationScores) => EVALUATION_ITEMS.reduce((s, i) => s + scores[i.key], 0);

/** A stored `scores` JSON read back (unknown keys dropped, missing ones null). */
export function readScores(json: unknown): Record<EvaluationItemKey, number | null> {
  const obj = json && typeof json === "object" ? (json as Record<string, unknown>) : {};
  return Object.fromEntries(EVALUATION_ITEMS.map((i) => [i.key, typeof obj[i.key] === "number" ? (obj[i.key] as number) : null])) as Record<EvaluationItemKey, number | null>;
}

/** The evaluation may start when the project is in implementation and every milestone is approved. */
export function evaluationOpen(status: string, milestones: readonly { status: string }[]): boolean {
  return status === "ACTIVE" && milestones.every((m) => m.status === "APPROVED");
}

/** Unspent money to suggest: paid out minus approved spending, never below zero (fen). */
export function suggestedUnspentFen(paidFen: number, approvedExpensesFen: number): number {
  return Math.max(0, paidFen - approvedExpensesFen);
}

/**
 * The project can be closed once its evaluation is decided and the final tranche is settled:
 * released after a pass, or held after a fail; never while a transfer is prepared (in flight).
 */
export function closable(status: string, evaluated: boolean, tranches: readonly { status: string; trigger: string }[]): boolean {
  if (!evaluated || (status !== "ACTIVE" && status !== "EVALUATION_FAILED")) return false;
  if (tranches.some((t) => t.status === "PREPARED")) return false;
  return tranches.filter((t) => t.trigger === "FINAL").every((t) => t.status === "RELEASED" || t.status === "HELD");
}
