/**
 * Bounds of amounts a manager types for a posting that cannot be taken back (a matching pool
 * funded or topped up from its sponsor). The ledger itself accepts up to MAX_FEN (¥10 billion) per
 * movement; a person's form stops far earlier, at a sum no community foundation's campaign
 * reaches, so a slip of the keyboard (¥50,000,000 for ¥50,000) is refused with a clear message
 * instead of being booked. A larger sponsorship is posted in several top-ups, each confirmed.
 */
import { parseMoney, type MoneyProblem } from "./money";

/** The most one pool posting (a campaign's first funding or one top-up) may carry: ¥5,000,000. */
export const POOL_POSTING_MAX_FEN = 500_000_000;

export type PostingProblem = MoneyProblem | "zero" | "aboveCap";

/** Message key of a posting amount's problem (locales/giving-foundation.json, `posting.amount.*`). */
export const postingMessage = (problem: PostingProblem) => `posting.amount.${problem}`;

/**
 * The typed yuan amount of a pool posting as fen, or why not: empty, not a number, negative,
 * more than two decimals, zero, or above `capFen`.
 */
export function postingAmount(input: string | null | undefined, capFen: number = POOL_POSTING_MAX_FEN): { ok: true; fen: number } | { ok: false; problem: PostingProblem } {
  // parsed without a ceiling first, so an amount far above the cap is "above the cap", not "too large"
  const parsed = parseMoney(input ?? "", Number.MAX_SAFE_INTEGER);
  if (!parsed.ok) return parsed.problem === "tooLarge" ? { ok: false, problem: "aboveCap" } : parsed;
  if (parsed.fen <= 0) return { ok: false, problem: "zero" };
  if (parsed.fen > capFen) return { ok: false, problem: "aboveCap" };
  return parsed;
}

/**
 * The most one government appropriation (财政拨款) booked into a foundation may carry: ¥50,000,000,
 * ten times a subdistrict's whole first instalment (¥5,000,000). A larger appropriation is booked
 * in parts, each with its own document.
 */
export const APPROPRIATION_POSTING_MAX_FEN = 5_000_000_000;

/** From this amount (¥1,000,000) on, an appropriation is booked only after the official confirms the amount. */
export const APPROPRIATION_CONFIRM_FEN = 100_000_000;

/** Whether booking `fen` needs the official's explicit confirmation first. */
export const appropriationNeedsConfirm = (fen: number) => fen >= APPROPRIATION_CONFIRM_FEN;
