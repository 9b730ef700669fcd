/**
 * Tranche split (PRODUCT.md step 9): an award paid in tranches of integer fen that sum exactly to
 * the award, for any percentages summing to 100. Largest-remainder rounding: each tranche gets
 * the floor of its exact share, and the fen left over go one each to the tranches with the
 * largest fractional remainders (ties: the earlier tranche). Pure and deterministic.
 */

export interface TrancheShare {
  /** whole percent, 0–100; the shares sum to 100 */
  percent: number;
}

export type SplitProblem = "invalidAward" | "noTranches" | "invalidPercent" | "percentsNot100";

export function splitProblem(awardFen: number, shares: readonly TrancheShare[]): SplitProblem | null {
  if (!Number.isSafeInteger(awardFen) || awardFen < 0) return "invalidAward";
  if (shares.length === 0) return "noTranches";
  if (shares.some((s) => !Number.isInteger(s.percent) || s.percent < 0 || s.percent > 100)) return "invalidPercent";
  if (shares.reduce((sum, s) => sum + s.percent, 0) !== 100) return "percentsNot100";
  return null;
}

/** The fen of each tranche, in order; throws on input `splitProblem` refuses. */
export function splitAward(awardFen: number, shares: readonly TrancheShare[]): number[] {
  const problem = splitProblem(awardFen, shares);
  if (problem) throw new RangeError(`cannot split the award: ${problem}`);
  return largestRemainder(awardFen, shares.map((s) => s.percent));
}

/**
 * `amountFen` apportioned to non-negative integer weights (not all zero) in proportion, in whole
 * fen summing exactly to the amount: each part is the floor of its exact share (BigInt numerators
 * over the weights' sum: no floating point), and the fen left over go one each to the parts with
 * the largest fractional remainders (ties: the earlier part).
 */
export function largestRemainder(amountFen: number, weights: readonly number[]): number[] {
  const amount = BigInt(amountFen);
  const sum = BigInt(weights.reduce((s, w) => s + w, 0));
  const exact = weights.map((w) => amount * BigInt(w));
  const base = exact.map((n) => n / sum);
  const remainders = exact.map((n, i) => ({ i, r: n % sum }));
  let left = Number(amount - base.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const result = base.map(Number);
  for (const { i } of remainders) {
    if (left === 0) break;
    result[i]! += 1;
    left--;
  }
  return result;
}
