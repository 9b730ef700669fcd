/**
 * Matching campaigns (配捐, PRODUCT.md "Money"): a sponsor's pool matches each successful
 * donation at a ratio, up to a per-donation cap, inside a time window, while the pool lasts (the
 * last donation may get a partial match). Pure: the service calls `matchFor` with the pool's
 * balance read from its running total under that row's lock, in the transaction that draws.
 */

export interface MatchingCampaignTerms {
  /** sponsor fen per `ratioPerFen` donor fen, e.g. 1:1 → 1 / 1, 1:2 (half) → 1 / 2 */
  ratioSponsor: number;
  ratioDonor: number;
  /** most one donation is matched with, fen; null = no cap */
  perDonationCapFen: number | null;
  startsAt: Date;
  endsAt: Date;
}

export type NoMatchReason = "outsideWindow" | "poolEmpty" | "notEligible" | "zeroAmount";

export type MatchResult = { matchedFen: number; partial: boolean } | { matchedFen: 0; partial: false; reason: NoMatchReason };

/**
 * The match a donation of `donationFen` made at `at` draws from a pool holding `poolFen`:
 * floor(donation × ratio), capped per donation, never more than the pool (partial at the end),
 * always an integer number of fen and never negative.
 */
export function matchFor(terms: MatchingCampaignTerms, donationFen: number, poolFen: number, at: Date, eligible = true): MatchResult {
  if (!Number.isSafeInteger(donationFen) || donationFen <= 0) return { matchedFen: 0, partial: false, reason: "zeroAmount" };
  if (!eligible) return { matchedFen: 0, partial: false, reason: "notEligible" };
  if (at < terms.startsAt || at >= terms.endsAt) return { matchedFen: 0, partial: false, reason: "outsideWindow" };
  if (poolFen <= 0) return { matchedFen: 0, partial: false, reason: "poolEmpty" };
  // integer arithmetic: BigInt so a ¥100,000 gift at any ratio cannot lose precision
  let wanted = Number((BigInt(donationFen) * BigInt(terms.ratioSponsor)) / BigInt(terms.ratioDonor));
  if (terms.perDonationCapFen !== null) wanted = Math.min(wanted, terms.perDonationCapFen);
  if (wanted <= 0) return { matchedFen: 0, partial: false, reason: "zeroAmount" };
  const matchedFen = Math.min(wanted, poolFen);
  return { matchedFen, partial: matchedFen < wanted };
}

export type TermsProblem = "matching.error.ratio" | "matching.error.cap" | "matching.error.window";

/** Why campaign terms cannot be used, as a message key; null when they can. */
export function termsProblem(t: MatchingCampaignTerms): TermsProblem | null {
  const ratioOk = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= 100;
  if (!ratioOk(t.ratioSponsor) || !ratioOk(t.ratioDonor)) return "matching.error.ratio";
  if (t.perDonationCapFen !== null && (!Number.isSafeInteger(t.perDonationCapFen) || t.perDonationCapFen <= 0)) return "matching.error.cap";
  if (!(t.endsAt > t.startsAt)) return "matching.error.window";
  return null;
}

/**
 * Fen of a match to give back to its pool when a donation has been reversed (refunded) by
 * `reversedFen` in all: the same share of the match as of the gift, rounded down, minus what was
 * already given back. A full refund returns the whole match.
 */
export function matchReturnFen(matchedFen: number, donationFen: number, reversedFen: number, returnedFen: number): number {
  if (matchedFen <= 0 || donationFen <= 0) return 0;
  const reversed = Math.min(Math.max(reversedFen, 0), donationFen);
  const due = reversed >= donationFen ? matchedFen : Number((BigInt(matchedFen) * BigInt(reversed)) / BigInt(donationFen));
  return Math.max(0, due - returnedFen);
}
