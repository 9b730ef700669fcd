import { parseCronItems } from "graphile-worker";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { shanghaiDay } from "~/lib/time";
import { cronItems, runDueJobs, taskList } from "~/services/jobs/registry.server";
import { decideExpense } from "~/services/projects/expenses.server";
import { GRANTEE_REMINDERS_TASK, sendGranteeReminders } from "~/services/projects/reminders.server";
import { decideReport } from "~/services/projects/reports.server";
import { day } from "../support/actors";
import { clearJobQueue, db, makeUser } from "../support/db";
import { fundedProject, refused } from "../support/project-fixture";
import { receivedMail, waitForMail, type ReceivedMail } from "../support/smtp";

/**
 * Reminders to the implementing organization (domain/reminders.ts, services/projects/reminders.server.ts),
 * delivered through the outbox to the real SMTP test server: once per occurrence over several
 * runs and concurrent runs, to the project's organization only, not for a milestone that is done.
 */
const smtpApi = inject("smtpApiUrl");
const DAY_MS = 86_400_000;

const mailsTo = async (to: string, match: (m: ReceivedMail) => boolean) => (await receivedMail(smtpApi, to)).filter(match);
const queueReminderJob = () => db().$executeRaw`SELECT graphile_worker.add_job(${GRANTEE_REMINDERS_TASK}::text, '{}'::json)`;
/** Waits a little for mail that should NOT come (what was queued has been delivered by then). */
const settle = () => new Promise((r) => setTimeout(r, 500));

beforeAll(clearJobQueue);

describe("reminders to the grantee organization (daily job)", () => {
  it("emails every member of the project's organization once about a milestone due within seven days, over two job runs", async () => {
    const f = await fundedProject({ count: 2 });
    const [a, b] = f.projects as [(typeof f.projects)[number], (typeof f.projects)[number]];
    const colleague = await makeUser({ name: "同事", email: `colleague-${a.id.slice(0, 8)}@example.com` });
    await db().organizationMember.create({ data: { organizationId: a.organizationId, userId: colleague.id, name: colleague.name } });
    // an erased member of the organization is not written to
    const erased = await makeUser({ name: "已注销用户" });
    await db().organizationMember.create({ data: { organizationId: a.organizationId, userId: erased.id, name: "已注销用户" } });
    await db().user.update({ where: { id: erased.id }, data: { deletedAt: new Date() } });

    // both projects' first milestones fall due in five days (Shanghai), the later ones far ahead;
    // B's first milestone is already approved: B's organization hears nothing
    const due = shanghaiDay(new Date(Date.now() + 5 * DAY_MS));
    for (const p of [a, b]) {
      await db().projectMilestone.update({ where: { id: p.milestones[0]!.id }, data: { dueOn: day(due) } });
      await db().projectMilestone.updateMany({ where: { projectId: p.id, position: { gt: 1 } }, data: { dueOn: day(shanghaiDay(new Date(Date.now() + 60 * DAY_MS))) } });
    }
    await db().projectMilestone.update({ where: { id: b.milestones[0]!.id }, data: { status: "APPROVED", approvedAt: new Date() } });

    // the job, through the worker, twice
    await queueReminderJob();
    await runDueJobs();
    await queueReminderJob();
    await runDueJobs();

    // (the agreement's "ready" email of the fixture mentions the project too)
    const aboutA = (m: ReceivedMail) => m.subject.startsWith("里程碑") && m.subject.includes(a.referenceNo);
    const mail = await waitForMail(smtpApi, f.grantee.email, aboutA);
    expect(mail.subject).toBe(`里程碑即将到期：${a.referenceNo} 第 1 项`);
    expect(mail.text).toContain(a.milestones[0]!.title);
    expect(mail.text).toContain(due.replaceAll("-", "/"));
    expect(mail.text).toContain(`/projects/${a.referenceNo}/reports`);
    await waitForMail(smtpApi, colleague.email, aboutA);
    await settle();
    expect(await mailsTo(f.grantee.email, aboutA)).toHaveLength(1);
    expect(await mailsTo(colleague.email, aboutA)).toHaveLength(1);
    expect(await mailsTo(erased.email, aboutA)).toHaveLength(0);
    // not to another organization, and not about a milestone that is done
    expect(await mailsTo(f.grantees[1]!.email, (m) => m.subject.startsWith("里程碑"))).toHaveLength(0);
    expect(await db().granteeReminder.count({ where: { projectId: b.id } })).toBe(0);
    // nor to the officials (they have their digest)
    expect(await mailsTo(f.official.email, aboutA)).toHaveLength(0);

    const row = await db().granteeReminder.findFirstOrThrow({ where: { projectId: a.id } });
    expect(row).toMatchObject({ kind: "MILESTONE_DUE_SOON", key: `MILESTONE_DUE_SOON:${a.milestones[0]!.id}:${due}`, subjectId: a.milestones[0]!.id, recipients: 2 });
    // and one inbox note each
    const notes = await db().notification.findMany({ where: { userId: f.grantee.id, kind: "reminder.MILESTONE_DUE_SOON" } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ params: { referenceNo: a.referenceNo, position: 1, dueOn: due }, link: `/projects/${a.referenceNo}/reports` });
    expect(await db().notification.count({ where: { userId: f.grantees[1]!.id, kind: { startsWith: "reminder." } } })).toBe(0);
  });

  it("sends an overdue reminder once, even from two runs at the same moment, and none once the milestone is approved", async () => {
    const f = await fundedProject();
    const p = f.project;
    const at = (d: string) => new Date(`${d}T08:00:00+08:00`);
    // fixture milestones are due 2026-07-15, 2026-09-30 and 2026-12-15
    const [one, two] = await Promise.all([sendGranteeReminders(at("2026-07-20")), sendGranteeReminders(at("2026-07-20"))]);
    const rows = await db().granteeReminder.findMany({ where: { projectId: p.id } });
    expect(rows.map((r) => r.key)).toEqual([`MILESTONE_OVERDUE:${p.milestones[0]!.id}:2026-07-15`]);
    expect(rows[0]!.onDay.toISOString().slice(0, 10)).toBe("2026-07-15");
    const emails = () => db().emailMessage.findMany({ where: { toAddress: f.grantee.email, template: "grantee-reminder" }, orderBy: { createdAt: "asc" } });
    expect(await emails()).toHaveLength(1);
    expect((await emails())[0]!.subject).toBe(`里程碑已逾期：${p.referenceNo} 第 1 项`);
    expect(one.sent + two.sent).toBeGreaterThanOrEqual(1);

    // days later, still overdue: nothing more
    await sendGranteeReminders(at("2026-07-25"));
    expect(await emails()).toHaveLength(1);

    // milestone 1 is approved; milestone 2 has a report waiting for the officials when it falls due: nothing
    await db().projectMilestone.update({ where: { id: p.milestones[0]!.id }, data: { status: "APPROVED", approvedAt: new Date() } });
    await db().milestoneReport.create({ data: { projectId: p.id, milestoneId: p.milestones[1]!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: at("2026-09-20"), narrative: "完成" } });
    await sendGranteeReminders(at("2026-10-05"));
    expect(await emails()).toHaveLength(1);
    // the report is returned: the milestone is overdue again, for the organization to fix
    await db().milestoneReport.updateMany({ where: { milestoneId: p.milestones[1]!.id }, data: { status: "RETURNED" } });
    const r = await sendGranteeReminders(at("2026-10-06"));
    expect(r.byKind).toMatchObject({ MILESTONE_OVERDUE: 1 });
    expect(await emails()).toHaveLength(2);
    // the English reader reads it in English
    await db().user.update({ where: { id: f.grantee.id }, data: { locale: "en" } });
    await sendGranteeReminders(at("2026-12-10"));
    const last = (await emails()).at(-1)!;
    expect(last.subject).toBe(`Milestone due soon: ${p.referenceNo} no. 3`);
    expect(last.text).toContain("12/15/2026");
  });

  it("reminds the organization once of an agreement that has waited three days for its acceptance", async () => {
    const f = await fundedProject({ state: "awaiting" });
    const p = f.project;
    const made = new Date(Date.now() - 4 * DAY_MS);
    await db().project.update({ where: { id: p.id }, data: { createdAt: made } });
    await sendGranteeReminders();
    await sendGranteeReminders();
    const rows = await db().granteeReminder.findMany({ where: { projectId: p.id } });
    expect(rows.map((r) => r.key)).toEqual([`AGREEMENT_UNSIGNED:${p.id}:${shanghaiDay(made)}`]);
    const note = await db().notification.findFirstOrThrow({ where: { userId: f.grantee.id, kind: "reminder.AGREEMENT_UNSIGNED" } });
    expect(note.link).toBe(`/projects/${p.referenceNo}/agreement`);
    await runDueJobs();
    const mail = await waitForMail(smtpApi, f.grantee.email, (m) => m.subject === `资助协议待签署：${p.referenceNo}`);
    expect(mail.text).toContain("已等待 4 天");
    await settle();
    expect(await mailsTo(f.grantee.email, (m) => m.subject === `资助协议待签署：${p.referenceNo}`)).toHaveLength(1);
    // accepted: nothing more to remind of
    await db().project.update({ where: { id: p.id }, data: { status: "AWAITING_COUNTERSIGN", acceptedAt: new Date(), acceptedById: f.grantee.id } });
    expect((await sendGranteeReminders()).sent).toBe(0);
  });

  it("runs daily at 08:00 Asia/Shanghai as the worker task grantee_reminders", () => {
    expect(taskList[GRANTEE_REMINDERS_TASK]).toBeTypeOf("function");
    const item = parseCronItems(cronItems).find((i) => i.task === GRANTEE_REMINDERS_TASK)!;
    expect(item.match({ min: 0, hour: 0, date: 7, month: 12, dow: 1 })).toBe(true);
    expect(item.match({ min: 0, hour: 8, date: 7, month: 12, dow: 1 })).toBe(false);
  });
});

describe("a report or an expense sent back reaches the organization at the decision, once", () => {
  it("emails and notes each member once when an official returns a report and an expense; a repeated decision is refused and sends nothing", async () => {
    const f = await fundedProject({ count: 2 });
    const [a] = f.projects;
    const report = await db().milestoneReport.create({ data: { projectId: a!.id, milestoneId: a!.milestones[0]!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: new Date(), narrative: "已完成招募" } });
    const expense = await db().expense.create({ data: { projectId: a!.id, spentOn: new Date(), payee: "文具店", amountFen: 12_300, budgetLineId: a!.budgetLines[0]!.id, status: "SUBMITTED", submittedById: f.grantee.id } });

    expect(await decideReport(f.official, a!.referenceNo, report.id, { decision: "RETURNED", comment: "缺少签到表", version: 1 })).toEqual({ ok: true });
    expect(await decideReport(f.official2, a!.referenceNo, report.id, { decision: "RETURNED", comment: "缺少签到表", version: 1 })).toEqual(refused(409, "monitoring.stale"));
    expect(await decideExpense(f.official, a!.referenceNo, expense.id, { decision: "RETURNED", comment: "发票抬头不对", version: 1 })).toEqual({ ok: true });
    expect(await decideExpense(f.official, a!.referenceNo, expense.id, { decision: "RETURNED", comment: "发票抬头不对", version: 1 })).toEqual(refused(409, "monitoring.stale"));
    await runDueJobs();

    const reportMail = await waitForMail(smtpApi, f.grantee.email, (m) => m.subject.includes(a!.referenceNo) && m.text.includes("缺少签到表"));
    expect(reportMail.subject).toContain("退回");
    await waitForMail(smtpApi, f.grantee.email, (m) => m.subject.includes(a!.referenceNo) && m.text.includes("发票抬头不对"));
    await settle();
    expect(await mailsTo(f.grantee.email, (m) => m.text.includes("缺少签到表"))).toHaveLength(1);
    expect(await mailsTo(f.grantee.email, (m) => m.text.includes("发票抬头不对"))).toHaveLength(1);
    expect(await mailsTo(f.grantees[1]!.email, (m) => m.subject.includes(a!.referenceNo) && m.subject.includes("退回"))).toHaveLength(0);
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "monitoring.report.RETURNED" } })).toBe(1);
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "monitoring.expense.RETURNED" } })).toBe(1);
  });
});
