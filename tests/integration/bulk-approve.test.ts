import { describe, expect, it } from "vitest";
import { selectionToken } from "~/domain/work";
import { myWork } from "~/services/accounts/work.server";
import { bulkApprove, bulkCandidates, bulkSelection } from "~/services/projects/bulk.server";
import { decideExpense } from "~/services/projects/expenses.server";
import * as bulkRoute from "~/routes/me.approve.$kind";
import { rejectsWithStatus } from "../support/actors";
import { answer, outcome, signedInRequest } from "../support/requests";
import { db, uid } from "../support/db";
import { fundedProject, type ProjectFixture } from "../support/project-fixture";

/**
 * Approving several expenses or milestone reports at once (services/projects/bulk.server.ts):
 * each item through the single approval's use-case, one transaction per item, the whole request
 * refused when one selected id is outside the official's areas.
 */

type Project = ProjectFixture["projects"][number];

const submittedExpense = (f: ProjectFixture, p: Project, payee: string, extra: { duplicateReceipt?: boolean; budgetLineId?: string | null } = {}) =>
  db().expense.create({
    data: { projectId: p.id, spentOn: new Date(), payee, amountFen: 10_000, budgetLineId: extra.budgetLineId === undefined ? p.budgetLines[0]!.id : extra.budgetLineId, duplicateReceipt: extra.duplicateReceipt ?? false, status: "SUBMITTED", submittedById: f.grantees[f.projects.indexOf(p)]!.id },
  });

const submittedReport = (f: ProjectFixture, p: Project, milestoneId: string) =>
  db().milestoneReport.create({ data: { projectId: p.id, milestoneId, status: "SUBMITTED", authorId: f.grantees[f.projects.indexOf(p)]!.id, submittedAt: new Date(), narrative: "按计划完成" } });

const audits = (objectId: string) => db().auditLog.findMany({ where: { objectId }, orderBy: { seq: "asc" }, select: { action: true, actorId: true, before: true, after: true } });
const token = (row: { id: string; version: number }) => selectionToken(row.id, row.version);

describe("bulk approval of expenses", () => {
  it("approves each selected expense as the single approval does, and leaves those that need their own look", async () => {
    const f = await fundedProject({ count: 2 });
    const [a] = f.projects as [Project, Project];
    const e1 = await submittedExpense(f, a, "文具店");
    const e2 = await submittedExpense(f, a, "印刷店");
    const dup = await submittedExpense(f, a, "超市", { duplicateReceipt: true });
    const off = await submittedExpense(f, a, "打车", { budgetLineId: null });
    const single = await submittedExpense(f, a, "单独批准");

    // the candidates list them all, with the reason for those that need their own look
    const candidates = await bulkCandidates(f.official, "expenses");
    const mine = candidates.filter((c) => [e1.id, e2.id, dup.id, off.id].includes(c.id));
    expect(mine.map((c) => [c.label, c.ownLook])).toEqual([
      ["文具店", null],
      ["印刷店", null],
      ["超市", "work.bulk.own.duplicate"],
      ["打车", "work.bulk.own.offBudget"],
    ]);
    // /me offers the plain ones for selection only
    const work = await myWork(f.official);
    const group = work.groups.find((g) => g.kind === "expensesToApprove")!;
    expect(group.items.find((i) => i.id === e1.id)!.select).toBe(token(e1));
    expect(group.items.find((i) => i.id === dup.id)?.select ?? null).toBeNull();

    const r = await bulkApprove(f.official, "expenses", [token(e1), token(e2), token(dup), token(off)]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.approved.map((i) => i.id)).toEqual([e1.id, e2.id]);
    expect(r.notApproved.map((i) => [i.id, i.reason])).toEqual([
      [dup.id, "work.bulk.own.duplicate"],
      [off.id, "work.bulk.own.offBudget"],
    ]);
    for (const e of [e1, e2]) {
      expect(await db().expense.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "APPROVED", decidedById: f.official.id, version: 2 });
    }
    expect((await db().expense.findUniqueOrThrow({ where: { id: dup.id } })).status).toBe("SUBMITTED");
    expect((await db().expense.findUniqueOrThrow({ where: { id: off.id } })).status).toBe("SUBMITTED");

    // the same audit record and grantee notice as one approved on its own page
    expect(await decideExpense(f.official, a.referenceNo, single.id, { decision: "APPROVED", comment: "", version: 1 })).toEqual({ ok: true });
    const [bulkAudit] = await audits(e1.id);
    const [singleAudit] = await audits(single.id);
    expect(bulkAudit).toMatchObject({ action: "expense.approve", actorId: f.official.id, before: { status: "SUBMITTED" } });
    expect({ ...(bulkAudit!.after as object), budgetLineId: null }).toEqual({ ...(singleAudit!.after as object), budgetLineId: null });
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "monitoring.expense.APPROVED" } })).toBe(3);
    // the project's running total counts what was approved
    expect(Number((await db().projectTotal.findUniqueOrThrow({ where: { projectId: a.id } })).spentFen)).toBeGreaterThanOrEqual(30_000);
  });

  it("refuses the whole request when one selected expense is in another area, approving none", async () => {
    const f = await fundedProject({ count: 2 });
    const [a, b] = f.projects as [Project, Project];
    const mineA = await submittedExpense(f, a, "本社区支出");
    const otherB = await submittedExpense(f, b, "另一社区支出");
    // the community official of A's community looks after A only
    expect((await bulkCandidates(f.communityOfficial, "expenses")).map((c) => c.id)).toContain(mineA.id);
    expect((await bulkCandidates(f.communityOfficial, "expenses")).map((c) => c.id)).not.toContain(otherB.id);

    await rejectsWithStatus(bulkApprove(f.communityOfficial, "expenses", [token(mineA), token(otherB)]), 403);
    await rejectsWithStatus(bulkSelection(f.communityOfficial, "expenses", [token(mineA), token(otherB)]), 403);
    // an id that is no expense at all, or a report's id given as an expense
    await rejectsWithStatus(bulkApprove(f.communityOfficial, "expenses", [token(mineA), `${uid()}:1`]), 403);
    // someone who is no official at all
    await rejectsWithStatus(bulkApprove(f.grantee, "expenses", [token(mineA)]), 403);
    await rejectsWithStatus(bulkCandidates(f.grantee, "expenses"), 403);
    expect((await db().expense.findUniqueOrThrow({ where: { id: mineA.id } })).status).toBe("SUBMITTED");
    expect((await db().expense.findUniqueOrThrow({ where: { id: otherB.id } })).status).toBe("SUBMITTED");
    expect(await audits(mineA.id)).toEqual([]);

    // malformed or empty selections are refused as input
    expect(await bulkApprove(f.communityOfficial, "expenses", ["nonsense"])).toMatchObject({ ok: false, problem: { status: 400, formErrors: ["work.bulk.error.selection"] } });
    expect(await bulkApprove(f.communityOfficial, "expenses", [])).toMatchObject({ ok: false, problem: { status: 400, formErrors: ["work.bulk.error.none"] } });

    // its own area's expense alone is approved
    const r = await bulkApprove(f.communityOfficial, "expenses", [token(mineA)]);
    expect(r.ok && r.approved.map((i) => i.id)).toEqual([mineA.id]);
  });

  it("does not approve an expense changed since it was confirmed (its version), and approves the others", async () => {
    const f = await fundedProject();
    const p = f.project;
    const changed = await submittedExpense(f, p, "改过的");
    const fine = await submittedExpense(f, p, "没改的");
    const seen = token(changed);
    // returned and resubmitted after the official chose it
    await db().expense.update({ where: { id: changed.id }, data: { version: 3 } });
    const confirm = await bulkSelection(f.official, "expenses", [seen, token(fine)]);
    expect(confirm.ok && confirm.items.map((i) => i.submitted)).toEqual([false, true]);
    const r = await bulkApprove(f.official, "expenses", [seen, token(fine)]);
    expect(r.ok && r.notApproved.map((i) => [i.id, i.reason])).toEqual([[changed.id, "monitoring.stale"]]);
    expect(r.ok && r.approved.map((i) => i.id)).toEqual([fine.id]);
    expect((await db().expense.findUniqueOrThrow({ where: { id: changed.id } })).status).toBe("SUBMITTED");
  });
});

describe("bulk approval of milestone reports", () => {
  it("approves each report with its milestone and tranche in one transaction per item; a failing item leaves nothing half-done and the others go through", async () => {
    const f = await fundedProject({ count: 2 });
    const [a, b] = f.projects as [Project, Project];
    const midterm = (p: Project) => p.tranches.find((t) => t.trigger === "MIDTERM")!;
    const ra = await submittedReport(f, a, midterm(a).milestoneId!);
    const rb = await submittedReport(f, b, midterm(b).milestoneId!);

    // B's milestone cannot be approved: the database refuses its update, after the report row was changed
    const fn = `test_fail_${uid()}`;
    await db().$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = '${midterm(b).milestoneId}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE UPDATE ON "ProjectMilestone" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    let r;
    try {
      r = await bulkApprove(f.official, "reports", [token(ra), token(rb)]);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER ${fn} ON "ProjectMilestone"`);
      await db().$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.approved.map((i) => i.id)).toEqual([ra.id]);
    expect(r.notApproved.map((i) => [i.id, i.reason])).toEqual([[rb.id, "work.bulk.failed"]]);

    // A: report, milestone, tranche, decision history and audit, as a single approval
    expect(await db().milestoneReport.findUniqueOrThrow({ where: { id: ra.id } })).toMatchObject({ status: "APPROVED", version: 2, decidedById: f.official.id });
    expect((await db().projectMilestone.findUniqueOrThrow({ where: { id: midterm(a).milestoneId! } })).status).toBe("APPROVED");
    expect((await db().tranche.findUniqueOrThrow({ where: { id: midterm(a).id } })).status).toBe("RELEASABLE");
    expect(await db().reportDecision.count({ where: { reportId: ra.id, decision: "APPROVED" } })).toBe(1);
    expect((await audits(ra.id)).map((x) => x.action)).toEqual(["report.approve"]);

    // B: nothing of the failed approval stays
    expect(await db().milestoneReport.findUniqueOrThrow({ where: { id: rb.id } })).toMatchObject({ status: "SUBMITTED", version: 1, decidedById: null, decidedAt: null });
    expect((await db().projectMilestone.findUniqueOrThrow({ where: { id: midterm(b).milestoneId! } })).status).toBe("PENDING");
    expect((await db().tranche.findUniqueOrThrow({ where: { id: midterm(b).id } })).status).toBe("LOCKED");
    expect(await db().reportDecision.count({ where: { reportId: rb.id } })).toBe(0);
    expect(await audits(rb.id)).toEqual([]);
    expect(await db().notification.count({ where: { userId: f.grantees[1]!.id, kind: "monitoring.report.APPROVED" } })).toBe(0);

    // once the fault is gone, B is approved by trying again
    const again = await bulkApprove(f.official, "reports", [token(rb)]);
    expect(again.ok && again.approved.map((i) => i.id)).toEqual([rb.id]);
    expect((await db().tranche.findUniqueOrThrow({ where: { id: midterm(b).id } })).status).toBe("RELEASABLE");
  });

  it("refuses a report of another area among the selection", async () => {
    const f = await fundedProject({ count: 2 });
    const [a, b] = f.projects as [Project, Project];
    const ra = await submittedReport(f, a, a.milestones[0]!.id);
    const rb = await submittedReport(f, b, b.milestones[0]!.id);
    await rejectsWithStatus(bulkApprove(f.otherCommunityOfficial, "reports", [token(rb), token(ra)]), 403);
    expect((await db().milestoneReport.findUniqueOrThrow({ where: { id: rb.id } })).status).toBe("SUBMITTED");
    // an expense's id is no report
    const e = await submittedExpense(f, b, "x");
    await rejectsWithStatus(bulkApprove(f.otherCommunityOfficial, "reports", [token(rb), token(e)]), 403);
    expect((await db().milestoneReport.findUniqueOrThrow({ where: { id: rb.id } })).status).toBe("SUBMITTED");
  });
});

describe("the bulk approval page (/me/approve/:kind)", () => {
  /** A POSTed form with `item` repeated, as the checkboxes send it. */
  const post = (items: string[]): RequestInit => {
    const body = new URLSearchParams([["intent", "approve"], ...items.map((i) => ["item", i] as [string, string])]);
    return { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } };
  };
  const act = async (userId: string, kind: string, items: string[]) =>
    answer(async () => bulkRoute.action({ request: await signedInRequest(userId, `/me/approve/${kind}`, post(items)), params: { kind }, context: {} } as never));
  const load = async (userId: string, kind: string, query = "") =>
    outcome(async () => bulkRoute.loader({ request: await signedInRequest(userId, `/me/approve/${kind}${query}`), params: { kind }, context: {} } as never));

  it("confirms what the ticked boxes select, approves on POST, and answers 403 for a selection reaching into another area", async () => {
    const f = await fundedProject({ count: 2 });
    const [a, b] = f.projects as [Project, Project];
    const mineA = await submittedExpense(f, a, "本社区");
    const otherB = await submittedExpense(f, b, "别的社区");

    expect((await load(f.communityOfficial.id, "releases")).status).toBe(404);
    const confirm = await load(f.communityOfficial.id, "expenses", `?item=${token(mineA)}`);
    expect(confirm.value).toMatchObject({ step: "confirm", items: [{ id: mineA.id, submitted: true }] });
    expect((await load(f.communityOfficial.id, "expenses", `?item=${token(mineA)}&item=${token(otherB)}`)).status).toBe(403);

    expect((await act(f.communityOfficial.id, "expenses", [token(mineA), token(otherB)])).status).toBe(403);
    expect((await db().expense.findUniqueOrThrow({ where: { id: mineA.id } })).status).toBe("SUBMITTED");
    expect((await act(f.communityOfficial.id, "expenses", [])).status).toBe(400);

    const done = await act(f.communityOfficial.id, "expenses", [token(mineA)]);
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ outcome: { approved: [{ id: mineA.id }], notApproved: [] } });
    expect((await db().expense.findUniqueOrThrow({ where: { id: mineA.id } })).status).toBe("APPROVED");
    expect((await db().expense.findUniqueOrThrow({ where: { id: otherB.id } })).status).toBe("SUBMITTED");
  });
});
