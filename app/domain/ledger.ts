/**
 * Double-entry rules, free of I/O. Amounts are integer fen; a positive amount is money
 * arriving in an account (debit), a negative one money leaving it (credit).
 */
export const MAX_FEN = 100_000_000 * 100 * 100; // far above any single movement (¥10 billion)

export interface EntryInput {
  accountCode: string;
  amountFen: number;
}

export type LedgerProblem =
  | "too-few-entries"
  | "not-integer"
  | "zero-amount"
  | "out-of-range"
  | "unbalanced"
  | "duplicate-account";

/** Every problem with a proposed set of entries; empty when they may be posted. */
export function ledgerProblems(entries: readonly EntryInput[]): LedgerProblem[] {
  const problems = new Set<LedgerProblem>();
  if (entries.length < 2) problems.add("too-few-entries");
  let sum = 0n;
  const seen = new Set<string>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amountFen)) problems.add("not-integer");
    else {
      if (e.amountFen === 0) problems.add("zero-amount");
      if (Math.abs(e.amountFen) > MAX_FEN) problems.add("out-of-range");
      sum += BigInt(e.amountFen);
    }
    if (seen.has(e.accountCode)) problems.add("duplicate-account");
    seen.add(e.accountCode);
  }
  if (sum !== 0n) problems.add("unbalanced");
  return [...problems];
}

/** The two entries of a simple movement of `amountFen` from one account to another. */
export function transfer(fromCode: string, toCode: string, amountFen: number): EntryInput[] {
  return [
    { accountCode: fromCode, amountFen: -amountFen },
    { accountCode: toCode, amountFen },
  ];
}

/** Stable account codes, one function per kind of account, so no code is spelled twice. */
export const accountCodes = {
  foundationAvailable: (foundationId: string) => `foundation:${foundationId}:available`,
  roundPool: (roundId: string) => `round:${roundId}:pool`,
  awardCommitted: (awardId: string) => `award:${awardId}:committed`,
  granteePaid: (awardId: string) => `award:${awardId}:paid`,
  matchingPool: (campaignId: string) => `campaign:${campaignId}:matching`,
  externalClearing: (provider: string) => `external:clearing:${provider}`,
  externalAppropriation: (source: string) => `external:appropriation:${source}`,
  /** restricted funds of a foundation given for one round or one funded project */
  earmark: (foundationId: string, target: { roundId?: string | null; projectId?: string | null }) =>
    target.projectId
      ? `foundation:${foundationId}:earmark:project:${target.projectId}`
      : `foundation:${foundationId}:earmark:round:${target.roundId}`,
  externalSponsor: (campaignId: string) => `external:sponsor:${campaignId}`,
};

/** The account a gift lands in: the foundation's available funds, or its earmark for a project or round. */
export function donationAccountCode(d: { foundationId: string; roundId?: string | null; projectId?: string | null }): string {
  return d.projectId || d.roundId ? accountCodes.earmark(d.foundationId, d) : accountCodes.foundationAvailable(d.foundationId);
}

/** Ledger transaction kinds of giving (gifts, refunds, matches, pool funding), beside APPROPRIATION, ROUND_POOL, TRANCHE_RELEASE … */
export const GIVING_KINDS = {
  donation: "DONATION",
  refund: "DONATION_REFUND",
  match: "MATCH",
  matchReturn: "MATCH_RETURN",
  campaignFunding: "CAMPAIGN_FUNDING",
} as const;
