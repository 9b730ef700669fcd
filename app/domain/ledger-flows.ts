/**
 * How ledger transactions of each kind count in a foundation's flows (its own money: available
 * and earmarked funds): what the foundation page shows and the annual report (年度工作报告)
 * prints. Pure.
 */
import { GIVING_KINDS } from "./ledger";

export interface Flows {
  /** + gifts received (DONATION) */
  donationsFen: number;
  /** − gifts refunded (DONATION_REFUND), ≤ 0 */
  refundsFen: number;
  /** + matches drawn from campaign pools (MATCH) */
  matchesFen: number;
  /** − matches given back to their pools on refund (MATCH_RETURN), ≤ 0 */
  matchReturnsFen: number;
  /** + government appropriations (APPROPRIATION) */
  appropriationsFen: number;
  /** inflows net of refunds and match returns */
  inflowFen: number;
  /** money moved into round pools (ROUND_POOL), as a positive amount */
  roundPoolsFen: number;
  /** money a round's pool gave back (ROUND_POOL_RETURN), as a positive amount */
  roundPoolReturnsFen: number;
  /** outflows net of pool returns, positive = money out */
  outflowFen: number;
  /** + unspent or never-paid award money coming back from closed projects (UNSPENT_RETURN, COMMITMENT_RELEASE) */
  projectReturnsFen: number;
  /** any other movement of the funds accounts (so the identity below always holds) */
  otherFen: number;
}

export const emptyFlows = (): Flows => ({
  donationsFen: 0,
  refundsFen: 0,
  matchesFen: 0,
  matchReturnsFen: 0,
  appropriationsFen: 0,
  inflowFen: 0,
  roundPoolsFen: 0,
  roundPoolReturnsFen: 0,
  outflowFen: 0,
  projectReturnsFen: 0,
  otherFen: 0,
});

/**
 * Where transactions of each kind count: the line of the flows they add to, with the sign the
 * line counts them in (money moved into round pools is shown as a positive amount), and the total
 * they belong to: an inflow counts as it came (refunds and match returns are negative), an
 * outflow as money out. Kinds not listed are other movements.
 */
type FlowOf = { line: keyof Flows; sign: 1 | -1; total?: "inflow" | "outflow" };
const FLOW_OF = new Map<string, FlowOf>([
  [GIVING_KINDS.donation, { line: "donationsFen", sign: 1, total: "inflow" }],
  [GIVING_KINDS.refund, { line: "refundsFen", sign: 1, total: "inflow" }],
  [GIVING_KINDS.match, { line: "matchesFen", sign: 1, total: "inflow" }],
  [GIVING_KINDS.matchReturn, { line: "matchReturnsFen", sign: 1, total: "inflow" }],
  ["APPROPRIATION", { line: "appropriationsFen", sign: 1, total: "inflow" }],
  ["ROUND_POOL", { line: "roundPoolsFen", sign: -1, total: "outflow" }],
  ["ROUND_POOL_RETURN", { line: "roundPoolReturnsFen", sign: 1, total: "outflow" }],
  ["UNSPENT_RETURN", { line: "projectReturnsFen", sign: 1 }],
  ["COMMITMENT_RELEASE", { line: "projectReturnsFen", sign: 1 }],
]);

/** Adds what transactions of `kind` did to the funds accounts (fen, signed) to the flows. */
export function addFlow(f: Flows, kind: string, fen: number) {
  const to: FlowOf = FLOW_OF.get(kind) ?? { line: "otherFen", sign: 1 };
  f[to.line] += to.sign * fen;
  if (to.total === "inflow") f.inflowFen += fen;
  if (to.total === "outflow") f.outflowFen -= fen;
}

