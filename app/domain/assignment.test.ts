import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  assignJudges,
  conflictOf,
  reassignAfterConflict,
  swapJudges,
  swapProblem,
  type Assignment,
  type AssignmentInput,
  type JudgeForAssignment,
  type ProposalForAssignment,
} from "./assignment";

const proposal = (id: string, organizationId: string, organizationUscc?: string | null): ProposalForAssignment => ({
  id,
  organizationId,
  organizationUscc,
});
const judge = (id: string, extra: Partial<JudgeForAssignment> = {}): JudgeForAssignment => ({
  id,
  memberOfOrganizationIds: [],
  declaredConflicts: [],
  ...extra,
});
const judges = (n: number) => Array.from({ length: n }, (_, i) => judge(`j${i}`));
const proposals = (n: number) => Array.from({ length: n }, (_, i) => proposal(`p${String(i).padStart(4, "0")}`, `o${i}`));

/** Assignments written proposal:judge, space separated: "a:j1 a:j2" → [{ proposalId: "a", judgeId: "j1" }, { proposalId: "a", judgeId: "j2" }]. */
const pairs = (text: string): Assignment[] =>
  text.split(" ").map((pair) => {
    const [proposalId, judgeId] = pair.split(":") as [string, string];
    return { proposalId, judgeId };
  });

function ok(input: AssignmentInput) {
  const r = assignJudges(input);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problems)}`);
  return r;
}

/** Every invariant of a successful assignment, checked independently of the implementation. */
function expectValid(input: AssignmentInput, assignments: readonly Assignment[], k: number) {
  const byProposal = new Map(input.proposals.map((p) => [p.id, new Set<string>()]));
  const judgeById = new Map(input.judges.map((j) => [j.id, j]));
  const proposalById = new Map(input.proposals.map((p) => [p.id, p]));
  let pairs = 0;
  for (const a of assignments) {
    const set = byProposal.get(a.proposalId);
    const j = judgeById.get(a.judgeId);
    expect(set, `unknown proposal ${a.proposalId}`).toBeDefined();
    expect(j, `unknown judge ${a.judgeId}`).toBeDefined();
    expect(conflictOf(j!, proposalById.get(a.proposalId)!)).toBeNull();
    set!.add(a.judgeId);
    pairs++;
  }
  for (const set of byProposal.values()) expect(set.size).toBe(k);
  expect(pairs).toBe(k * input.proposals.length); // no duplicate pair
}

const loadsFrom = (input: AssignmentInput, assignments: readonly Assignment[]) => {
  const loads = Object.fromEntries(input.judges.map((j) => [j.id, 0]));
  for (const a of assignments) loads[a.judgeId]!++;
  return loads;
};

const spread = (loads: Record<string, number>) => {
  const v = Object.values(loads);
  return v.length === 0 ? 0 : Math.max(...v) - Math.min(...v);
};

describe("conflictOf", () => {
  const p = proposal("p1", "orgA", "91330482MA2ABCDE1X");
  it("is null without any relation", () => {
    expect(conflictOf(judge("j"), p)).toBeNull();
    expect(conflictOf(judge("j", { memberOfOrganizationIds: ["orgB"], conflictUsccs: ["OTHER"] }), p)).toBeNull();
  });
  it("detects membership of the applicant organization", () => {
    expect(conflictOf(judge("j", { memberOfOrganizationIds: ["orgB", "orgA"] }), p)).toBe("member");
  });
  it("detects the same organization USCC, as typed (case, spaces)", () => {
    expect(conflictOf(judge("j", { conflictUsccs: ["91330482 ma2abcde1x"] }), p)).toBe("sameUscc");
    expect(conflictOf(judge("j", { conflictUsccs: [""] }), proposal("p2", "orgA", ""))).toBeNull();
    expect(conflictOf(judge("j", { conflictUsccs: ["X"] }), proposal("p2", "orgA", null))).toBeNull();
  });
  it("detects declared relations with the organization or the proposal", () => {
    expect(conflictOf(judge("j", { declaredConflicts: [{ organizationId: "orgA", kind: "family" }] }), p)).toBe("declaredOrganization");
    expect(conflictOf(judge("j", { declaredConflicts: [{ proposalId: "p1", kind: "other" }] }), p)).toBe("declaredProposal");
    expect(conflictOf(judge("j", { declaredConflicts: [{ proposalId: "p9", organizationId: "orgZ", kind: "other" }] }), p)).toBeNull();
  });
  it("reports the first reason in a fixed order when several apply", () => {
    const all = judge("j", {
      memberOfOrganizationIds: ["orgA"],
      conflictUsccs: ["91330482MA2ABCDE1X"],
      declaredConflicts: [{ organizationId: "orgA", proposalId: "p1", kind: "x" }],
    });
    expect(conflictOf(all, p)).toBe("member");
  });
});

describe("assignJudges: hand examples", () => {
  it("balances three proposals over three judges, two each, deterministically", () => {
    const input = { proposals: proposals(3), judges: judges(3), k: 2 };
    const r = ok(input);
    expect(r.assignments).toEqual(pairs("p0000:j0 p0000:j1 p0001:j0 p0001:j2 p0002:j1 p0002:j2"));
    expect(r.loads).toEqual({ j0: 2, j1: 2, j2: 2 });
    expect(r.balance).toEqual({ balanced: true, minLoad: 2, maxLoad: 2 });
    expect(r.dropped).toEqual([]);
  });

  it("uses k = 5 by default", () => {
    const input = { proposals: proposals(4), judges: judges(7) };
    const r = ok(input);
    expectValid(input, r.assignments, 5);
    expect(spread(r.loads)).toBeLessThanOrEqual(1);
  });

  it("never assigns a member of the applicant organization and still balances", () => {
    const input = {
      proposals: [proposal("a", "orgA"), proposal("b", "orgB"), proposal("c", "orgC"), proposal("d", "orgD")],
      judges: [judge("j1", { memberOfOrganizationIds: ["orgA", "orgB"] }), judge("j2"), judge("j3"), judge("j4")],
      k: 2,
    };
    const r = ok(input);
    expectValid(input, r.assignments, 2);
    expect(r.assignments.filter((a) => a.judgeId === "j1").map((a) => a.proposalId)).toEqual(["c", "d"]);
    expect(r.loads).toEqual({ j1: 2, j2: 2, j3: 2, j4: 2 });
  });

  it("refuses when k is larger than the number of judges", () => {
    expect(assignJudges({ proposals: proposals(2), judges: judges(3), k: 5 })).toEqual({
      ok: false,
      problems: [{ code: "tooFewJudges", judges: 3, required: 5 }],
    });
  });

  it("explains which proposal lacks judges, how many are eligible and who is conflicted why", () => {
    const input = {
      proposals: [proposal("a", "orgA", "USCC-A"), proposal("b", "orgB")],
      judges: [
        judge("j1", { memberOfOrganizationIds: ["orgA"] }),
        judge("j2", { conflictUsccs: ["uscc-b"] }),
        judge("j3", { conflictUsccs: ["uscc-a"] }),
        judge("j4", { declaredConflicts: [{ proposalId: "a", kind: "friend" }] }),
      ],
      k: 3,
    };
    expect(assignJudges(input)).toEqual({
      ok: false,
      problems: [
        {
          code: "notEnoughEligibleJudges",
          proposalId: "a",
          eligible: 1,
          required: 3,
          conflicted: [
            { judgeId: "j1", reason: "member" },
            { judgeId: "j3", reason: "sameUscc" },
            { judgeId: "j4", reason: "declaredProposal" },
          ],
        },
      ],
    });
  });

  it("refuses invalid k and duplicate ids with codes", () => {
    expect(assignJudges({ proposals: proposals(1), judges: judges(3), k: 0 })).toEqual({ ok: false, problems: [{ code: "invalidK", k: 0 }] });
    expect(assignJudges({ proposals: proposals(1), judges: judges(3), k: 1.5 })).toEqual({ ok: false, problems: [{ code: "invalidK", k: 1.5 }] });
    expect(assignJudges({ proposals: [...proposals(2), proposal("p0001", "x")], judges: [...judges(2), judge("j1")], k: 1 })).toEqual({
      ok: false,
      problems: [
        { code: "duplicateProposalId", proposalId: "p0001" },
        { code: "duplicateJudgeId", judgeId: "j1" },
      ],
    });
  });

  it("succeeds with nothing to assign", () => {
    const r = ok({ proposals: [], judges: judges(3), k: 2 });
    expect(r.assignments).toEqual([]);
    expect(r.loads).toEqual({ j0: 0, j1: 0, j2: 0 });
    expect(r.balance.balanced).toBe(true);
  });

  it("reports, rather than refuses, an imbalance that conflicts force, naming the limited judges", () => {
    // j3 may only review proposal "a": it cannot reach the 3 proposals the others carry.
    const input = {
      proposals: [proposal("a", "oA"), proposal("b", "oB"), proposal("c", "oC"), proposal("d", "oD")],
      judges: [judge("j1"), judge("j2"), judge("j3", { memberOfOrganizationIds: ["oB", "oC", "oD"] })],
      k: 2,
    };
    const r = ok(input);
    expectValid(input, r.assignments, 2);
    expect(r.loads).toEqual({ j1: 4, j2: 3, j3: 1 });
    expect(r.balance).toEqual({
      balanced: false,
      reason: "conflictsPreventBalance",
      minLoad: 1,
      maxLoad: 4,
      limitedJudges: [{ judgeId: "j3", load: 1, eligibleProposals: 1 }],
    });
  });

  it("repairs a greedy imbalance through a chain of moves", () => {
    // Most-constrained first puts c on j1/j2 … the repair must still reach loads 2/2/2.
    const input = {
      proposals: [proposal("a", "oA"), proposal("b", "oB"), proposal("c", "oC")],
      judges: [judge("j1", { memberOfOrganizationIds: ["oA"] }), judge("j2"), judge("j3", { memberOfOrganizationIds: ["oC"] })],
      k: 2,
    };
    const r = ok(input);
    expectValid(input, r.assignments, 2);
    expect(r.loads).toEqual({ j1: 2, j2: 2, j3: 2 });
  });

  it("keeps valid existing pairs and says why the others were dropped", () => {
    const input: AssignmentInput = {
      proposals: [proposal("a", "oA"), proposal("b", "oB")],
      judges: [judge("j1", { memberOfOrganizationIds: ["oB"] }), judge("j2"), judge("j3")],
      k: 1,
      existing: pairs("a:j3 a:j3 a:j2 b:j1 gone:j1 a:left"),
    };
    const r = ok(input);
    expect(r.assignments).toContainEqual({ proposalId: "a", judgeId: "j2" });
    expect(r.dropped).toEqual([
      { proposalId: "a", judgeId: "j3", reason: "excess" },
      { proposalId: "a", judgeId: "j3", reason: "duplicate" },
      { proposalId: "a", judgeId: "left", reason: "unknownJudge" },
      { proposalId: "b", judgeId: "j1", reason: "member" },
      { proposalId: "gone", judgeId: "j1", reason: "unknownProposal" },
    ]);
    expectValid(input, r.assignments, 1);
  });

  it("after a new conflict, re-running with existing changes only a few pairs", () => {
    const base = { proposals: proposals(30), judges: judges(12), k: 5 };
    const first = ok(base);
    const victim = first.assignments[17]!;
    const after = {
      ...base,
      judges: base.judges.map((j) => (j.id === victim.judgeId ? { ...j, declaredConflicts: [{ proposalId: victim.proposalId, kind: "x" }] } : j)),
      existing: first.assignments,
    };
    const second = ok(after);
    expectValid(after, second.assignments, 5);
    expect(second.dropped).toEqual([{ ...victim, reason: "declaredProposal" }]);
    expect(spread(second.loads)).toBeLessThanOrEqual(1);
    const before = new Set(first.assignments.map((a) => `${a.proposalId}/${a.judgeId}`));
    const changed = second.assignments.filter((a) => !before.has(`${a.proposalId}/${a.judgeId}`));
    expect(changed.length).toBeLessThanOrEqual(3);
  });

  it("handles 2,000 proposals × 60 judges, k = 5", () => {
    const ps = proposals(2000).map((p, i) => ({ ...p, organizationId: `o${i % 500}` }));
    const js = judges(60).map((j, i) => ({ ...j, memberOfOrganizationIds: [`o${i}`, `o${i + 100}`] }));
    const input = { proposals: ps, judges: js, k: 5 };
    const r = ok(input);
    expectValid(input, r.assignments, 5);
    expect(r.balance.balanced).toBe(true);
  });
});

// ---- random inputs -------------------------------------------------------------------------

const ORGS = ["o1", "o2", "o3", "o4", "o5", "o6"];
const USCCS = ["U1", "U2", "U3"];

const arbProposals = (max: number) =>
  fc.uniqueArray(
    fc.record({
      id: fc.integer({ min: 0, max: 99 }).map((n) => `p${n}`),
      organizationId: fc.constantFrom(...ORGS),
      organizationUscc: fc.option(fc.constantFrom(...USCCS), { nil: null }),
    }),
    { selector: (p) => p.id, maxLength: max },
  );

const arbJudges = (max: number, conflictRate: number) =>
  fc.uniqueArray(
    fc.record({
      id: fc.integer({ min: 0, max: 99 }).map((n) => `j${n}`),
      memberOfOrganizationIds: fc.subarray(ORGS, { maxLength: conflictRate }),
      conflictUsccs: fc.subarray(USCCS, { maxLength: Math.min(conflictRate, 1) }),
      declaredConflicts: fc.array(
        fc.record({
          organizationId: fc.option(fc.constantFrom(...ORGS), { nil: undefined }),
          proposalId: fc.option(fc.integer({ min: 0, max: 99 }).map((n) => `p${n}`), { nil: undefined }),
          kind: fc.constant("declared"),
        }),
        { maxLength: conflictRate },
      ),
    }),
    { selector: (j) => j.id, minLength: 1, maxLength: max },
  );

const arbInput = (opts: { maxProposals: number; maxJudges: number; maxK: number; conflictRate: number }) =>
  fc.record({
    proposals: arbProposals(opts.maxProposals),
    judges: arbJudges(opts.maxJudges, opts.conflictRate),
    k: fc.integer({ min: 1, max: opts.maxK }),
  });

const eligibleCount = (input: AssignmentInput, p: ProposalForAssignment) => input.judges.filter((j) => conflictOf(j, p) === null).length;

describe("assignJudges: properties", () => {
  it("ok exactly when every proposal has k conflict-free judges; then k distinct judges each, no conflict, loads as counted", () => {
    fc.assert(
      fc.property(arbInput({ maxProposals: 12, maxJudges: 8, maxK: 4, conflictRate: 2 }), (input) => {
        const r = assignJudges(input);
        const feasible = input.k <= input.judges.length && input.proposals.every((p) => eligibleCount(input, p) >= input.k);
        expect(r.ok).toBe(feasible);
        if (!r.ok) {
          for (const problem of r.problems) {
            if (problem.code === "notEnoughEligibleJudges") {
              const p = input.proposals.find((q) => q.id === problem.proposalId)!;
              expect(problem.eligible).toBe(eligibleCount(input, p));
              expect(problem.eligible).toBeLessThan(input.k);
              expect(problem.conflicted.length).toBe(input.judges.length - problem.eligible);
            } else expect(problem.code).toBe("tooFewJudges");
          }
          return;
        }
        expectValid(input, r.assignments, input.k);
        expect(r.loads).toEqual(loadsFrom(input, r.assignments));
        expect(r.balance.balanced).toBe(spread(r.loads) <= 1);
      }),
    );
  });

  it("loads differ by at most one when there are no conflicts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 6 }),
        (nP, nJ, k) => {
          fc.pre(k <= nJ);
          const input = { proposals: proposals(nP), judges: judges(nJ), k };
          const r = ok(input);
          expectValid(input, r.assignments, k);
          expect(spread(r.loads)).toBeLessThanOrEqual(1);
          expect(r.balance.balanced).toBe(true);
        },
      ),
    );
  });

  it("is as balanced as any valid assignment (brute force on tiny rounds)", () => {
    fc.assert(
      fc.property(arbInput({ maxProposals: 4, maxJudges: 4, maxK: 2, conflictRate: 3 }), (input) => {
        const r = assignJudges(input);
        if (!r.ok) return;
        const best = bruteForce(input);
        const loads = Object.values(r.loads);
        expect(Math.max(...loads)).toBe(best.minMax);
        expect(Math.min(...loads)).toBe(best.maxMin);
        expect(r.balance.balanced).toBe(best.canBalance);
      }),
    );
  });

  it("is deterministic, whatever the order of the input", () => {
    fc.assert(
      fc.property(arbInput({ maxProposals: 15, maxJudges: 8, maxK: 3, conflictRate: 2 }), (input) => {
        const a = assignJudges(input);
        const b = assignJudges(structuredClone(input));
        const c = assignJudges({ ...input, proposals: [...input.proposals].reverse(), judges: [...input.judges].reverse() });
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }),
    );
  });

  it("re-running with its own result as existing changes nothing", () => {
    fc.assert(
      fc.property(arbInput({ maxProposals: 15, maxJudges: 8, maxK: 3, conflictRate: 2 }), (input) => {
        const r = assignJudges(input);
        if (!r.ok) return;
        const again = ok({ ...input, existing: r.assignments });
        expect(again.assignments).toEqual(r.assignments);
        expect(again.dropped).toEqual([]);
      }),
    );
  });

  it("re-running with arbitrary existing pairs stays valid and keeps only valid ones", () => {
    fc.assert(
      fc.property(
        arbInput({ maxProposals: 10, maxJudges: 8, maxK: 3, conflictRate: 2 }),
        fc.array(fc.record({ proposalId: fc.integer({ min: 0, max: 99 }).map((n) => `p${n}`), judgeId: fc.integer({ min: 0, max: 99 }).map((n) => `j${n}`) }), {
          maxLength: 30,
        }),
        (input, existing) => {
          const r = assignJudges({ ...input, existing });
          if (!r.ok) return;
          expectValid(input, r.assignments, input.k);
          expect(r.dropped.length).toBeLessThanOrEqual(existing.length);
        },
      ),
    );
  });
});

/** Every assignment of tiny inputs: the smallest possible maximum load, largest minimum, balance. */
function bruteForce(input: { proposals: ProposalForAssignment[]; judges: JudgeForAssignment[]; k: number }) {
  const options = input.proposals.map((p) => subsets(input.judges.filter((j) => conflictOf(j, p) === null).map((j) => j.id), input.k));
  let minMax = Infinity;
  let maxMin = -Infinity;
  let canBalance = false;
  const walk = (i: number, loads: Map<string, number>) => {
    if (i === options.length) {
      const v = [...loads.values()];
      const max = Math.max(...v);
      const min = Math.min(...v);
      minMax = Math.min(minMax, max);
      maxMin = Math.max(maxMin, min);
      if (max - min <= 1) canBalance = true;
      return;
    }
    for (const set of options[i]!) {
      const next = new Map(loads);
      for (const id of set) next.set(id, next.get(id)! + 1);
      walk(i + 1, next);
    }
  };
  walk(0, new Map(input.judges.map((j) => [j.id, 0])));
  return { minMax, maxMin, canBalance };
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items as [T, ...T[]];
  return [...subsets(rest, size - 1).map((s) => [first, ...s]), ...subsets(rest, size)];
}

describe("reassignAfterConflict", () => {
  const input = {
    proposals: [proposal("a", "oA"), proposal("b", "oB")],
    judges: [judge("j1"), judge("j2"), judge("j3", { memberOfOrganizationIds: ["oA"] }), judge("j4")],
  };
  const current = pairs("a:j1 a:j2 b:j3 b:j4 b:j1");

  it("replaces only that pair by the least-loaded eligible judge not on the proposal", () => {
    // j3 is conflicted (member of oA), j4 has load 1 and j2 is already on a.
    expect(reassignAfterConflict(current, input, "j1", "a")).toEqual({
      ok: true,
      assignments: pairs("a:j4 a:j2 b:j3 b:j4 b:j1"),
      replacement: { proposalId: "a", fromJudgeId: "j1", toJudgeId: "j4" },
    });
  });

  it("explains when nobody is eligible", () => {
    expect(reassignAfterConflict(current, input, "j3", "b")).toEqual({
      ok: true,
      assignments: current.map((a) => (a.judgeId === "j3" ? { proposalId: "b", judgeId: "j2" } : a)),
      replacement: { proposalId: "b", fromJudgeId: "j3", toJudgeId: "j2" },
    });
    const cur = [...current, { proposalId: "a", judgeId: "j4" }];
    expect(reassignAfterConflict(cur, input, "j1", "a")).toEqual({
      ok: false,
      problem: { code: "noEligibleJudge", proposalId: "a", conflicted: [{ judgeId: "j3", reason: "member" }], alreadyAssigned: ["j2", "j4"] },
    });
  });

  it("refuses unknown proposals and pairs that are not assigned", () => {
    expect(reassignAfterConflict(current, input, "j1", "zz")).toEqual({ ok: false, problem: { code: "unknownProposal", proposalId: "zz" } });
    expect(reassignAfterConflict(current, input, "j4", "a")).toEqual({ ok: false, problem: { code: "notAssigned", proposalId: "a", judgeId: "j4" } });
  });

  it("never introduces a conflict or a duplicate, and changes exactly one pair", () => {
    fc.assert(
      fc.property(arbInput({ maxProposals: 10, maxJudges: 10, maxK: 3, conflictRate: 2 }), fc.nat(), (input, pick) => {
        const r = assignJudges(input);
        if (!r.ok || r.assignments.length === 0) return;
        const victim = r.assignments[pick % r.assignments.length]!;
        const declared = {
          ...input,
          judges: input.judges.map((j) =>
            j.id === victim.judgeId ? { ...j, declaredConflicts: [...j.declaredConflicts, { proposalId: victim.proposalId, kind: "x" }] } : j,
          ),
        };
        const re = reassignAfterConflict(r.assignments, declared, victim.judgeId, victim.proposalId);
        if (!re.ok) {
          expect(re.problem.code).toBe("noEligibleJudge");
          expect(eligibleCount(declared, declared.proposals.find((p) => p.id === victim.proposalId)!)).toBe(input.k - 1);
          return;
        }
        expectValid(declared, re.assignments, input.k);
        expect(re.assignments.filter((a, i) => a !== r.assignments[i])).toEqual([{ proposalId: victim.proposalId, judgeId: re.replacement.toJudgeId }]);
      }),
    );
  });
});

describe("swapProblem / swapJudges", () => {
  const input = {
    proposals: [proposal("a", "oA", "U-A"), proposal("b", "oB")],
    judges: [
      judge("j1"),
      judge("j2"),
      judge("j3", { memberOfOrganizationIds: ["oA"] }),
      judge("j4", { conflictUsccs: ["u-a"] }),
      judge("j5", { declaredConflicts: [{ organizationId: "oA", kind: "family" }] }),
      judge("j6", { declaredConflicts: [{ proposalId: "a", kind: "other" }] }),
      judge("j7"),
    ],
  };
  const current = pairs("a:j1 a:j2 b:j3");

  it("allows a conflict-free judge not yet on the proposal", () => {
    expect(swapProblem(current, input, "a", "j1", "j7")).toBeNull();
    expect(swapJudges(current, input, "a", "j1", "j7")).toEqual({
      ok: true,
      assignments: [{ proposalId: "a", judgeId: "j7" }, current[1], current[2]],
    });
  });

  it("names the reason for every refusal", () => {
    expect(swapProblem(current, input, "zz", "j1", "j7")).toBe("unknownProposal");
    expect(swapProblem(current, input, "a", "j7", "j1")).toBe("notAssigned");
    expect(swapProblem(current, input, "a", "j1", "nobody")).toBe("unknownJudge");
    expect(swapProblem(current, input, "a", "j1", "j1")).toBe("sameJudge");
    expect(swapProblem(current, input, "a", "j1", "j2")).toBe("alreadyAssigned");
    expect(swapProblem(current, input, "a", "j1", "j3")).toBe("member");
    expect(swapProblem(current, input, "a", "j1", "j4")).toBe("sameUscc");
    expect(swapProblem(current, input, "a", "j1", "j5")).toBe("declaredOrganization");
    expect(swapProblem(current, input, "a", "j1", "j6")).toBe("declaredProposal");
    expect(swapJudges(current, input, "a", "j1", "j3")).toEqual({ ok: false, problem: "member" });
  });

  it("an allowed swap keeps an assignment valid", () => {
    fc.assert(
      fc.property(arbInput({ maxProposals: 8, maxJudges: 8, maxK: 3, conflictRate: 2 }), fc.nat(), fc.nat(), (input, pick, to) => {
        const r = assignJudges(input);
        if (!r.ok || r.assignments.length === 0) return;
        const a = r.assignments[pick % r.assignments.length]!;
        const toJudge = input.judges[to % input.judges.length]!.id;
        const s = swapJudges(r.assignments, input, a.proposalId, a.judgeId, toJudge);
        if (s.ok) expectValid(input, s.assignments, input.k);
        else expect(swapProblem(r.assignments, input, a.proposalId, a.judgeId, toJudge)).toBe(s.problem);
      }),
    );
  });
});
