import fc from "fast-check";
import { splitMessage } from "./messages";
import { describe, expect, it } from "vitest";
import {
  adjustmentCapProblems,
  tabOpen,
  adjustmentProblem,
  applyAdjustment,
  exceedsByTenPercent,
  movableFen,
  NOT_IN_BUDGET,
  parseDecision,
  parseReportDraft,
  percentOf,
  reportDecidable,
  reportEditable,
  spendingByLine,
  submissionProblems,
  validateAdjustment,
  validateExpense,
  validDay,
} from "./monitoring";

const ctx = { today: "2026-11-30", agreementDay: "2026-09-01", budgetLineIds: ["l1", "l2"] };
const expense = (over: Partial<Parameters<typeof validateExpense>[0]> = {}) => ({
  spentOn: "2026-10-15",
  payee: "  平湖市文具店  ",
  amount: "¥1,234.50",
  budgetLineId: "l1",
  description: "活动用品",
  ...over,
});

describe("milestone reports", () => {
  it("accepts any draft within limits and reads the number served", () => {
    expect(parseReportDraft({ narrative: "", beneficiariesServed: "" })).toEqual({ ok: true, value: { narrative: "", beneficiariesServed: null } });
    expect(parseReportDraft({ narrative: " 开展活动\r\n两次 ", beneficiariesServed: "１２０" })).toEqual({ ok: true, value: { narrative: "开展活动\n两次", beneficiariesServed: 120 } });
    expect(parseReportDraft({ narrative: "x", beneficiariesServed: "-3" })).toEqual({ ok: false, fieldErrors: { beneficiariesServed: ["monitoring.report.error.beneficiaries"] } });
    expect(parseReportDraft({ narrative: "x", beneficiariesServed: "1.5" }).ok).toBe(false);
    expect(parseReportDraft({ narrative: "长".repeat(10_001), beneficiariesServed: "" }).ok).toBe(false);
  });

  it("needs a narrative and the number served to submit", () => {
    expect(submissionProblems({ narrative: "", beneficiariesServed: null })).toEqual({
      narrative: ["monitoring.report.error.narrativeRequired"],
      beneficiariesServed: ["monitoring.report.error.beneficiariesRequired"],
    });
    expect(submissionProblems({ narrative: "done", beneficiariesServed: 0 })).toEqual({});
  });

  it("is edited only as a draft or when returned, decided only when submitted", () => {
    expect(["DRAFT", "RETURNED"].every((s) => reportEditable(s as never))).toBe(true);
    expect(["SUBMITTED", "APPROVED"].some((s) => reportEditable(s as never))).toBe(false);
    expect(reportDecidable("SUBMITTED")).toBe(true);
    expect(reportDecidable("RETURNED")).toBe(false);
  });

  it("returns only with a comment", () => {
    expect(parseDecision("RETURNED", "  ")).toEqual({ ok: false, error: "monitoring.decision.error.commentRequired" });
    expect(parseDecision("RETURNED", " 缺少签到表 ")).toEqual({ ok: true, decision: "RETURNED", comment: "缺少签到表" });
    expect(parseDecision("APPROVED", "")).toEqual({ ok: true, decision: "APPROVED", comment: "" });
    expect(parseDecision("MAYBE", "x")).toEqual({ ok: false, error: "monitoring.decision.error.kind" });
    expect(parseDecision("APPROVED", "x".repeat(2001)).ok).toBe(false);
  });
});

describe("expense validation", () => {
  it("accepts a valid expense as integer fen", () => {
    expect(validateExpense(expense(), ctx)).toEqual({
      ok: true,
      value: { spentOn: "2026-10-15", payee: "平湖市文具店", amountFen: 123_450, budgetLineId: "l1", description: "活动用品" },
    });
  });

  it("takes 'not in the budget' as an explicit null line", () => {
    const r = validateExpense(expense({ budgetLineId: NOT_IN_BUDGET }), ctx);
    expect(r.ok && r.value.budgetLineId).toBeNull();
  });

  it("refuses future dates, dates before the agreement, impossible dates", () => {
    const err = (spentOn: string) => {
      const r = validateExpense(expense({ spentOn }), ctx);
      return r.ok ? null : r.fieldErrors.spentOn;
    };
    expect(err("2026-12-01")).toEqual(["monitoring.expense.error.dateFuture"]);
    expect(err("2026-08-31")).toEqual(["monitoring.expense.error.dateBeforeAgreement"]);
    expect(err("2026-02-30")).toEqual(["monitoring.expense.error.dateFormat"]);
    expect(err("")).toEqual(["monitoring.expense.error.dateRequired"]);
    expect(err("2026-11-30")).toBeNull();
    expect(err("2026-09-01")).toBeNull();
  });

  it("refuses a missing payee, bad amounts, a missing or foreign budget line", () => {
    const r = validateExpense({ spentOn: "2026-10-01", payee: " ", amount: "12.345", budgetLineId: "", description: "" }, ctx);
    expect(r).toEqual({
      ok: false,
      fieldErrors: {
        payee: ["monitoring.expense.error.payeeRequired"],
        amount: ["money.decimals"],
        budgetLineId: ["monitoring.expense.error.lineRequired"],
      },
    });
    const zero = validateExpense(expense({ amount: "0", budgetLineId: "other-project-line" }), ctx);
    expect(zero.ok ? null : zero.fieldErrors).toEqual({ amount: ["money.tooSmall"], budgetLineId: ["monitoring.expense.error.lineUnknown"] });
  });

  it("recognises real calendar days only", () => {
    expect(validDay("2024-02-29")).toBe("2024-02-29");
    expect(validDay("2025-02-29")).toBeNull();
    expect(validDay("2025/02/01")).toBeNull();
  });
});

describe("spending per budget line", () => {
  const lines = [
    { id: "a", agreedFen: 10_000, budgetFen: 10_000 },
    { id: "b", agreedFen: 5_000, budgetFen: 5_000 },
    { id: "c", agreedFen: 0, budgetFen: 0 },
  ];

  it("sums approved and pending spend per line, with % used and the >10 % flag", () => {
    const s = spendingByLine(lines, [
      { budgetLineId: "a", status: "APPROVED", amountFen: 11_000 },
      { budgetLineId: "a", status: "SUBMITTED", amountFen: 500 },
      { budgetLineId: "b", status: "APPROVED", amountFen: 5_600 },
      { budgetLineId: "b", status: "RETURNED", amountFen: 100 },
      { budgetLineId: null, status: "APPROVED", amountFen: 300 },
      { budgetLineId: null, status: "SUBMITTED", amountFen: 50 },
    ]);
    const [a, b, c] = s.lines;
    expect(a).toMatchObject({ approvedFen: 11_000, pendingFen: 500, percentUsed: 110, overBudget: false, overBudgetIfApproved: true });
    expect(b).toMatchObject({ approvedFen: 5_600, pendingFen: 100, percentUsed: 112, overBudget: true });
    expect(c).toMatchObject({ approvedFen: 0, percentUsed: 0, overBudget: false });
    expect(s.offBudget).toEqual({ approvedFen: 300, pendingFen: 50 });
    expect(s.totals).toEqual({ agreedFen: 15_000, budgetFen: 15_000, approvedFen: 16_900, pendingFen: 650 });
  });

  it("flags over budget exactly above 110 %", () => {
    expect(exceedsByTenPercent(1100, 1000)).toBe(false);
    expect(exceedsByTenPercent(1101, 1000)).toBe(true);
    expect(exceedsByTenPercent(1, 0)).toBe(true);
    expect(percentOf(5, 0)).toBeNull();
  });

  it("never loses or invents money (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ line: fc.constantFrom("a", "b", "c", null, "gone"), status: fc.constantFrom("APPROVED", "SUBMITTED", "RETURNED"), amountFen: fc.integer({ min: 1, max: 1e9 }) }), { maxLength: 40 }),
        (xs) => {
          const s = spendingByLine(lines, xs.map((x) => ({ budgetLineId: x.line, status: x.status as "APPROVED", amountFen: x.amountFen })));
          const total = xs.reduce((n, x) => n + x.amountFen, 0);
          expect(s.totals.approvedFen + s.totals.pendingFen).toBe(total);
        },
      ),
    );
  });
});

describe("budget adjustments", () => {
  const from = { id: "a", budgetFen: 10_000, approvedFen: 7_000 };
  const to = { id: "b", budgetFen: 5_000, approvedFen: 0 };

  it("never takes a line below what is already approved-spent on it", () => {
    expect(adjustmentProblem(from, to, 3_000)).toBeNull();
    expect(adjustmentProblem(from, to, 3_001)).toBe("monitoring.adjustment.error.belowSpent");
    expect(movableFen(from)).toBe(3_000);
    expect(adjustmentProblem(from, from, 1)).toBe("monitoring.adjustment.error.sameLine");
    expect(adjustmentProblem(from, undefined, 1)).toBe("monitoring.adjustment.error.lineUnknown");
    expect(adjustmentProblem(from, to, 0)).toBe("money.tooSmall");
  });

  it("keeps the total when applied (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (fb, spent, tb, amount) => {
        const f = { id: "f", budgetFen: fb, approvedFen: spent };
        const t = { id: "t", budgetFen: tb, approvedFen: 0 };
        const problem = adjustmentProblem(f, t, amount);
        if (problem) return;
        const after = applyAdjustment(f, t, amount);
        expect(after.fromBudgetFen + after.toBudgetFen).toBe(fb + tb);
        expect(after.fromBudgetFen).toBeGreaterThanOrEqual(spent);
      }),
    );
  });

  it("validates the typed request", () => {
    const lines = [from, to];
    expect(validateAdjustment({ fromLineId: "a", toLineId: "b", amount: "20", reason: " 场地费上涨 " }, lines)).toEqual({
      ok: true,
      value: { fromLineId: "a", toLineId: "b", amountFen: 2_000, reason: "场地费上涨" },
    });
    expect(validateAdjustment({ fromLineId: "a", toLineId: "a", amount: "abc", reason: "" }, lines)).toEqual({
      ok: false,
      fieldErrors: { reason: ["monitoring.adjustment.error.reasonRequired"], amount: ["money.format"] },
    });
    expect(validateAdjustment({ fromLineId: "a", toLineId: "a", amount: "1", reason: "r" }, lines)).toEqual({
      ok: false,
      fieldErrors: { toLineId: ["monitoring.adjustment.error.sameLine"] },
    });
    expect(validateAdjustment({ fromLineId: "a", toLineId: "b", amount: "31", reason: "r" }, lines)).toEqual({
      ok: false,
      fieldErrors: { amount: ["monitoring.adjustment.error.belowSpent"] },
    });
  });
});

describe("budget-category caps on adjustments", () => {
  const lines = [
    { id: "m", category: "MATERIALS", budgetFen: 500_000 },
    { id: "l", category: "LABOUR", budgetFen: 300_000 },
    { id: "p", category: "PUBLICITY", budgetFen: 100_000 },
    { id: "p2", category: "PUBLICITY", budgetFen: 100_000 },
  ];
  const round = { labourCapPercent: 30, budgetCaps: [{ category: "PUBLICITY" as const, maxFen: 250_000 }, { category: "MATERIALS" as const, percent: 40 }] };
  const keys = (from: string, to: string, amountFen: number) => adjustmentCapProblems(lines, { fromLineId: from, toLineId: to, amountFen }, round).map((m) => splitMessage(m));

  it("refuses a move into labour at its percent cap, and names it in both languages", () => {
    expect(keys("m", "l", 1)).toEqual([
      { key: "monitoring.adjustment.error.budgetCapPercent", params: { categoryZh: "人员劳务费", categoryEn: "Labour", amount: "¥3,000.01", share: 30, cap: 30 } },
    ]);
  });

  it("refuses a move that passes an amount cap; exactly at it passes", () => {
    expect(keys("m", "p", 50_000)).toEqual([]);
    expect(keys("m", "p", 50_001).map((k) => k.key)).toEqual(["monitoring.adjustment.error.budgetCapAmount"]);
  });

  it("moving money out of a category over its cap is allowed; within one category nothing changes", () => {
    // materials are 50 % (over their 40 % cap as agreed): moving out is fine, moving in is not
    expect(keys("m", "p", 10_000)).toEqual([]);
    expect(keys("p", "m", 1).map((k) => k.key)).toEqual(["monitoring.adjustment.error.budgetCapPercent"]);
    expect(keys("p", "p2", 100_000)).toEqual([]);
  });

  it("property: an accepted move leaves the receiving category within its caps", () => {
    fc.assert(
      fc.property(fc.constantFrom("m", "l", "p", "p2"), fc.constantFrom("m", "l", "p", "p2"), fc.integer({ min: 1, max: 300_000 }), (from, to, amountFen) => {
        if (adjustmentCapProblems(lines, { fromLineId: from, toLineId: to, amountFen }, round).length) return;
        const target = lines.find((l) => l.id === to)!;
        const source = lines.find((l) => l.id === from)!;
        if (target.category === source.category) return;
        const after = lines.filter((l) => l.category === target.category).reduce((s, l) => s + l.budgetFen, 0) + amountFen;
        const total = lines.reduce((s, l) => s + l.budgetFen, 0);
        if (target.category === "LABOUR") expect(after * 100).toBeLessThanOrEqual(30 * total);
        if (target.category === "PUBLICITY") expect(after).toBeLessThanOrEqual(250_000);
        if (target.category === "MATERIALS") expect(after * 100).toBeLessThanOrEqual(40 * total);
      }),
    );
  });
});

describe("expense amounts", () => {
  it("stop at the largest budget a proposal may hold (¥20,000,000), inside the 32-bit column", () => {
    expect(validateExpense(expense({ amount: "20,000,000" }), ctx)).toMatchObject({ ok: true, value: { amountFen: 2_000_000_000 } });
    expect(validateExpense(expense({ amount: "21,474,836.48" }), ctx)).toEqual({ ok: false, fieldErrors: { amount: ["money.tooLarge"] } });
  });
});

describe("the workspace's tabs", () => {
  it("reports, expenses and budget open once the agreement is countersigned; other tabs always", () => {
    for (const tab of ["reports", "expenses", "budget"]) {
      expect(tabOpen(tab, "AWAITING_ACCEPTANCE"), tab).toBe(false);
      expect(tabOpen(tab, "AWAITING_COUNTERSIGN"), tab).toBe(false);
      expect(tabOpen(tab, "ACTIVE"), tab).toBe(true);
      expect(tabOpen(tab, "CLOSED"), tab).toBe(true);
    }
    expect(tabOpen("agreement", "AWAITING_ACCEPTANCE")).toBe(true);
    expect(tabOpen("beneficiaries", "AWAITING_ACCEPTANCE")).toBe(true);
  });
});
