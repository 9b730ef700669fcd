import { describe, expect, it } from "vitest";
import EvaluationRoute from "~/routes/projects.$ref.evaluation";
import EvaluationsRoute from "~/routes/evaluations";
import { closeEvaluatedProject, evaluationPage, evaluationQueue, inviteEvaluator, submitEvaluation } from "~/services/projects/evaluation.server";
import { approveRelease, milestoneApproved, prepareRelease } from "~/services/projects/projects.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { fundedProject, refused, refusedFields, type ProjectFixture } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";
import { form, outcome, signedInRequest } from "../support/requests";
import * as evaluationRoute from "~/routes/projects.$ref.evaluation";

const PASS = { goals: "25", quality: "20", funds: "15", satisfaction: "10", records: "8" }; // 78
const FAIL = { goals: "10", quality: "10", funds: "10", satisfaction: "10", records: "5" }; // 45

async function approveMilestones(f: ProjectFixture) {
  for (const m of f.project.milestones) await db().$transaction((tx) => milestoneApproved(tx, m.id, f.official.id));
}

/** Releases every RELEASABLE tranche in order (prepared by one official, approved by another). */
async function releaseOpenTranches(f: ProjectFixture) {
  const tranches = await db().tranche.findMany({ where: { projectId: f.project.id, status: "RELEASABLE" }, orderBy: { position: "asc" } });
  for (const t of tranches) {
    expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: t.id, transferRef: `BANK-${uid()}` })).toEqual({ ok: true });
    expect(await approveRelease(f.official2, f.project.referenceNo, { trancheId: t.id })).toEqual({ ok: true });
  }
}

const paidOf = async (f: ProjectFixture) =>
  (await db().tranche.findMany({ where: { projectId: f.project.id, status: "RELEASED" } })).reduce((s, t) => s + t.amountFen, 0);

describe("final evaluation", () => {
  it("opens only when the project is active and every milestone is approved", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const page = await evaluationPage(f.official, ref);
    expect(page).toMatchObject({ open: false, canSubmit: false, canInvite: false, canClose: false, passScore: 60 });
    expect(page.items.reduce((s, i) => s + i.max, 0)).toBe(100);
    expect(await submitEvaluation(f.official, ref, { scores: PASS, reasons: "", unspent: "0" })).toEqual(refused(409, "evaluation.error.notOpen"));
    expect(await inviteEvaluator(f.official, ref, { email: f.nobody.email })).toEqual(refused(409, "evaluation.error.notOpen"));
    expect(await db().evaluation.count({ where: { projectId: f.project.id } })).toBe(0);

    const awaiting = await fundedProject({ state: "awaiting" });
    for (const m of awaiting.project.milestones) await db().$transaction((tx) => milestoneApproved(tx, m.id, awaiting.official.id));
    expect((await evaluationPage(awaiting.official, awaiting.project.referenceNo)).open).toBe(false);
  });

  it("pass: an official's sheet makes the last tranche releasable; once it is paid the project closes and returns the unspent money", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await releaseOpenTranches(f); // the agreement tranche
    await approveMilestones(f);
    await releaseOpenTranches(f); // the mid-term tranche
    const paid = await paidOf(f);
    expect(paid).toBeGreaterThan(0);
    const line = f.project.budgetLines[0]!;
    await db().expense.create({ data: { projectId: f.project.id, spentOn: new Date(), payee: "超市", amountFen: 300_000, budgetLineId: line.id, status: "APPROVED", submittedById: f.grantee.id } });
    await db().expense.create({ data: { projectId: f.project.id, spentOn: new Date(), payee: "印刷店", amountFen: 50_000, budgetLineId: line.id, status: "SUBMITTED", submittedById: f.grantee.id } });

    const before = await evaluationPage(f.official, ref);
    expect(before).toMatchObject({ open: true, canSubmit: true, canInvite: true, canClose: false, paidFen: paid, approvedExpensesFen: 300_000, suggestedUnspentFen: paid - 300_000 });

    // field errors keep nothing half-done
    const bad = await submitEvaluation(f.official, ref, { scores: { ...PASS, goals: "31" }, reasons: "", unspent: "abc" });
    expect(bad).toEqual(refusedFields(400, { goals: ['evaluation.error.scoreMax|{"max":30}'], unspent: ["money.format"] }));
    expect(await submitEvaluation(f.official, ref, { scores: PASS, reasons: "", unspent: String(paid / 100 + 1) })).toMatchObject({
      ok: false,
      problem: { status: 400, fieldErrors: { unspent: [expect.stringContaining("evaluation.error.unspentTooHigh")] } },
    });

    const unspentYuan = ((paid - 300_000) / 100).toFixed(2);
    expect(await submitEvaluation(f.official, ref, { scores: PASS, reasons: "目标基本达成", unspent: unspentYuan })).toEqual({ ok: true, passed: true, total: 78 });
    const evaluation = await db().evaluation.findFirstOrThrow({ where: { projectId: f.project.id } });
    expect(evaluation).toMatchObject({ status: "PASSED", total: 78, evaluatorId: f.official.id, unspentFen: paid - 300_000, scores: { goals: 25, quality: 20, funds: 15, satisfaction: 10, records: 8 } });
    const finalTranche = await db().tranche.findFirstOrThrow({ where: { projectId: f.project.id, trigger: "FINAL" } });
    expect(finalTranche.status).toBe("RELEASABLE");
    expect((await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).status).toBe("ACTIVE");
    const actions = (await db().auditLog.findMany({ where: { OR: [{ objectId: evaluation.id }, { objectId: f.project.id, action: { startsWith: "evaluation." } }] } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["evaluation.submit", "evaluation.pass"]));

    // one decision only; closing waits for the last tranche
    expect(await submitEvaluation(f.official2, ref, { scores: FAIL, reasons: "重复提交的评估表", unspent: "0" })).toEqual(refused(409, "evaluation.error.decided"));
    expect((await evaluationPage(f.official, ref)).canClose).toBe(false);
    expect(await closeEvaluatedProject(f.official, ref, { unspent: "0", confirm: true })).toEqual(refused(409, "evaluation.error.notClosable"));

    await releaseOpenTranches(f); // the final tranche
    const page = await evaluationPage(f.official, ref);
    expect(page.canClose).toBe(true);
    expect(page.suggestedUnspentFen).toBe(paid - 300_000); // what the evaluation found
    expect(await closeEvaluatedProject(f.official, ref, { unspent: unspentYuan, confirm: false })).toEqual(refused(400, "evaluation.error.confirmClose"));
    expect(await closeEvaluatedProject(f.official, ref, { unspent: "99999999", confirm: true })).toMatchObject({
      ok: false,
      problem: { status: 400, fieldErrors: { closeUnspent: [expect.stringContaining("evaluation.error.unspentTooHigh")] } },
    });
    expect(await closeEvaluatedProject(f.official, ref, { unspent: "1500", confirm: true })).toEqual({ ok: true });
    const closed = await db().project.findUniqueOrThrow({ where: { id: f.project.id } });
    expect(closed).toMatchObject({ status: "CLOSED", unspentReturnedFen: 150_000 });
    expect(await db().auditLog.count({ where: { action: "project.close", objectId: f.project.id } })).toBe(1);
    expect(await closeEvaluatedProject(f.official, ref, { unspent: "0", confirm: true })).toEqual(refused(409, "evaluation.error.closed"));
  });

  it("fail: an invited evaluator's failing sheet (with reasons) holds the last tranche; the project can then close", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await releaseOpenTranches(f);
    await approveMilestones(f);
    await releaseOpenTranches(f);
    const evaluator = f.nobody;

    // invitations: by the email of an existing account, not the grantee's, not twice
    expect(await inviteEvaluator(f.official, ref, { email: `missing-${uid()}@example.com` })).toEqual(refusedFields(400, { email: ["evaluation.error.noAccount"] }));
    expect(await inviteEvaluator(f.official, ref, { email: "not an email" })).toEqual(refusedFields(400, { email: ["evaluation.error.email"] }));
    expect(await inviteEvaluator(f.official, ref, { email: f.grantee.email })).toEqual(refusedFields(409, { email: ["evaluation.error.conflict"] }));
    await rejectsWithStatus(evaluationPage(evaluator, ref), 403);
    expect(await inviteEvaluator(f.official, ref, { email: ` ${evaluator.email.toUpperCase()} ` })).toEqual({ ok: true });
    expect(await inviteEvaluator(f.official, ref, { email: evaluator.email })).toEqual(refusedFields(409, { email: ["evaluation.error.alreadyInvited"] }));
    const invite = await db().evaluation.findFirstOrThrow({ where: { projectId: f.project.id, evaluatorId: evaluator.id } });
    expect(invite).toMatchObject({ status: "INVITED", invitedById: f.official.id });
    const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: evaluator.email, template: "evaluation-invitation" } });
    expect(mail.subject).toContain(ref);
    expect(mail.text).toContain(`/projects/${ref}/evaluation`);
    expect(await db().notification.count({ where: { userId: evaluator.id, kind: "evaluation.invited" } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "evaluation.invite", objectId: invite.id } })).toBe(1);

    // the evaluator's queue and page
    const queue = await evaluationQueue(evaluator);
    expect(queue.mine).toEqual([expect.objectContaining({ referenceNo: ref, status: "INVITED" })]);
    expect(queue.isOfficial).toBe(false);
    expect((await evaluationQueue(f.official)).ready).toEqual(expect.arrayContaining([expect.objectContaining({ referenceNo: ref, invited: 1 })]));
    const page = await evaluationPage(evaluator, ref);
    expect(page).toMatchObject({ canSubmit: true, canInvite: false, canClose: false, role: { isEvaluator: true, isOfficial: false } });
    await rejectsWithStatus(inviteEvaluator(evaluator, ref, { email: f.official2.email }), 403);

    expect(await submitEvaluation(evaluator, ref, { scores: FAIL, reasons: " ", unspent: "0" })).toEqual(refusedFields(400, { reasons: ["evaluation.error.reasonsRequired"] }));
    const reasons = "活动记录缺失，服务对象满意度偏低";
    expect(await submitEvaluation(evaluator, ref, { scores: FAIL, reasons, unspent: "2000" })).toEqual({ ok: true, passed: false, total: 45 });
    expect(await db().evaluation.findUniqueOrThrow({ where: { id: invite.id } })).toMatchObject({ status: "FAILED", total: 45, reasons, unspentFen: 200_000 });
    expect(await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).toMatchObject({ status: "EVALUATION_FAILED" });
    expect(await db().tranche.findFirstOrThrow({ where: { projectId: f.project.id, trigger: "FINAL" } })).toMatchObject({ status: "HELD", heldReason: reasons });
    expect(await db().auditLog.count({ where: { action: "evaluation.fail", objectId: f.project.id } })).toBe(1);
    expect(await db().notification.count({ where: { userId: f.official.id, kind: "evaluation.failed" } })).toBe(1);

    // the grantee sees the decision, not who else was invited
    const granteeView = await evaluationPage(f.grantee, ref);
    expect(granteeView.decided).toMatchObject({ status: "FAILED", total: 45, reasons, evaluator: null, evaluatorEmail: null });
    expect(granteeView.canSubmit).toBe(false);

    expect((await evaluationPage(f.official, ref)).canClose).toBe(true);
    await rejectsWithStatus(closeEvaluatedProject(evaluator, ref, { unspent: "2000", confirm: true }), 403);
    expect(await closeEvaluatedProject(f.official, ref, { unspent: "2000", confirm: true })).toEqual({ ok: true });
    const closed = await db().project.findUniqueOrThrow({ where: { id: f.project.id } });
    expect(closed.status).toBe("CLOSED");
    // the unspent money plus the held (never paid) final tranche go back
    const final = await db().tranche.findFirstOrThrow({ where: { projectId: f.project.id, trigger: "FINAL" } });
    expect(closed.unspentReturnedFen).toBe(200_000 + final.amountFen);
  });

  it("once one evaluator decides, the invitations still open are withdrawn, audited, and their invitees told in the inbox and by email", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await approveMilestones(f);
    const first = await person([], { name: "评估人甲" });
    const second = await person([], { name: "评估人乙" });
    const third = await person([], { name: "评估人丙" });
    for (const e of [first, second, third]) expect(await inviteEvaluator(f.official, ref, { email: e.email })).toEqual({ ok: true });

    expect(await submitEvaluation(second, ref, { scores: PASS, reasons: "", unspent: "0" })).toEqual({ ok: true, passed: true, total: 78 });
    const rows = await db().evaluation.findMany({ where: { projectId: f.project.id } });
    const statusOf = (id: string) => rows.find((r) => r.evaluatorId === id)!;
    expect(statusOf(second.id)).toMatchObject({ status: "PASSED", withdrawnAt: null });
    for (const e of [first, third]) {
      const row = statusOf(e.id);
      expect(row).toMatchObject({ status: "WITHDRAWN" });
      expect(row.withdrawnAt).toBeInstanceOf(Date);
      expect(await db().notification.count({ where: { userId: e.id, kind: "evaluation.withdrawn" } })).toBe(1);
      const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: e.email, template: "evaluation-withdrawn" } });
      expect(mail.subject).toContain(ref);
      expect(mail.text).toContain(`/projects/${ref}/evaluation`);
      const log = await db().auditLog.findFirstOrThrow({ where: { action: "evaluation.withdraw", objectId: row.id } });
      expect(log).toMatchObject({ actorId: second.id, before: { status: "INVITED" }, after: { project: ref, evaluatorId: e.id, status: "WITHDRAWN" } });
    }
    // the deciding evaluator is not told their own invitation lapsed
    expect(await db().notification.count({ where: { userId: second.id, kind: "evaluation.withdrawn" } })).toBe(0);
    expect(await db().emailMessage.count({ where: { toAddress: second.email, template: "evaluation-withdrawn" } })).toBe(0);

    // a withdrawn invitee can no longer submit, and their queue shows the withdrawal last
    expect(await submitEvaluation(first, ref, { scores: FAIL, reasons: "评估记录不完整，服务对象满意度偏低", unspent: "0" })).toEqual(refused(409, "evaluation.error.decided"));
    expect((await evaluationQueue(first)).mine).toEqual([expect.objectContaining({ referenceNo: ref, status: "WITHDRAWN" })]);
    expect((await evaluationPage(f.official, ref)).invitations).toEqual([]);
  });

  it("an official's own sheet withdraws every open invitation too", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await approveMilestones(f);
    const invitee = await person([], { name: "评估人丁" });
    expect(await inviteEvaluator(f.official, ref, { email: invitee.email })).toEqual({ ok: true });
    expect(await submitEvaluation(f.official, ref, { scores: FAIL, reasons: "活动记录缺失，服务对象满意度偏低", unspent: "0" })).toEqual({ ok: true, passed: false, total: 45 });
    expect(await db().evaluation.findFirstOrThrow({ where: { projectId: f.project.id, evaluatorId: invitee.id } })).toMatchObject({ status: "WITHDRAWN" });
    expect(await db().auditLog.count({ where: { action: "evaluation.withdraw", actorId: f.official.id } })).toBeGreaterThanOrEqual(1);
    expect(await db().emailMessage.count({ where: { toAddress: invitee.email, template: "evaluation-withdrawn" } })).toBe(1);
  });

  it("refuses outsiders, other communities' officials and grantees on officials' actions", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await approveMilestones(f);
    const sheet = { scores: PASS, reasons: "", unspent: "0" };
    for (const who of [f.outsider, f.otherCommunityOfficial, f.nobody]) {
      await rejectsWithStatus(evaluationPage(who, ref), 403);
      await rejectsWithStatus(submitEvaluation(who, ref, sheet), 403);
      await rejectsWithStatus(inviteEvaluator(who, ref, { email: f.official2.email }), 403);
      await rejectsWithStatus(closeEvaluatedProject(who, ref, { unspent: "0", confirm: true }), 403);
    }
    // the grantee reads the page but may not evaluate, invite or close
    expect((await evaluationPage(f.grantee, ref)).canSubmit).toBe(false);
    await rejectsWithStatus(submitEvaluation(f.grantee, ref, sheet), 403);
    await rejectsWithStatus(inviteEvaluator(f.grantee, ref, { email: f.official2.email }), 403);
    await rejectsWithStatus(closeEvaluatedProject(f.grantee, ref, { unspent: "0", confirm: true }), 403);
    await rejectsWithStatus(evaluationPage(f.official, "NOPE-0000"), 404);
    expect(await db().evaluation.count({ where: { projectId: f.project.id } })).toBe(0);

    // the community's own official may evaluate
    expect(await submitEvaluation(f.communityOfficial, ref, sheet)).toEqual({ ok: true, passed: true, total: 78 });
  });
});

describe("evaluation pages", () => {
  it("render the sheet for officials, the result for the grantee, the queue for evaluators", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await approveMilestones(f);
    const sheetHtml = renderRoute(EvaluationRoute, { view: await evaluationPage(f.official, ref), done: null });
    for (const label of ["目标达成", "服务质量与成效", "资金使用规范", "服务对象满意度", "档案与公开", "邀请评估人", "确认提交"]) expect(sheetHtml).toContain(label);
    const grantee = renderRoute(EvaluationRoute, { view: await evaluationPage(f.grantee, ref), done: null }, undefined, "en");
    expect(grantee).not.toContain("Invite an evaluator");
    expect(grantee).not.toContain('name="goals"');

    // typed scores come back with the error
    const values = { goals: "31", quality: "20", funds: "15", satisfaction: "10", records: "8", reasons: "", unspent: "0" };
    const errorHtml = renderRoute(
      EvaluationRoute,
      { view: await evaluationPage(f.official, ref), done: null },
      { intent: "submit", result: { status: "error", initialValue: values, error: { goals: ['evaluation.error.scoreMax|{"max":30}'] } } },
    );
    expect(errorHtml).toContain("得分不能超过 30");
    expect(errorHtml).toContain('value="31"');

    expect(await inviteEvaluator(f.official, ref, { email: f.nobody.email })).toEqual({ ok: true });
    expect(renderRoute(EvaluationsRoute, { queue: await evaluationQueue(f.nobody) })).toContain(ref);
    expect(await submitEvaluation(f.nobody, ref, { scores: FAIL, reasons: "未达到预期目标", unspent: "0" })).toMatchObject({ ok: true, passed: false });
    const failedHtml = renderRoute(EvaluationRoute, { view: await evaluationPage(f.grantee, ref), done: null });
    expect(failedHtml).toContain("评估不合格：45 分");
    expect(failedHtml).toContain("未达到预期目标");
    const officialHtml = renderRoute(EvaluationRoute, { view: await evaluationPage(f.official, ref), done: "evaluation.done.submitted" });
    expect(officialHtml).toContain("确认结项");
  });
});

describe("evaluation route actions", () => {
  it("submit, then close, through the forms", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await releaseOpenTranches(f);
    await approveMilestones(f);
    await releaseOpenTranches(f);
    const url = `/projects/${ref}/evaluation`;
    const post = async (userId: string, fields: Record<string, string>) =>
      outcome(async () => evaluationRoute.action({ request: await signedInRequest(userId, url, form(fields)), params: { ref }, context: {} } as never));
    expect((await post(f.grantee.id, { intent: "submit", ...PASS, reasons: "", unspent: "0" })).status).toBe(403);
    const submitted = await post(f.official.id, { intent: "submit", ...PASS, reasons: "", unspent: "0" });
    expect(submitted).toMatchObject({ status: 302, location: `/projects/${encodeURIComponent(ref)}/evaluation?done=submitted` });
    await releaseOpenTranches(f);
    const unconfirmed = await post(f.official.id, { intent: "close", closeUnspent: "100" });
    expect(unconfirmed.value).toMatchObject({
      init: { status: 400 },
      data: { intent: "close", result: { initialValue: { closeUnspent: "100" }, error: { "": ["evaluation.error.confirmClose"] } } },
    });
    expect(await post(f.official.id, { intent: "close", closeUnspent: "100", confirm: "on" })).toMatchObject({ status: 302, location: `/projects/${encodeURIComponent(ref)}/evaluation?done=closed` });
    expect(await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).toMatchObject({ status: "CLOSED", unspentReturnedFen: 10_000 });
  });
});
