import { DEFAULT_JUDGES_PER_PROPOSAL } from "./rounds";
import { normalizeUscc } from "./uscc";

/**
 * Judge assignment for the review phase (评审): every eligible proposal gets `k` distinct judges,
 * judge loads as even as conflicts allow, never a judge with a conflict of interest. Pure and
 * deterministic: the result depends only on the *contents* of the input (ids are sorted by
 * code unit, never by input order, locale or chance).
 *
 * Balance: loads are "balanced" when the busiest and the idlest judge differ by at most one.
 * The search always ends in an assignment from which no chain of moves can shift work from a
 * judge to one with at least two fewer proposals; that is the most even load any valid
 * assignment can reach (it minimises the largest load and maximises the smallest at once). So
 * `balanced: false` proves conflicts make balance impossible; it is reported, never refused —
 * an uneven but conflict-free assignment is still usable, and the report says who cannot take
 * more work and why.
 */

export type ConflictReason = "member" | "sameUscc" | "declaredOrganization" | "declaredProposal";

/** Conflict reasons in the order `conflictOf` checks them (the first that applies is reported). */
export const CONFLICT_REASONS: readonly ConflictReason[] = ["member", "sameUscc", "declaredOrganization", "declaredProposal"];

export interface ProposalForAssignment {
  id: string;
  organizationId: string;
  /** USCC of the applicant organization, when known. */
  organizationUscc?: string | null | undefined;
}

export interface DeclaredConflict {
  organizationId?: string | null | undefined;
  proposalId?: string | null | undefined;
  /** Free-form kind of relation ("family", "employment", …); not interpreted here. */
  kind: string;
}

export interface JudgeForAssignment {
  id: string;
  /** Organizations the judge is a member of. */
  memberOfOrganizationIds: readonly string[];
  /** USCCs of the judge's own organizations (detected conflicts: same registered entity). */
  conflictUsccs?: readonly string[] | null | undefined;
  declaredConflicts: readonly DeclaredConflict[];
}

export interface Assignment {
  proposalId: string;
  judgeId: string;
}

export interface AssignmentInput {
  proposals: readonly ProposalForAssignment[];
  judges: readonly JudgeForAssignment[];
  /** Judges per proposal; the round setting, `DEFAULT_JUDGES_PER_PROPOSAL` (5) when absent. */
  k?: number | undefined;
  /** Pairs to keep where still valid (re-running after a change moves as little as possible). */
  existing?: readonly Assignment[] | undefined;
}

export interface ConflictedJudge {
  judgeId: string;
  reason: ConflictReason;
}

export type AssignmentProblem =
  | { code: "invalidK"; k: number }
  | { code: "duplicateProposalId"; proposalId: string }
  | { code: "duplicateJudgeId"; judgeId: string }
  /** `k` is larger than the number of judges of the round. */
  | { code: "tooFewJudges"; judges: number; required: number }
  /** Fewer than `k` judges are free of conflict with this proposal; `conflicted` lists the others. */
  | { code: "notEnoughEligibleJudges"; proposalId: string; eligible: number; required: number; conflicted: ConflictedJudge[] };

/** Why a pair of `existing` was not kept. */
export type DropReason = ConflictReason | "unknownProposal" | "unknownJudge" | "duplicate" | "excess";

export interface DroppedAssignment extends Assignment {
  reason: DropReason;
}

/** A judge whose load stayed below `maxLoad - 1`: conflicts leave too few proposals for them. */
export interface LimitedJudge {
  judgeId: string;
  load: number;
  /** Number of proposals this judge has no conflict with. */
  eligibleProposals: number;
}

export type Balance =
  | { balanced: true; minLoad: number; maxLoad: number }
  | { balanced: false; reason: "conflictsPreventBalance"; minLoad: number; maxLoad: number; limitedJudges: LimitedJudge[] };

export type AssignmentResult =
  | {
      ok: true;
      /** Sorted by proposal id, then judge id. */
      assignments: Assignment[];
      /** Proposals per judge, every judge of the input included (zero too), keyed by judge id. */
      loads: Record<string, number>;
      balance: Balance;
      /** Pairs of `existing` that were not kept, with the reason; sorted like `assignments`. */
      dropped: DroppedAssignment[];
    }
  | { ok: false; problems: AssignmentProblem[] };

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPair = (a: Assignment, b: Assignment) => byId(a.proposalId, b.proposalId) || byId(a.judgeId, b.judgeId);

/** The conflict of interest between a judge and a proposal, or null when the judge may review it. */
export function conflictOf(judge: JudgeForAssignment, proposal: ProposalForAssignment): ConflictReason | null {
  if (judge.memberOfOrganizationIds.includes(proposal.organizationId)) return "member";
  const uscc = proposal.organizationUscc ? normalizeUscc(proposal.organizationUscc) : "";
  if (uscc !== "" && (judge.conflictUsccs ?? []).some((u) => normalizeUscc(u) === uscc)) return "sameUscc";
  if (judge.declaredConflicts.some((d) => d.organizationId != null && d.organizationId === proposal.organizationId)) {
    return "declaredOrganization";
  }
  if (judge.declaredConflicts.some((d) => d.proposalId != null && d.proposalId === proposal.id)) return "declaredProposal";
  return null;
}

/** Judges per proposal to use: the input's `k` or the round default. */
export const judgesPerProposal = (input: Pick<AssignmentInput, "k">) => input.k ?? DEFAULT_JUDGES_PER_PROPOSAL;

/**
 * Conflict reasons precomputed for every pair; `reason[p * J + j]` is 0 when free, else the
 * index into CONFLICT_REASONS plus one. Proposals and judges are indexed in id order.
 */
interface Table {
  proposals: ProposalForAssignment[];
  judges: JudgeForAssignment[];
  proposalIndex: Map<string, number>;
  judgeIndex: Map<string, number>;
  reason: Uint8Array;
}

function table(proposalsIn: readonly ProposalForAssignment[], judgesIn: readonly JudgeForAssignment[]): Table {
  const proposals = [...proposalsIn].sort((a, b) => byId(a.id, b.id));
  const judges = [...judgesIn].sort((a, b) => byId(a.id, b.id));
  const J = judges.length;
  const reason = new Uint8Array(proposals.length * J);
  // Per-judge sets, so the table costs O(P × J) set lookups rather than array scans.
  const prepared = judges.map((j) => ({
    member: new Set(j.memberOfOrganizationIds),
    usccs: new Set((j.conflictUsccs ?? []).map(normalizeUscc).filter((u) => u !== "")),
    declaredOrgs: new Set(j.declaredConflicts.flatMap((d) => (d.organizationId != null ? [d.organizationId] : []))),
    declaredProposals: new Set(j.declaredConflicts.flatMap((d) => (d.proposalId != null ? [d.proposalId] : []))),
  }));
  proposals.forEach((p, pi) => {
    const uscc = p.organizationUscc ? normalizeUscc(p.organizationUscc) : "";
    prepared.forEach((j, ji) => {
      const r = j.member.has(p.organizationId)
        ? 1
        : uscc !== "" && j.usccs.has(uscc)
          ? 2
          : j.declaredOrgs.has(p.organizationId)
            ? 3
            : j.declaredProposals.has(p.id)
              ? 4
              : 0;
      reason[pi * J + ji] = r;
    });
  });
  return {
    proposals,
    judges,
    proposalIndex: new Map(proposals.map((p, i) => [p.id, i])),
    judgeIndex: new Map(judges.map((j, i) => [j.id, i])),
    reason,
  };
}

const reasonAt = (t: Table, pi: number, ji: number): ConflictReason | null => {
  const r = t.reason[pi * t.judges.length + ji] ?? 0;
  return r === 0 ? null : CONFLICT_REASONS[r - 1]!;
};

function conflictedJudges(t: Table, pi: number): ConflictedJudge[] {
  const out: ConflictedJudge[] = [];
  t.judges.forEach((j, ji) => {
    const reason = reasonAt(t, pi, ji);
    if (reason) out.push({ judgeId: j.id, reason });
  });
  return out;
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup].sort(byId);
}

/**
 * Assigns `k` distinct, conflict-free judges to every proposal, keeping the still-valid pairs
 * of `existing`, with loads as even as conflicts allow (see the module comment). Refuses with
 * every problem found when some proposal cannot get `k` judges. Near-linear: O(P × J log J)
 * for the first pass, plus a repair pass that only runs when conflicts unbalance the loads.
 */
export function assignJudges(input: AssignmentInput): AssignmentResult {
  const k = judgesPerProposal(input);
  const problems: AssignmentProblem[] = [];
  if (!Number.isSafeInteger(k) || k < 1) problems.push({ code: "invalidK", k });
  for (const proposalId of duplicates(input.proposals.map((p) => p.id))) problems.push({ code: "duplicateProposalId", proposalId });
  for (const judgeId of duplicates(input.judges.map((j) => j.id))) problems.push({ code: "duplicateJudgeId", judgeId });
  if (problems.length > 0) return { ok: false, problems };
  if (k > input.judges.length) return { ok: false, problems: [{ code: "tooFewJudges", judges: input.judges.length, required: k }] };

  const t = table(input.proposals, input.judges);
  const P = t.proposals.length;
  const J = t.judges.length;
  const eligibleCount = new Array<number>(P).fill(0);
  const eligibleProposals = new Array<number>(J).fill(0);
  for (let pi = 0; pi < P; pi++) {
    for (let ji = 0; ji < J; ji++) {
      if (t.reason[pi * J + ji] === 0) {
        eligibleCount[pi]!++;
        eligibleProposals[ji]!++;
      }
    }
  }
  for (let pi = 0; pi < P; pi++) {
    if (eligibleCount[pi]! < k) {
      problems.push({
        code: "notEnoughEligibleJudges",
        proposalId: t.proposals[pi]!.id,
        eligible: eligibleCount[pi]!,
        required: k,
        conflicted: conflictedJudges(t, pi),
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const state = new State(t);
  const dropped = state.keep(input.existing ?? [], k);

  // Greedy: most-constrained proposal first, then least-loaded eligible judges (ties by id).
  const order = [...Array(P).keys()].sort((a, b) => eligibleCount[a]! - eligibleCount[b]! || a - b);
  const candidates: number[] = [];
  for (const pi of order) {
    const need = k - state.judgesOf[pi]!;
    if (need <= 0) continue;
    candidates.length = 0;
    for (let ji = 0; ji < J; ji++) if (state.free(pi, ji)) candidates.push(ji);
    candidates.sort((a, b) => state.load[a]! - state.load[b]! || a - b);
    for (let n = 0; n < need; n++) state.add(pi, candidates[n]!, false);
  }

  state.rebalance();

  const assignments = state.pairs();
  const loads = Object.fromEntries(t.judges.map((j, ji) => [j.id, state.load[ji]!]));
  const minLoad = J === 0 ? 0 : Math.min(...state.load);
  const maxLoad = J === 0 ? 0 : Math.max(...state.load);
  const balance: Balance =
    maxLoad - minLoad <= 1
      ? { balanced: true, minLoad, maxLoad }
      : {
          balanced: false,
          reason: "conflictsPreventBalance",
          minLoad,
          maxLoad,
          limitedJudges: t.judges.flatMap((j, ji) =>
            state.load[ji]! < maxLoad - 1 ? [{ judgeId: j.id, load: state.load[ji]!, eligibleProposals: eligibleProposals[ji]! }] : [],
          ),
        };
  return { ok: true, assignments, loads, balance, dropped };
}

/** Mutable working state of one `assignJudges` call (never escapes it). */
class State {
  readonly load: number[];
  /** Number of judges on each proposal. */
  readonly judgesOf: number[];
  /** `on[p * J + j]`: 0 not assigned, 1 assigned fresh, 2 kept from `existing`. */
  readonly on: Uint8Array;
  /** Proposals of each judge, in insertion order (deterministic). */
  readonly proposalsOf: Set<number>[];

  constructor(readonly t: Table) {
    const J = t.judges.length;
    this.load = new Array<number>(J).fill(0);
    this.judgesOf = new Array<number>(t.proposals.length).fill(0);
    this.on = new Uint8Array(t.proposals.length * J);
    this.proposalsOf = t.judges.map(() => new Set<number>());
  }

  /** The judge may be added to the proposal: no conflict, not already on it. */
  free(pi: number, ji: number) {
    const at = pi * this.t.judges.length + ji;
    return this.t.reason[at] === 0 && this.on[at] === 0;
  }

  add(pi: number, ji: number, kept: boolean) {
    this.on[pi * this.t.judges.length + ji] = kept ? 2 : 1;
    this.load[ji]!++;
    this.judgesOf[pi]!++;
    this.proposalsOf[ji]!.add(pi);
  }

  remove(pi: number, ji: number) {
    this.on[pi * this.t.judges.length + ji] = 0;
    this.load[ji]!--;
    this.judgesOf[pi]!--;
    this.proposalsOf[ji]!.delete(pi);
  }

  /** Adds the valid pairs of `existing` (at most `k` per proposal, lowest judge ids first). */
  keep(existing: readonly Assignment[], k: number): DroppedAssignment[] {
    const dropped: DroppedAssignment[] = [];
    const seen = new Set<number>();
    for (const a of [...existing].sort(byPair)) {
      const pi = this.t.proposalIndex.get(a.proposalId);
      const ji = this.t.judgeIndex.get(a.judgeId);
      const at = pi === undefined || ji === undefined ? -1 : pi * this.t.judges.length + ji;
      const reason: DropReason | null =
        pi === undefined
          ? "unknownProposal"
          : ji === undefined
            ? "unknownJudge"
            : (reasonAt(this.t, pi, ji) ?? (seen.has(at) ? "duplicate" : this.judgesOf[pi]! >= k ? "excess" : null));
      seen.add(at);
      if (reason) dropped.push({ proposalId: a.proposalId, judgeId: a.judgeId, reason });
      else this.add(pi!, ji!, true);
    }
    return dropped;
  }

  /**
   * Repair: while some judge can pass work, through a chain of judges each handing one proposal
   * to the next, to a judge with at least two fewer proposals, do so. Each move lowers the sum of
   * squared loads, and when none is left the loads are as even as any assignment allows.
   * Sources are tried busiest first; a search that finds nothing also settles every judge it
   * reached with no more load than its source, so one full pass costs one graph traversal.
   */
  rebalance() {
    const J = this.t.judges.length;
    for (;;) {
      const min = Math.min(...this.load);
      const max = Math.max(...this.load);
      if (J === 0 || max - min <= 1) return;
      const sources = [...Array(J).keys()].sort((a, b) => this.load[b]! - this.load[a]! || a - b);
      const settled = new Uint8Array(J);
      let moved = false;
      for (const s of sources) {
        if (this.load[s]! < min + 2) break;
        if (settled[s]) continue;
        const reached = this.search(s);
        if (reached.target >= 0) {
          this.shift(s, reached.target, reached.prev, reached.via);
          moved = true;
          break;
        }
        for (const v of reached.visited) if (this.load[v]! <= this.load[s]!) settled[v] = 1;
      }
      if (!moved) return;
    }
  }

  /**
   * Breadth-first search over "judge u can hand proposal p to judge v" from `s`; returns the
   * least-loaded reachable judge with at least two fewer proposals than `s` (the first found
   * on a tie, so the chain of moves is short), or -1. Proposals assigned fresh are handed on before kept ones.
   */
  private search(s: number) {
    const J = this.t.judges.length;
    const prev = new Int32Array(J).fill(-1);
    const via = new Int32Array(J).fill(-1);
    const seen = new Uint8Array(J);
    seen[s] = 1;
    const visited = [s];
    let target = -1;
    for (let q = 0; q < visited.length; q++) {
      const u = visited[q]!;
      for (const pass of [1, 2]) {
        for (const pi of this.proposalsOf[u]!) {
          if (this.on[pi * J + u] !== pass) continue;
          for (let v = 0; v < J; v++) {
            if (seen[v] || !this.free(pi, v)) continue;
            seen[v] = 1;
            prev[v] = u;
            via[v] = pi;
            visited.push(v);
            if (this.load[v]! <= this.load[s]! - 2 && (target < 0 || this.load[v]! < this.load[target]!)) target = v;
          }
        }
      }
    }
    return { target, prev, via, visited };
  }

  private shift(s: number, target: number, prev: Int32Array, via: Int32Array) {
    for (let v = target; v !== s; ) {
      const u = prev[v]!;
      const pi = via[v]!;
      this.remove(pi, u);
      this.add(pi, v, false);
      v = u;
    }
  }

  pairs(): Assignment[] {
    const out: Assignment[] = [];
    const J = this.t.judges.length;
    for (let pi = 0; pi < this.t.proposals.length; pi++) {
      for (let ji = 0; ji < J; ji++) {
        if (this.on[pi * J + ji] !== 0) out.push({ proposalId: this.t.proposals[pi]!.id, judgeId: this.t.judges[ji]!.id });
      }
    }
    return out;
  }
}

/** Proposals per judge in `current`, for the judges of `judges` only. */
function loadsOf(current: readonly Assignment[], judges: readonly JudgeForAssignment[]): Map<string, number> {
  const loads = new Map(judges.map((j) => [j.id, 0]));
  for (const a of current) {
    const n = loads.get(a.judgeId);
    if (n !== undefined) loads.set(a.judgeId, n + 1);
  }
  return loads;
}

export type ReassignProblem =
  | { code: "unknownProposal"; proposalId: string }
  | { code: "notAssigned"; proposalId: string; judgeId: string }
  /** Every other judge of the round is conflicted or already on the proposal. */
  | { code: "noEligibleJudge"; proposalId: string; conflicted: ConflictedJudge[]; alreadyAssigned: string[] };

export type ReassignResult =
  | { ok: true; assignments: Assignment[]; replacement: { proposalId: string; fromJudgeId: string; toJudgeId: string } }
  | { ok: false; problem: ReassignProblem };

/**
 * A judge declared a conflict on an assigned proposal: replaces only that pair, by the
 * least-loaded judge (loads counted in `current`, ties by id) with no conflict and not already
 * on the proposal. The declaring judge is never chosen, whether or not `input` already records
 * the new conflict. Every other pair is left as it is (order kept, the new pair in place of the
 * old); loads may end up two apart — run `assignJudges` with `existing` to rebalance.
 */
export function reassignAfterConflict(
  current: readonly Assignment[],
  input: Pick<AssignmentInput, "proposals" | "judges">,
  judgeId: string,
  proposalId: string,
): ReassignResult {
  const proposal = input.proposals.find((p) => p.id === proposalId);
  if (!proposal) return { ok: false, problem: { code: "unknownProposal", proposalId } };
  const at = current.findIndex((a) => a.proposalId === proposalId && a.judgeId === judgeId);
  if (at < 0) return { ok: false, problem: { code: "notAssigned", proposalId, judgeId } };
  const onProposal = new Set(current.filter((a) => a.proposalId === proposalId).map((a) => a.judgeId));
  const loads = loadsOf(current, input.judges);
  const conflicted: ConflictedJudge[] = [];
  let best: JudgeForAssignment | null = null;
  for (const judge of [...input.judges].sort((a, b) => byId(a.id, b.id))) {
    const reason = conflictOf(judge, proposal);
    if (reason) conflicted.push({ judgeId: judge.id, reason });
    if (reason || judge.id === judgeId || onProposal.has(judge.id)) continue;
    if (!best || loads.get(judge.id)! < loads.get(best.id)!) best = judge;
  }
  if (!best) {
    const alreadyAssigned = [...onProposal].filter((id) => id !== judgeId && !conflicted.some((c) => c.judgeId === id)).sort(byId);
    return { ok: false, problem: { code: "noEligibleJudge", proposalId, conflicted, alreadyAssigned } };
  }
  const toJudgeId = best.id;
  const assignments = current.map((a, i) => (i === at ? { proposalId, judgeId: toJudgeId } : a));
  return { ok: true, assignments, replacement: { proposalId, fromJudgeId: judgeId, toJudgeId } };
}

export type SwapProblem =
  | "unknownProposal"
  /** `fromJudgeId` is not assigned to the proposal. */
  | "notAssigned"
  /** `toJudgeId` is not a judge of the round. */
  | "unknownJudge"
  | "sameJudge"
  /** `toJudgeId` already reviews the proposal. */
  | "alreadyAssigned"
  | ConflictReason;

/** Why an official may not replace `fromJudgeId` by `toJudgeId` on a proposal, or null. */
export function swapProblem(
  current: readonly Assignment[],
  input: Pick<AssignmentInput, "proposals" | "judges">,
  proposalId: string,
  fromJudgeId: string,
  toJudgeId: string,
): SwapProblem | null {
  const proposal = input.proposals.find((p) => p.id === proposalId);
  if (!proposal) return "unknownProposal";
  if (!current.some((a) => a.proposalId === proposalId && a.judgeId === fromJudgeId)) return "notAssigned";
  const to = input.judges.find((j) => j.id === toJudgeId);
  if (!to) return "unknownJudge";
  if (toJudgeId === fromJudgeId) return "sameJudge";
  if (current.some((a) => a.proposalId === proposalId && a.judgeId === toJudgeId)) return "alreadyAssigned";
  return conflictOf(to, proposal);
}

export type SwapResult = { ok: true; assignments: Assignment[] } | { ok: false; problem: SwapProblem };

/** Applies a manual swap after `swapProblem` allows it; the new pair takes the old one's place. */
export function swapJudges(
  current: readonly Assignment[],
  input: Pick<AssignmentInput, "proposals" | "judges">,
  proposalId: string,
  fromJudgeId: string,
  toJudgeId: string,
): SwapResult {
  const problem = swapProblem(current, input, proposalId, fromJudgeId, toJudgeId);
  if (problem) return { ok: false, problem };
  const assignments = current.map((a) => (a.proposalId === proposalId && a.judgeId === fromJudgeId ? { proposalId, judgeId: toJudgeId } : a));
  return { ok: true, assignments };
}
