import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agreementTerms, approveProblem, OBLIGATIONS, prepareProblem, scaleBudget, trancheMilestones, transferRefProblem, type TrancheState } from "./agreement";

describe("scaleBudget", () => {
  it("keeps a fully funded budget as requested", () => {
    expect(scaleBudget([500_000, 300_000, 200_000], 1_000_000)).toEqual([500_000, 300_000, 200_000]);
  });

  it("scales a partial award proportionally, summing exactly", () => {
    expect(scaleBudget([500_000, 300_000, 200_000], 800_000)).toEqual([400_000, 240_000, 160_000]);
    expect(scaleBudget([1, 1, 1], 2)).toEqual([1, 1, 0]);
  });

  it("sums exactly to min(award, requested) with no line growing, for any input", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 20_000_000 }), (lines, award) => {
        const scaled = scaleBudget(lines, award);
        const total = lines.reduce((s, n) => s + n, 0);
        expect(scaled.reduce((s, n) => s + n, 0)).toBe(total === 0 ? 0 : Math.min(award, total));
        scaled.forEach((n, i) => {
          expect(Number.isInteger(n)).toBe(true);
          expect(n).toBeGreaterThanOrEqual(0);
          expect(n).toBeLessThanOrEqual(lines[i]!);
        });
      }),
    );
  });
});

describe("trancheMilestones", () => {
  it("ties the default schedule to the middle and the last milestone", () => {
    expect(trancheMilestones(["AGREEMENT", "MIDTERM", "FINAL"], 3)).toEqual([null, 2, 3]);
    expect(trancheMilestones(["AGREEMENT", "MIDTERM", "FINAL"], 4)).toEqual([null, 3, 4]);
    expect(trancheMilestones(["AGREEMENT", "MIDTERM", "MIDTERM", "FINAL"], 5)).toEqual([null, 2, 4, 5]);
  });

  it("handles one milestone or none", () => {
    expect(trancheMilestones(["AGREEMENT", "MIDTERM", "FINAL"], 1)).toEqual([null, 1, 1]);
    expect(trancheMilestones(["AGREEMENT", "MIDTERM", "FINAL"], 0)).toEqual([null, null, null]);
  });

  it("ties every later tranche to an existing milestone, in order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.integer({ min: 1, max: 12 }), (midterms, final, n) => {
        const triggers = ["AGREEMENT", ...Array(midterms).fill("MIDTERM"), ...(final ? ["FINAL"] : [])] as ("AGREEMENT" | "MIDTERM" | "FINAL")[];
        const tied = trancheMilestones(triggers, n);
        expect(tied[0]).toBeNull();
        const later = tied.slice(1) as number[];
        later.forEach((p) => expect(p >= 1 && p <= n).toBe(true));
        for (let i = 1; i < later.length; i++) expect(later[i]!).toBeGreaterThanOrEqual(later[i - 1]!);
      }),
    );
  });
});

describe("agreementTerms", () => {
  const input = {
    snapshot: {
      referenceNo: "JN7-0001",
      title: "长者助餐",
      summary: "为独居老人送餐",
      organization: { name: "松枫社区志愿队", kind: "RESIDENT_TEAM" },
      community: { nameZh: "松枫社区", nameEn: "Songfeng" },
      category: "PUBLIC_SERVICE",
      beneficiaryCount: 60,
      coFundingFen: 50_000,
      milestones: [
        { title: "启动", dueOn: "2027-03-01", deliverable: "" },
        { title: "中期", dueOn: "2027-06-01", deliverable: "" },
        { title: "总结", dueOn: null, deliverable: "" },
      ],
      budgetLines: [
        { category: "MATERIALS", item: "餐盒", totalFen: 700_000 },
        { category: "LABOUR", item: "劳务", totalFen: 300_001 },
      ],
    },
    round: { code: "JN7", title: "第七届", trancheSchedule: [{ percent: 50, trigger: "AGREEMENT" as const }, { percent: 30, trigger: "MIDTERM" as const }, { percent: 20, trigger: "FINAL" as const }], evaluationPassScore: 60 },
    area: { nameZh: "当湖街道", nameEn: "Danghu" },
    foundation: { nameZh: "当湖社区基金", nameEn: "Danghu fund" },
    awardFen: 900_001,
    generatedAt: new Date("2027-01-01T00:00:00Z"),
  };

  it("carries parties, amount, budget, milestones, tranches and obligations", () => {
    const terms = agreementTerms(input);
    expect(terms.grantee.name).toBe("松枫社区志愿队");
    expect(terms.awardFen).toBe(900_001);
    expect(terms.requestedFen).toBe(1_000_001);
    expect(terms.budget.map((l) => l.agreedFen).reduce((a, b) => a + b, 0)).toBe(900_001);
    expect(terms.tranches.map((t) => t.amountFen)).toEqual([450_001, 270_000, 180_000]);
    expect(terms.tranches.map((t) => t.milestonePosition)).toEqual([null, 2, 3]);
    expect(terms.obligations).toHaveLength(OBLIGATIONS.length);
    expect(terms.generatedAt).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("tranche release rules", () => {
  const base = { status: "RELEASABLE" as TrancheState, preparedById: null, earlier: [] as TrancheState[], projectStatus: "ACTIVE" };

  it("prepares only a releasable tranche of an active project whose earlier tranches are paid", () => {
    expect(prepareProblem(base)).toBeNull();
    expect(prepareProblem({ ...base, status: "LOCKED" })).toBe("tranche.problem.notReleasable");
    expect(prepareProblem({ ...base, status: "RELEASED" })).toBe("tranche.problem.alreadyReleased");
    expect(prepareProblem({ ...base, projectStatus: "AWAITING_COUNTERSIGN" })).toBe("tranche.problem.projectNotActive");
    expect(prepareProblem({ ...base, earlier: ["RELEASED", "PREPARED"] })).toBe("tranche.problem.earlierUnpaid");
  });

  it("approves only a prepared tranche, never by its preparer", () => {
    const prepared = { ...base, status: "PREPARED" as TrancheState, preparedById: "a" };
    expect(approveProblem(prepared, "b")).toBeNull();
    expect(approveProblem(prepared, "a")).toBe("tranche.problem.sameOfficial");
    expect(approveProblem({ ...prepared, status: "RELEASED" }, "b")).toBe("tranche.problem.alreadyReleased");
    expect(approveProblem(base, "b")).toBe("tranche.problem.notPrepared");
  });

  it("checks the bank reference", () => {
    expect(transferRefProblem("")).toBe("tranche.error.refRequired");
    expect(transferRefProblem("ab")).toBe("tranche.error.refFormat");
    expect(transferRefProblem("有中文1234")).toBe("tranche.error.refFormat");
    expect(transferRefProblem(" ICBC-2026/000123 ")).toBeNull();
  });
});
