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
  /** a matching campaign's unused pool given back to where it came from when the campaign ends */
  campaignCloseOut: "CAMPAIGN_CLOSE_OUT",
} as const;

/** What a bilingual text is split on: memos and names are written "中文 / English". */
export const BILINGUAL_SEPARATOR = " / ";

const HAS_CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * The part of a bilingual memo ("捐赠 G-7K2M / Gift G-7K2M") in one language, so a row reads in
 * the page's language only. Split at the first " / "; a memo without it is one text and comes back
 * whole in both languages. References that lead the Chinese part and are missing from the English
 * ("JN6-0003 结余退回 / unspent money returned") lead the English part too, so neither loses them.
 */
export function memoIn(memo: string, locale: "zh-CN" | "en"): string {
  const text = memo.trim();
  const cut = text.indexOf(BILINGUAL_SEPARATOR);
  if (cut < 0) return text;
  const zh = text.slice(0, cut).trim();
  const en = text.slice(cut + BILINGUAL_SEPARATOR.length).trim();
  if (!zh || !en) return zh || en || text;
  if (locale === "zh-CN") return zh;
  const leading: string[] = [];
  for (const token of zh.split(/\s+/)) {
    if (HAS_CJK.test(token)) break;
    leading.push(token);
  }
  const missing = leading.filter((token) => !en.includes(token));
  return [...missing, en].join(" ");
}

/** A readable name of a kind of account, in both languages. */
export interface AccountName {
  zh: string;
  en: string;
}

/**
 * What an account is, from its code (the keys of `accountCodes`), for people: never the raw key
 * with its ids ("foundation:e6f2…:earmark:project:…"). Codes of no known shape are "another
 * account", so a page never shows an id.
 */
export function accountName(code: string): AccountName {
  const parts = code.split(":");
  const [head, , tail, sub] = parts;
  if (head === "foundation" && tail === "available" && parts.length === 3) return { zh: "基金可用资金", en: "Foundation's available funds" };
  if (head === "foundation" && tail === "earmark" && sub === "project") return { zh: "项目定向资金", en: "Funds earmarked for a project" };
  if (head === "foundation" && tail === "earmark" && sub === "round") return { zh: "轮次定向资金", en: "Funds earmarked for a round" };
  if (head === "round" && tail === "pool") return { zh: "创投轮次资金池", en: "Round pool" };
  if (head === "award" && tail === "committed") return { zh: "已承诺资助", en: "Award committed" };
  if (head === "award" && tail === "paid") return { zh: "已拨付受助方", en: "Paid to the grantee" };
  if (head === "campaign" && tail === "matching") return { zh: "配捐资金池", en: "Matching pool" };
  if (head === "external" && parts[1] === "clearing") return { zh: `支付清算（${parts.slice(2).join(":") || "—"}）`, en: `Payment clearing (${parts.slice(2).join(":") || "—"})` };
  if (head === "external" && parts[1] === "appropriation") return { zh: "财政拨款来源", en: "Government appropriation" };
  if (head === "external" && parts[1] === "sponsor") return { zh: "配捐方（企业）", en: "Sponsor (company)" };
  return { zh: "其他账户", en: "Other account" };
}

/** An account's name in one language. */
export const accountNameIn = (code: string, locale: "zh-CN" | "en") => (locale === "en" ? accountName(code).en : accountName(code).zh);
