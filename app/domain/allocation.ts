import { z } from "zod";
import { moneyMessage, parseMoney } from "./money";

/**
 * Allocation (PRODUCT.md step 7): which ranked proposals a round funds, and how much. Pure rules,
 * free of I/O; money is integer fen (JS safe integers).
 *
 * The rule, in order:
 *
 * 1. Proposals are taken in rank order (ascending `rank`, ties by `id`, so input order never matters).
 * 2. Overrides go first. An `exclude` override makes the proposal EXCLUDED. `fund` (the request,
 *    capped at the round maximum) and `amount` (an exact sum within the round's min/max and not above
 *    the request) reserve their money before the automatic pass, in rank order, whatever the score.
 *    An override that would take the awards over the pool or over a cap is refused: it is reported in
 *    `overrideProblems` and the proposal goes through the automatic pass with reason `overrideRefused`.
 * 3. The automatic pass, for every proposal without an (applied) override:
 *    - composite below `minScore` → BELOW_MINIMUM (`belowMinScore`); a composite equal to it qualifies;
 *    - the amount sought is the request, capped at `maxAwardFen` (reason `cappedAtMax`);
 *    - if that amount would exceed a per-community or per-category cap, the proposal is skipped to
 *      the WAITLIST (`communityCap` / `categoryCap`) and the pass continues with the next proposal —
 *      caps never produce partial awards;
 *    - if the pool still holds the amount → FUNDED;
 *    - otherwise the pool is exhausted for this round: the remainder is offered as a PARTIAL award if
 *      it is at least `minAwardFen`, else the proposal is waitlisted; either way every later eligible
 *      proposal goes to the WAITLIST (`poolExhausted`): "the rest form a waitlist", and the pass does
 *      not go looking for smaller requests further down. Later proposals below the minimum score stay
 *      BELOW_MINIMUM. (As every request is at least `minAwardFen` and caps only ever skip, no later
 *      request could fit anyway: after a partial nothing is left, otherwise less than the minimum is.
 *      Should requests below the minimum ever be allowed, the cut-off keeps this reading.)
 *
 * Guarantees (property-tested): the awards never exceed the pool nor any cap, every award is 0 or
 * within [minAwardFen, maxAwardFen] and never above the request, nothing below the minimum score is
 * funded without an override, and the same input always gives the same output.
 */

export const DEFAULT_MIN_SCORE = 60;

export interface RankedProposal {
  id: string;
  /** 1 = best; ranking (step 6) has already broken ties */
  rank: number;
  /** composite score, 0–100 */
  composite: number;
  requestedFen: number;
  communityId: string;
  category: string;
}

export interface AllocationRound {
  poolFen: number;
  minAwardFen: number;
  maxAwardFen: number;
  /** lowest composite that may be funded without an override; default 60 */
  minScore?: number;
  /** most the round may award to the proposals of any one community; null/absent = no cap */
  communityCapFen?: number | null;
  /** most the round may award per category; categories not listed have no cap */
  categoryCapFen?: Record<string, number> | null;
}

export const OVERRIDE_KINDS = ["fund", "exclude", "amount"] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

/**
 * The most a round's minimum or maximum award may be (¥1,000,000), so also the most an override
 * may award: the award columns are 32-bit, and anything above is a slip of the keyboard.
 */
export const MAX_AWARD_LIMIT_FEN = 100_000_000;

/**
 * An amount typed in yuan (optional): kept as the text typed, so that the form shows it back and
 * the same schema checks the service's input again; `fenOf` reads it once it passed.
 */
export const moneyText = z
  .string()
  .optional()
  .superRefine((text, ctx) => {
    if (!text) return;
    const parsed = parseMoney(text, MAX_AWARD_LIMIT_FEN);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: moneyMessage(parsed.problem) });
  });

/** The fen of an amount that passed `moneyText`; null when none was typed. */
export function fenOf(text: string | undefined): number | null {
  if (!text) return null;
  const parsed = parseMoney(text, MAX_AWARD_LIMIT_FEN);
  return parsed.ok ? parsed.fen : null;
}

/** An official's override of one proposal, with a written reason; an exact amount needs the amount. */
export const overrideFields = {
  proposalId: z.string().min(1),
  kind: z.enum(OVERRIDE_KINDS, { error: "allocation.override.kindRequired" }),
  amountFen: moneyText,
  reason: z.string({ error: "allocation.override.reasonRequired" }).trim().min(5, "allocation.override.reasonRequired").max(1000, "allocation.override.reasonTooLong"),
};
export function overrideRules(v: { kind: string; amountFen?: string }, ctx: z.RefinementCtx) {
  if (v.kind === "amount" && !v.amountFen) ctx.addIssue({ code: "custom", path: ["amountFen"], message: "allocation.override.amountRequired" });
}
export const OverrideSchema = z.object(overrideFields).superRefine(overrideRules);
export type OverrideInput = z.output<typeof OverrideSchema>;

export interface AllocationOverride {
  proposalId: string;
  kind: OverrideKind;
  /** required for `amount`, refused for the other kinds */
  amountFen?: number;
  /** the official's written reason (audited); must not be blank */
  reason: string;
}

export interface AllocationInput {
  proposals: readonly RankedProposal[];
  round: AllocationRound;
  overrides?: readonly AllocationOverride[];
}

export type AllocationOutcome = "FUNDED" | "PARTIAL" | "WAITLIST" | "BELOW_MINIMUM" | "EXCLUDED";

export type AllocationReason =
  /** the request was above the round maximum; the maximum was sought instead */
  | "cappedAtMax"
  /** the pool could not fund this (or an earlier) proposal in full */
  | "poolExhausted"
  /** funding this proposal would exceed the per-community cap */
  | "communityCap"
  /** funding this proposal would exceed its category's cap */
  | "categoryCap"
  /** composite below the round's minimum score */
  | "belowMinScore"
  /** an official's override decided the outcome */
  | "override"
  /** an override was requested but refused (see `overrideProblems`); the automatic rule applied */
  | "overrideRefused";

export interface AllocationLine {
  id: string;
  outcome: AllocationOutcome;
  /** 0 unless FUNDED or PARTIAL */
  awardFen: number;
  /** why; empty for a plain FUNDED */
  reasonCodes: AllocationReason[];
}

export interface AllocationTotals {
  awardedFen: number;
  remainingPoolFen: number;
  /** awarded fen per community, every community of the input listed (0 when nothing awarded) */
  byCommunity: Record<string, number>;
  /** awarded fen per category, every category of the input listed (0 when nothing awarded) */
  byCategory: Record<string, number>;
}

export type OverrideProblemCode = "overrideExceedsPool" | "overrideExceedsCommunityCap" | "overrideExceedsCategoryCap";
export interface OverrideProblem {
  proposalId: string;
  code: OverrideProblemCode;
}

export type AllocationProblemCode =
  | "invalidPool"
  | "invalidMinAward"
  | "invalidMaxAward"
  | "minAboveMax"
  | "invalidMinScore"
  | "invalidCommunityCap"
  | "invalidCategoryCap"
  | "duplicateId"
  | "invalidRank"
  | "invalidComposite"
  | "invalidRequest"
  | "requestBelowMinAward"
  | "unknownOverrideProposal"
  | "duplicateOverride"
  | "invalidOverrideKind"
  | "overrideWithoutReason"
  | "overrideAmountMissing"
  | "overrideAmountOutOfRange"
  | "overrideAmountAboveRequest"
  | "unexpectedOverrideAmount";

export interface AllocationProblem {
  code: AllocationProblemCode;
  /** the proposal (or override target) concerned, when there is one */
  proposalId?: string;
  /** the category concerned, for `invalidCategoryCap` */
  category?: string;
}

export type AllocationResult =
  | { ok: true; lines: AllocationLine[]; totals: AllocationTotals; overrideProblems: OverrideProblem[] }
  | { ok: false; problems: AllocationProblem[] };

const isFen = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** Every reason the input cannot be allocated; empty when `allocate` will compute a result. */
export function allocationProblems(input: AllocationInput): AllocationProblem[] {
  const problems: AllocationProblem[] = [];
  const add = (code: AllocationProblemCode, extra: Omit<AllocationProblem, "code"> = {}) => problems.push({ code, ...extra });
  const { round } = input;

  if (!isFen(round.poolFen)) add("invalidPool");
  const minOk = isFen(round.minAwardFen) && round.minAwardFen >= 1;
  const maxOk = isFen(round.maxAwardFen) && round.maxAwardFen >= 1;
  if (!minOk) add("invalidMinAward");
  if (!maxOk) add("invalidMaxAward");
  if (minOk && maxOk && round.minAwardFen > round.maxAwardFen) add("minAboveMax");
  const minScore = round.minScore ?? DEFAULT_MIN_SCORE;
  if (typeof minScore !== "number" || !Number.isFinite(minScore) || minScore < 0 || minScore > 100) add("invalidMinScore");
  if (round.communityCapFen != null && !isFen(round.communityCapFen)) add("invalidCommunityCap");
  for (const [category, cap] of Object.entries(round.categoryCapFen ?? {})) {
    if (!isFen(cap)) add("invalidCategoryCap", { category });
  }

  const byId = new Map<string, RankedProposal>();
  for (const p of input.proposals) {
    const proposalId = p.id;
    if (byId.has(p.id)) add("duplicateId", { proposalId });
    else byId.set(p.id, p);
    if (typeof p.rank !== "number" || !Number.isFinite(p.rank)) add("invalidRank", { proposalId });
    if (typeof p.composite !== "number" || !Number.isFinite(p.composite) || p.composite < 0 || p.composite > 100) {
      add("invalidComposite", { proposalId });
    }
    if (!isFen(p.requestedFen) || p.requestedFen === 0) add("invalidRequest", { proposalId });
    else if (minOk && p.requestedFen < round.minAwardFen) add("requestBelowMinAward", { proposalId });
  }

  const overridden = new Set<string>();
  for (const o of input.overrides ?? []) {
    const proposalId = o.proposalId;
    const proposal = byId.get(o.proposalId);
    if (!proposal) add("unknownOverrideProposal", { proposalId });
    if (overridden.has(o.proposalId)) add("duplicateOverride", { proposalId });
    overridden.add(o.proposalId);
    if (typeof o.reason !== "string" || o.reason.trim() === "") add("overrideWithoutReason", { proposalId });
    if (!(OVERRIDE_KINDS as readonly string[]).includes(o.kind)) add("invalidOverrideKind", { proposalId });
    else if (o.kind === "amount") {
      if (!isFen(o.amountFen)) add("overrideAmountMissing", { proposalId });
      else {
        if (minOk && maxOk && (o.amountFen < round.minAwardFen || o.amountFen > round.maxAwardFen)) {
          add("overrideAmountOutOfRange", { proposalId });
        }
        if (proposal && isFen(proposal.requestedFen) && o.amountFen > proposal.requestedFen) {
          add("overrideAmountAboveRequest", { proposalId });
        }
      }
    } else if (o.amountFen !== undefined) add("unexpectedOverrideAmount", { proposalId });
  }
  return problems;
}

/** Proposals in allocation order: ascending rank, then id (code-unit order, locale-independent). */
export function rankOrder<T extends { rank: number; id: string }>(proposals: readonly T[]): T[] {
  return [...proposals].sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Allocates the pool of a round among its ranked proposals (see the module comment for the rule). */
export function allocate(input: AllocationInput): AllocationResult {
  const problems = allocationProblems(input);
  if (problems.length) return { ok: false, problems };

  const { round } = input;
  const minScore = round.minScore ?? DEFAULT_MIN_SCORE;
  const ordered = rankOrder(input.proposals);
  const overrides = new Map((input.overrides ?? []).map((o) => [o.proposalId, o]));

  let remaining = round.poolFen;
  // Maps, not objects, so that ids such as "__proto__" or "constructor" are plain keys.
  const byCommunity = new Map<string, number>(ordered.map((p) => [p.communityId, 0]));
  const byCategory = new Map<string, number>(ordered.map((p) => [p.category, 0]));
  const categoryCaps = new Map(Object.entries(round.categoryCapFen ?? {}));
  const communityRoom = (p: RankedProposal) =>
    round.communityCapFen == null ? Infinity : round.communityCapFen - (byCommunity.get(p.communityId) ?? 0);
  const categoryRoom = (p: RankedProposal) => {
    const cap = categoryCaps.get(p.category);
    return cap === undefined ? Infinity : cap - (byCategory.get(p.category) ?? 0);
  };
  const award = (p: RankedProposal, fen: number) => {
    remaining -= fen;
    byCommunity.set(p.communityId, (byCommunity.get(p.communityId) ?? 0) + fen);
    byCategory.set(p.category, (byCategory.get(p.category) ?? 0) + fen);
  };
  const sought = (p: RankedProposal) => Math.min(p.requestedFen, round.maxAwardFen);

  const lines = new Map<string, AllocationLine>();
  const overrideProblems: OverrideProblem[] = [];
  const refused = new Set<string>();

  // Overrides first, in rank order, so that they are honoured before anything is allocated automatically.
  for (const p of ordered) {
    const o = overrides.get(p.id);
    if (!o) continue;
    if (o.kind === "exclude") {
      lines.set(p.id, { id: p.id, outcome: "EXCLUDED", awardFen: 0, reasonCodes: ["override"] });
      continue;
    }
    const full = sought(p);
    const fen = o.kind === "amount" ? o.amountFen! : full;
    const code: OverrideProblemCode | null =
      fen > remaining ? "overrideExceedsPool" : fen > communityRoom(p) ? "overrideExceedsCommunityCap" : fen > categoryRoom(p) ? "overrideExceedsCategoryCap" : null;
    if (code) {
      overrideProblems.push({ proposalId: p.id, code });
      refused.add(p.id);
      continue;
    }
    award(p, fen);
    const reasonCodes: AllocationReason[] = ["override"];
    if (o.kind === "fund" && p.requestedFen > round.maxAwardFen) reasonCodes.push("cappedAtMax");
    lines.set(p.id, { id: p.id, outcome: fen >= full ? "FUNDED" : "PARTIAL", awardFen: fen, reasonCodes });
  }

  // The automatic pass.
  let exhausted = false;
  for (const p of ordered) {
    if (lines.has(p.id)) continue;
    const reasonCodes: AllocationReason[] = refused.has(p.id) ? ["overrideRefused"] : [];
    const line = (outcome: AllocationOutcome, awardFen: number, ...why: AllocationReason[]) =>
      lines.set(p.id, { id: p.id, outcome, awardFen, reasonCodes: [...reasonCodes, ...why] });

    if (p.composite < minScore) {
      line("BELOW_MINIMUM", 0, "belowMinScore");
      continue;
    }
    if (exhausted) {
      line("WAITLIST", 0, "poolExhausted");
      continue;
    }
    const fen = sought(p);
    if (p.requestedFen > fen) reasonCodes.push("cappedAtMax");
    const caps: AllocationReason[] = [];
    if (fen > communityRoom(p)) caps.push("communityCap");
    if (fen > categoryRoom(p)) caps.push("categoryCap");
    if (caps.length) {
      line("WAITLIST", 0, ...caps);
      continue;
    }
    if (fen <= remaining) {
      award(p, fen);
      line("FUNDED", fen);
      continue;
    }
    exhausted = true;
    // Caps hold `fen`, so they hold the smaller remainder too.
    if (remaining >= round.minAwardFen) {
      const partial = remaining;
      award(p, partial);
      line("PARTIAL", partial, "poolExhausted");
    } else line("WAITLIST", 0, "poolExhausted");
  }

  return {
    ok: true,
    lines: ordered.map((p) => lines.get(p.id)!),
    totals: {
      awardedFen: round.poolFen - remaining,
      remainingPoolFen: remaining,
      byCommunity: Object.fromEntries(byCommunity),
      byCategory: Object.fromEntries(byCategory),
    },
    overrideProblems,
  };
}
