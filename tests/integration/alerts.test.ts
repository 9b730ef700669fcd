import { parseCronItems } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { day } from "../support/actors";
import { db } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { cronItems, taskList } from "~/services/jobs/registry.server";
import { PROJECT_ALERTS_TASK, refreshAlerts } from "~/services/projects/alerts.server";

const at = (d: string) => new Date(`${d}T10:00:00+08:00`);

async function openKeys(projectId: string) {
  const rows = await db().projectAlert.findMany({ where: { projectId, resolvedAt: null }, select: { key: true } });
  return rows.map((r) => r.key).sort();
}

const digests = (to: string) => db().emailMessage.findMany({ where: { toAddress: to, template: "project-alerts" }, orderBy: { createdAt: "asc" } });

describe("refreshAlerts (daily job)", () => {
  it("opens alerts once, emails each official one digest of their area's new alerts, resolves ended conditions", async () => {
    const f = await fundedProject({ count: 2 });
    const [a, b] = f.projects as [(typeof f.projects)[number], (typeof f.projects)[number]];
    const [m1, m2, m3] = a.milestones;
    const [line1] = a.budgetLines;
    await db().project.update({ where: { id: a.id }, data: { countersignedAt: day("2026-08-01") } });
    await db().project.update({ where: { id: b.id }, data: { countersignedAt: day("2026-09-20") } });
    // A: line 1 (¥5,000) overspent by 12 %; ¥100 outside every line, still waiting for a decision
    await db().expense.create({ data: { projectId: a.id, spentOn: day("2026-09-01"), payee: "超市", amountFen: 560_000, budgetLineId: line1!.id, status: "APPROVED", submittedById: f.grantee.id } });
    await db().expense.create({ data: { projectId: a.id, spentOn: day("2026-09-02"), payee: "打印店", amountFen: 10_000, budgetLineId: null, status: "SUBMITTED", submittedById: f.grantee.id } });
    // B: milestones 1 and 2 approved, nothing else wrong
    await db().projectMilestone.updateMany({ where: { projectId: b.id, position: { in: [1, 2] } }, data: { status: "APPROVED", approvedAt: day("2026-09-25") } });

    const now = at("2026-10-05");
    const first = await refreshAlerts(now);
    expect(first.opened).toBeGreaterThanOrEqual(5);
    expect(await openKeys(a.id)).toEqual([`OVERDUE:${m1!.id}`, `OVERDUE:${m2!.id}`, `OVER_BUDGET:${line1!.id}`, "NO_REPORT", "OFF_BUDGET"].sort());
    expect(await openKeys(b.id)).toEqual([]);
    const overBudget = await db().projectAlert.findFirstOrThrow({ where: { projectId: a.id, kind: "OVER_BUDGET" } });
    expect(overBudget).toMatchObject({ subjectId: line1!.id, params: { budgetFen: 500_000, spentFen: 560_000 } });
    expect(overBudget.emailedAt).not.toBeNull();

    // one digest per official of the area, in their language, with the project's alerts
    const [mail] = await digests(f.official.email);
    expect(await digests(f.official.email)).toHaveLength(1);
    expect(await digests(f.official2.email)).toHaveLength(1);
    expect(mail!.subject).toContain("5");
    expect(mail!.text).toContain(a.referenceNo);
    expect(mail!.text).toContain("预算科目超支");
    expect(mail!.text).toContain("¥5,600.00");
    // the community official of A's community hears about A; the other community's official does not
    expect(await digests(f.communityOfficial.email)).toHaveLength(1);
    expect(await digests(f.otherCommunityOfficial.email)).toHaveLength(0);
    expect(await digests(f.outsider.email)).toHaveLength(0);
    // the grantee finds a note in the inbox, linking to the project
    const note = await db().notification.findFirstOrThrow({ where: { userId: f.grantee.id, kind: "alerts.new" } });
    expect(note.params).toMatchObject({ referenceNo: a.referenceNo, count: 5 });
    expect(note.link).toMatch(new RegExp(`^/projects/${a.referenceNo}/`));

    // run again: nothing new, nothing doubled, nobody emailed twice
    await refreshAlerts(now);
    expect(await db().projectAlert.count({ where: { projectId: a.id } })).toBe(5);
    expect(await digests(f.official.email)).toHaveLength(1);
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "alerts.new" } })).toBe(1);

    // conditions end: the budget is raised, a report for milestone 1 is submitted (waiting for a decision)
    await db().projectBudgetLine.update({ where: { id: line1!.id }, data: { budgetFen: 600_000 } });
    await db().milestoneReport.create({ data: { projectId: a.id, milestoneId: m1!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: at("2026-10-04"), narrative: "完成" } });
    const third = await refreshAlerts(now);
    expect(third.resolved).toBeGreaterThanOrEqual(3);
    expect(await openKeys(a.id)).toEqual([`OVERDUE:${m2!.id}`, "OFF_BUDGET"].sort());
    const resolved = await db().projectAlert.findMany({ where: { projectId: a.id, resolvedAt: { not: null } } });
    expect(resolved.map((r) => r.kind).sort()).toEqual(["NO_REPORT", "OVERDUE", "OVER_BUDGET"]);
    expect(await digests(f.official.email)).toHaveLength(1);

    // later: milestone 3 comes due within 7 days → one new digest with just that alert
    await refreshAlerts(at("2026-12-08"));
    expect(await openKeys(a.id)).toContain(`DUE_SOON:${m3!.id}`);
    const after = await digests(f.official.email);
    expect(after).toHaveLength(2);
    expect(after[1]!.text).toContain("即将到期");
    expect(after[1]!.text).not.toContain("预算科目超支");

    // a project that is no longer ACTIVE keeps no open alert
    await db().project.update({ where: { id: a.id }, data: { status: "CLOSED", closedAt: new Date() } });
    await refreshAlerts(at("2026-12-08"));
    expect(await openKeys(a.id)).toEqual([]);
  });

  it("a re-opened condition opens a new alert beside the resolved one (the unique index covers open alerts only)", async () => {
    const f = await fundedProject();
    const p = f.project;
    await db().project.update({ where: { id: p.id }, data: { countersignedAt: day("2026-06-01") } });
    const expense = await db().expense.create({ data: { projectId: p.id, spentOn: day("2026-09-01"), payee: "x", amountFen: 5_000, budgetLineId: null, status: "SUBMITTED", submittedById: f.grantee.id } });
    await refreshAlerts(at("2026-06-20"));
    expect(await openKeys(p.id)).toEqual(["OFF_BUDGET"]);
    await db().expense.update({ where: { id: expense.id }, data: { budgetLineId: p.budgetLines[0]!.id } });
    await refreshAlerts(at("2026-06-21"));
    expect(await openKeys(p.id)).toEqual([]);
    await db().expense.update({ where: { id: expense.id }, data: { budgetLineId: null } });
    await refreshAlerts(at("2026-06-22"));
    expect(await openKeys(p.id)).toEqual(["OFF_BUDGET"]);
    expect(await db().projectAlert.count({ where: { projectId: p.id, key: "OFF_BUDGET" } })).toBe(2);
    // concurrent runs do not double an open alert
    await Promise.all([refreshAlerts(at("2026-06-22")), refreshAlerts(at("2026-06-22"))]);
    expect(await db().projectAlert.count({ where: { projectId: p.id, key: "OFF_BUDGET", resolvedAt: null } })).toBe(1);
    expect(await digests(f.official.email)).toHaveLength(2);
  });

  it("runs daily as the worker task project_alerts", () => {
    expect(taskList[PROJECT_ALERTS_TASK]).toBeTypeOf("function");
    const item = parseCronItems(cronItems).find((i) => i.task === PROJECT_ALERTS_TASK)!;
    // 23:00 UTC = 07:00 the next morning in Asia/Shanghai, once a day
    expect(item.match({ min: 0, hour: 23, date: 1, month: 12, dow: 2 })).toBe(true);
    expect(item.match({ min: 0, hour: 1, date: 1, month: 12, dow: 2 })).toBe(false);
  });
});
