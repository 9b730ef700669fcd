/**
 * When a stored quarterly ranking (OrgRanking, docs/decisions/021) may be shown as it is. Pure.
 *
 * The ranking of an area × quarter is computed from the database and stored; the dashboard shows
 * the stored one. It must be computed again (and stored) when there is none, when it was combined
 * with weights other than those in force for the area now (an official changed them, here or
 * above), or when it was computed while its quarter was running and the quarter has ended since
 * (milestones due later in the quarter then count whether reported or not), or when it was ranked
 * under other rules (its rulesVersion is not RANKING_RULES_VERSION). A running quarter's
 * ranking otherwise stays as computed — by the daily refresh or an official's "recompute now".
 * The ranking's own rules are domain/org-ranking.ts's.
 */
import { COMPONENTS, isQuarter, quarterRange, RANKING_RULES_VERSION, type Quarter, type Weights } from "./org-ranking";

export type RecomputeReason = "missing" | "rules" | "weights" | "quarter-ended";

/** Whether weights stored as JSON are exactly these. */
export function sameWeights(stored: unknown, weights: Weights, attendanceWeight = 0): boolean {
  if (!stored || typeof stored !== "object") return false;
  const s = stored as Record<string, unknown>;
  // training attendance is stored only when it weighs (rankings stored before it have none: 0)
  return COMPONENTS.every((c) => s[c] === weights[c]) && (s.attendance ?? 0) === attendanceWeight;
}

/** Why the stored ranking cannot be shown as it is, or null when it can. */
export function recomputeReason(stored: { weights: unknown; asOf: Date; rulesVersion: number } | null, inForce: Weights, quarter: Quarter, now: Date, attendanceWeight = 0): RecomputeReason | null {
  if (!stored) return "missing";
  if (stored.rulesVersion !== RANKING_RULES_VERSION) return "rules";
  if (!sameWeights(stored.weights, inForce, attendanceWeight)) return "weights";
  const { end } = quarterRange(quarter);
  if (stored.asOf < end && now >= end) return "quarter-ended";
  return null;
}

/** A quarter an official may have computed now: one that has begun (a later one has no facts yet). */
export function isRankableQuarter(quarter: unknown, now: Date): quarter is Quarter {
  return isQuarter(quarter) && quarterRange(quarter).start <= now;
}
