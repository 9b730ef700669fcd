import { describe, expect, it } from "vitest";
import type { AlertMilestone } from "./alerts";
import { AGREEMENT_REMINDER_DAYS, granteeReminders, reminderPath, type ReminderProject } from "./reminders";

const milestone = (over: Partial<AlertMilestone> = {}): AlertMilestone => ({ id: "m1", position: 1, title: "招募志愿者", dueOn: "2026-07-15", status: "PENDING", awaitingDecision: false, ...over });
const active = (milestones: AlertMilestone[]): ReminderProject => ({ id: "p1", status: "ACTIVE", createdOn: "2026-06-01", milestones });
const kinds = (today: string, p: ReminderProject) => granteeReminders(today, [p]).map((r) => `${r.kind}:${r.days}`);

describe("grantee reminders", () => {
  it("reminds of a milestone from seven days before its due day, then once it is overdue", () => {
    const p = active([milestone()]);
    expect(kinds("2026-07-07", p)).toEqual([]);
    expect(kinds("2026-07-08", p)).toEqual(["MILESTONE_DUE_SOON:7"]);
    expect(kinds("2026-07-15", p)).toEqual(["MILESTONE_DUE_SOON:0"]);
    expect(kinds("2026-07-16", p)).toEqual(["MILESTONE_OVERDUE:-1"]);
    expect(kinds("2026-09-01", p)).toEqual(["MILESTONE_OVERDUE:-48"]);
  });

  it("keys each occurrence by kind, milestone and due day, the same on every day of the window", () => {
    const [a] = granteeReminders("2026-07-09", [active([milestone()])]);
    const [b] = granteeReminders("2026-07-14", [active([milestone()])]);
    expect(a!.key).toBe("MILESTONE_DUE_SOON:m1:2026-07-15");
    expect(b!.key).toBe(a!.key);
    // the due day moves: a new occurrence
    const [c] = granteeReminders("2026-07-14", [active([milestone({ dueOn: "2026-07-20" })])]);
    expect(c!.key).toBe("MILESTONE_DUE_SOON:m1:2026-07-20");
  });

  it("says nothing of a milestone that is done, has no due day, or whose report waits for the officials", () => {
    expect(kinds("2026-07-20", active([milestone({ status: "APPROVED" })]))).toEqual([]);
    expect(kinds("2026-07-20", active([milestone({ dueOn: null })]))).toEqual([]);
    expect(kinds("2026-07-20", active([milestone({ awaitingDecision: true })]))).toEqual([]);
  });

  it("only ACTIVE projects have milestone reminders", () => {
    for (const status of ["AWAITING_COUNTERSIGN", "EVALUATION_FAILED", "CLOSED"]) {
      expect(granteeReminders("2026-07-20", [{ ...active([milestone()]), status }])).toEqual([]);
    }
  });

  it("reminds once of an agreement still waiting for acceptance after three days", () => {
    const p: ReminderProject = { id: "p9", status: "AWAITING_ACCEPTANCE", createdOn: "2026-06-01", milestones: [milestone()] };
    expect(AGREEMENT_REMINDER_DAYS).toBe(3);
    expect(granteeReminders("2026-06-03", [p])).toEqual([]);
    const [r] = granteeReminders("2026-06-04", [p]);
    expect(r).toMatchObject({ kind: "AGREEMENT_UNSIGNED", key: "AGREEMENT_UNSIGNED:p9:2026-06-01", subjectId: "p9", days: 3 });
    expect(granteeReminders("2026-06-20", [p])[0]!.key).toBe(r!.key);
  });

  it("links to the reports or the agreement", () => {
    expect(reminderPath("JN6-0003", "MILESTONE_OVERDUE")).toBe("/projects/JN6-0003/reports");
    expect(reminderPath("JN6-0003", "AGREEMENT_UNSIGNED")).toBe("/projects/JN6-0003/agreement");
  });
});
