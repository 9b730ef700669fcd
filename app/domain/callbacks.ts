import { sampleSizeFor } from "./sampling";

/**
 * Call-backs (回访, PRODUCT.md step 10): each month officials phone a random sample of a
 * project's beneficiaries and record how satisfied they are. Pure rules; the draw itself is
 * domain/sampling.ts.
 */

export const CALL_OUTCOMES = ["SATISFIED", "PARTLY", "NOT_SATISFIED", "UNREACHED"] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Across the area, about this many people are called each month (Lishui, source 003). */
export const MONTHLY_CALL_TARGET = 250;
export const CALL_NOTE_MAX = 1000;
export const SEED_MAX = 64;
/** Largest per-project monthly sample an official may set. */
export const CALL_SAMPLE_SIZE_MAX = 500;

export interface OutcomeCounts {
  satisfied: number;
  partly: number;
  notSatisfied: number;
  unreached: number;
  /** sampled but not called yet */
  pending: number;
}

export const emptyCounts = (): OutcomeCounts => ({ satisfied: 0, partly: 0, notSatisfied: 0, unreached: 0, pending: 0 });

/** Counts of each outcome (null = not called yet). */
export function tallyOutcomes(outcomes: readonly (CallOutcome | null)[]): OutcomeCounts {
  const c = emptyCounts();
  for (const o of outcomes) addOutcome(c, o, 1);
  return c;
}

/** Adds `n` calls with `outcome` to `counts` (mutates; for grouped database counts). */
export function addOutcome(counts: OutcomeCounts, outcome: CallOutcome | null, n: number): OutcomeCounts {
  if (outcome === "SATISFIED") counts.satisfied += n;
  else if (outcome === "PARTLY") counts.partly += n;
  else if (outcome === "NOT_SATISFIED") counts.notSatisfied += n;
  else if (outcome === "UNREACHED") counts.unreached += n;
  else counts.pending += n;
  return counts;
}

export const reachedOf = (c: Pick<OutcomeCounts, "satisfied" | "partly" | "notSatisfied">) => c.satisfied + c.partly + c.notSatisfied;

/**
 * Satisfaction score (0–100, one decimal): (satisfied + ½ · partly) / reached × 100. People who
 * could not be reached do not count either way. Null when nobody was reached. Computed in
 * integers and rounded half up at the first decimal.
 */
export function satisfactionScore(c: Pick<OutcomeCounts, "satisfied" | "partly" | "notSatisfied">): number | null {
  for (const n of [c.satisfied, c.partly, c.notSatisfied]) if (!Number.isInteger(n) || n < 0) throw new RangeError("counts must be non-negative integers");
  const reached = reachedOf(c);
  if (reached === 0) return null;
  // score × 10 = (2s + p) · 1000 / (2 · reached), rounded half up
  const numerator = (2 * c.satisfied + c.partly) * 1000;
  const denominator = 2 * reached;
  return Math.floor((2 * numerator + denominator) / (2 * denominator)) / 10;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000; // China Standard Time has no daylight saving

/** The calendar month of `date` in Asia/Shanghai: "2026-11". */
export function monthKey(date: Date): string {
  const d = new Date(date.getTime() + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export const isMonthKey = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** The month before `month` ("2026-01" → "2025-12"). */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/**
 * How many beneficiaries to call this month: the project's own setting, or enough that the
 * area's active projects together reach about 250 people; never more than are registered.
 */
export function callSampleSize(input: { configured: number | null; activeProjects: number; beneficiaries: number; monthlyTarget?: number }): number {
  const wanted = input.configured ?? sampleSizeFor(Math.max(1, input.activeProjects), input.monthlyTarget ?? MONTHLY_CALL_TARGET);
  return Math.max(0, Math.min(wanted, input.beneficiaries));
}

/** A seed an official may type: printable, no spaces at the ends, at most SEED_MAX characters. */
export const isValidSeed = (seed: string) => seed.length > 0 && seed.length <= SEED_MAX && seed === seed.trim() && /^[\x21-\x7e\u4e00-\u9fff -]+$/.test(seed);
