import { describe, expect, it } from "vitest";
import { alertDetail, alertPath, daysBetween, projectAlerts, type AlertInput, type AlertMilestone } from "./alerts";

const milestone = (over: Partial<AlertMilestone> = {}): AlertMilestone => ({
  id: "m1",
  position: 1,
  title: "中期",
  dueOn: "2026-12-10",
  status: "PENDING",
  awaitingDecision: false,
  ...over,
});

const base = (over: Partial<AlertInput> = {}): AlertInput => ({
  status: "ACTIVE",
  today: "2026-12-01",
  countersignedOn: "2026-11-25",
  lastSubmittedOn: null,
  milestones: [],
  budgetLines: [],
  offBudget: { amountFen: 0, count: 0 },
  ...over,
});

const kinds = (input: AlertInput) => projectAlerts(input).map((a) => a.key);

describe("projectAlerts", () => {
  it("raises nothing for a healthy project", () => {
    expect(projectAlerts(base({ milestones: [milestone({ dueOn: "2026-12-20" })] }))).toEqual([]);
  });

  it("DUE_SOON from today up to exactly 7 days ahead, not 8", () => {
    expect(kinds(base({ milestones: [milestone({ dueOn: "2026-12-08" })] }))).toEqual(["DUE_SOON:m1"]);
    expect(kinds(base({ milestones: [milestone({ dueOn: "2026-12-09" })] }))).toEqual([]);
    expect(kinds(base({ milestones: [milestone({ dueOn: "2026-12-01" })] }))).toEqual(["DUE_SOON:m1"]);
  });

  it("OVERDUE once the due day has passed, with params", () => {
    const [a] = projectAlerts(base({ milestones: [milestone({ dueOn: "2026-11-30" })] }));
    expect(a).toEqual({ kind: "OVERDUE", key: "OVERDUE:m1", subjectId: "m1", params: { position: 1, title: "中期", dueOn: "2026-11-30" } });
  });

  it("no milestone alert when approved, undated, or a report awaits a decision", () => {
    for (const m of [milestone({ dueOn: "2026-11-01", status: "APPROVED" }), milestone({ dueOn: null }), milestone({ dueOn: "2026-11-01", awaitingDecision: true })]) {
      expect(kinds(base({ milestones: [m] }))).toEqual([]);
    }
  });

  it("OVER_BUDGET only above +10 % (exactly 10 % is fine)", () => {
    const line = { id: "b1", position: 1, item: "物资", budgetFen: 100_000 };
    expect(kinds(base({ budgetLines: [{ ...line, spentFen: 110_000 }] }))).toEqual([]);
    expect(kinds(base({ budgetLines: [{ ...line, spentFen: 110_001 }] }))).toEqual(["OVER_BUDGET:b1"]);
    // a zero budget: any spending is over
    expect(kinds(base({ budgetLines: [{ ...line, budgetFen: 0, spentFen: 1 }] }))).toEqual(["OVER_BUDGET:b1"]);
    expect(kinds(base({ budgetLines: [{ ...line, budgetFen: 0, spentFen: 0 }] }))).toEqual([]);
  });

  it("OFF_BUDGET for any spending in no line", () => {
    expect(projectAlerts(base({ offBudget: { amountFen: 1, count: 1 } }))).toEqual([
      { kind: "OFF_BUDGET", key: "OFF_BUDGET", subjectId: null, params: { amountFen: 1, count: 1 } },
    ]);
  });

  it("NO_REPORT after exactly 30 days since the later of countersignature and last submission", () => {
    const ms = [milestone({ dueOn: "2027-06-01" })];
    expect(kinds(base({ milestones: ms, countersignedOn: "2026-11-01", today: "2026-11-30" }))).toEqual([]);
    expect(kinds(base({ milestones: ms, countersignedOn: "2026-11-01", today: "2026-12-01" }))).toEqual(["NO_REPORT"]);
    // a submission restarts the count
    expect(kinds(base({ milestones: ms, countersignedOn: "2026-11-01", lastSubmittedOn: "2026-11-20", today: "2026-12-19" }))).toEqual([]);
    expect(kinds(base({ milestones: ms, countersignedOn: "2026-11-01", lastSubmittedOn: "2026-11-20", today: "2026-12-20" }))).toEqual(["NO_REPORT"]);
    // every milestone approved: no report is expected
    expect(kinds(base({ milestones: [milestone({ status: "APPROVED" })], countersignedOn: "2026-01-01" }))).toEqual([]);
    // not countersigned: nothing to count from
    expect(kinds(base({ milestones: ms, countersignedOn: null }))).toEqual([]);
  });

  it("only ACTIVE projects have alerts", () => {
    const input = base({ milestones: [milestone({ dueOn: "2026-01-01" })], countersignedOn: "2025-12-01", offBudget: { amountFen: 5, count: 1 } });
    expect(projectAlerts(input)).toHaveLength(3);
    for (const status of ["AWAITING_ACCEPTANCE", "AWAITING_COUNTERSIGN", "EVALUATION_FAILED", "CLOSED"]) {
      expect(projectAlerts({ ...input, status })).toEqual([]);
    }
  });

  it("keys are stable across days while the condition holds", () => {
    const input = base({ milestones: [milestone({ dueOn: "2026-11-01" })] });
    expect(kinds(input)).toEqual(kinds({ ...input, today: "2026-12-15" }));
  });

  it("days across month and year ends", () => {
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2);
  });

  it("describes alerts for people and links to the place to act", () => {
    expect(alertDetail("OVER_BUDGET", { item: "物资", budgetFen: 100_000, spentFen: 120_000 })).toEqual({
      key: "alerts.detail.OVER_BUDGET",
      params: { item: "物资", budget: "¥1,000.00", spent: "¥1,200.00" },
    });
    expect(alertPath("JN6-0003", "OVERDUE")).toBe("/projects/JN6-0003/reports");
    expect(alertPath("JN6-0003", "OFF_BUDGET")).toBe("/projects/JN6-0003/expenses");
  });
});
