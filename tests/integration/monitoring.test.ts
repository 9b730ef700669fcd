import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { rejectsWithStatus } from "../support/actors";
import { db } from "../support/db";
import { outcome, signedInRequest } from "../support/requests";
import * as reportRoute from "~/routes/projects.$ref.reports.$reportId";
import * as filesRoute from "~/routes/projects.$ref.files.$fileId";
import * as expensesRoute from "~/routes/projects.$ref.expenses";
import * as reportsRoute from "~/routes/projects.$ref.reports";
import * as budgetRoute from "~/routes/projects.$ref.budget";
import { renderRoute } from "../support/render-route";
import { fundedProject, refused, refusedFields, type ProjectFixture } from "../support/project-fixture";
import { shanghaiDay } from "~/domain/working-days";
import { withParams } from "~/domain/messages";
import { readUpload } from "~/lib/uploads.server";
import { decideReport, removeReportFile, reportFileUpload, reportsPage, reportView, saveReport, startReport } from "~/services/projects/reports.server";
import {
  budgetPage,
  decideAdjustment,
  decideExpense,
  expensesPage,
  receiptUpload,
  requestAdjustment,
  resubmitExpense,
  submitExpense,
} from "~/services/projects/expenses.server";

/** What an action answers a refused form with (lib/forms.server.ts): the intent and Conform's reply. */
type FormReply = { intent: string; result: { initialValue: Record<string, unknown> | null; error?: Record<string, string[] | null> } };

/** A real JPEG made by sharp (`width` × 2/3 of it), with a colour so two calls can differ. */
async function jpeg(name = "photo.jpg", width = 1200, colour = "#c0392b") {
  const bytes = await sharp({ create: { width, height: Math.round((width * 2) / 3), channels: 3, background: colour } }).jpeg().toBuffer();
  return new File([new Uint8Array(bytes)], name, { type: "image/jpeg" });
}

function pdf(name = "receipt.pdf", text = "receipt 1") {
  const body = `%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`;
  return new File([new TextEncoder().encode(body)], name, { type: "application/pdf" });
}

const today = () => shanghaiDay(new Date());

async function draftFor(f: ProjectFixture, position = 1) {
  const milestone = f.project.milestones.find((m) => m.position === position)!;
  const started = await startReport(f.grantee, f.project.referenceNo, milestone.id);
  if (!started.ok) throw new Error(started.problem.formErrors.join());
  return { milestone, reportId: started.reportId };
}

async function version(reportId: string) {
  return (await db().milestoneReport.findUniqueOrThrow({ where: { id: reportId } })).version;
}

async function auditActions(objectId: string) {
  return (await db().auditLog.findMany({ where: { objectId }, orderBy: { seq: "asc" }, select: { action: true } })).map((a) => a.action);
}

describe("milestone reports", () => {
  it("saves a draft with photos (thumbnail ≤ 480 px) and files, and serves them to members only", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const { reportId } = await draftFor(f);
    // starting again returns the same report: one per milestone
    expect(await startReport(f.grantee, ref, f.project.milestones[0]!.id)).toEqual({ ok: true, reportId });

    const saved = await saveReport(
      f.grantee,
      ref,
      reportId,
      { narrative: "招募了 12 名志愿者", beneficiariesServed: "", version: await version(reportId), submit: false },
      { photos: [await jpeg("a.jpg"), await jpeg("b.jpg", 300, "#2980b9")], files: [pdf("签到表.pdf")] },
    );
    expect(saved).toEqual({ ok: true, submitted: false });
    const view = await reportView(f.grantee, ref, reportId);
    expect(view.report).toMatchObject({ status: "DRAFT", narrative: "招募了 12 名志愿者", beneficiariesServed: null });
    expect(view.photos.map((p) => p.name).sort()).toEqual(["a.jpg", "b.jpg"]);
    expect(view.files.map((p) => p.name)).toEqual(["签到表.pdf"]);
    expect(view.canEdit).toBe(true);

    const big = view.photos.find((p) => p.name === "a.jpg")!;
    const thumbId = await reportFileUpload(f.official, ref, big.id, true);
    const thumb = await readUpload(thumbId);
    const meta = await sharp(Buffer.from(thumb!.bytes)).metadata();
    expect([thumb!.row.mimeType, meta.format, meta.width]).toEqual(["image/jpeg", "jpeg", 480]);
    const small = view.photos.find((p) => p.name === "b.jpg")!;
    expect((await sharp(Buffer.from((await readUpload(await reportFileUpload(f.grantee, ref, small.id, true)))!.bytes)).metadata()).width).toBe(300);
    expect(await reportFileUpload(f.grantee, ref, big.id, false)).not.toBe(thumbId);

    for (const who of [f.outsider, f.nobody, f.otherCommunityOfficial]) {
      await rejectsWithStatus(reportFileUpload(who, ref, big.id, true), 403);
      await rejectsWithStatus(reportView(who, ref, reportId), 403);
    }
    await rejectsWithStatus(reportFileUpload(f.grantee, ref, "00000000-0000-0000-0000-000000000000", false), 404);

    // removing a file from the draft
    expect(await removeReportFile(f.grantee, ref, reportId, view.files[0]!.id)).toEqual({ ok: true });
    expect((await reportView(f.grantee, ref, reportId)).files).toEqual([]);
    await rejectsWithStatus(removeReportFile(f.official, ref, reportId, small.id), 403);
  });

  it("keeps the typed text when an upload fails (wrong type, corrupt image, too large)", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const { reportId } = await draftFor(f);

    const gif = new File([new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } }).gif().toBuffer())], "anim.gif");
    const wrong = await saveReport(f.grantee, ref, reportId, { narrative: "第一段文字", beneficiariesServed: "30", version: await version(reportId), submit: false }, { photos: [gif], files: [] });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    // the refused file is named next to its field; the page keeps what was typed (the form's reply)
    expect(wrong.problem).toEqual({
      status: 400,
      formErrors: ["monitoring.report.textSaved"],
      fieldErrors: { photos: [withParams("monitoring.upload.failed", { name: "anim.gif" }), "monitoring.upload.photoType"] },
      detail: { version: await version(reportId) },
    });
    // the text was saved in the same request
    expect((await reportView(f.grantee, ref, reportId)).report).toMatchObject({ narrative: "第一段文字", beneficiariesServed: 30 });
    expect((await reportView(f.grantee, ref, reportId)).photos).toEqual([]);

    const full = await jpeg("broken.jpg");
    const corrupt = new File([new Uint8Array(await full.arrayBuffer()).slice(0, 400)], "broken.jpg");
    const broken = await saveReport(
      f.grantee,
      ref,
      reportId,
      { narrative: "第二段文字", beneficiariesServed: "31", version: wrong.problem.detail!.version, submit: true },
      { photos: [await jpeg("ok.jpg"), corrupt], files: [] },
    );
    expect(broken.ok === false && broken.problem.fieldErrors.photos?.[1]).toBe("monitoring.upload.corrupt");
    const after = await reportView(f.grantee, ref, reportId);
    expect(after.report).toMatchObject({ narrative: "第二段文字", beneficiariesServed: 31, status: "DRAFT" });
    // files are all or nothing per request: the good photo was not stored either
    expect(after.photos).toEqual([]);

    const text = new File([new TextEncoder().encode("not a pdf at all")], "notes.pdf");
    const notPdf = await saveReport(f.grantee, ref, reportId, { narrative: "第三段", beneficiariesServed: "31", version: after.report.version, submit: false }, { photos: [], files: [text] });
    expect(notPdf.ok === false && notPdf.problem.fieldErrors).toEqual({ files: [withParams("monitoring.upload.failed", { name: "notes.pdf" }), expect.stringMatching(/^upload\.error\.wrongType\|/)] });
    expect((await reportView(f.grantee, ref, reportId)).report.narrative).toBe("第三段");

    const huge = new File([new Uint8Array(9 * 1024 * 1024)], "huge.jpg");
    const tooLarge = await saveReport(f.grantee, ref, reportId, { narrative: "第三段", beneficiariesServed: "31", version: await version(reportId), submit: false }, { photos: [huge], files: [] });
    expect(tooLarge.ok === false && tooLarge.problem.fieldErrors.photos?.[0]).toBe(withParams("monitoring.upload.failed", { name: "huge.jpg" }));
    expect(tooLarge.ok === false && tooLarge.problem.fieldErrors.photos?.[1]).toMatch(/^upload\.error\.tooLarge\|/);

    // a stale version saves nothing and says so, with the version now
    const stale = await saveReport(f.grantee, ref, reportId, { narrative: "旧的", beneficiariesServed: "1", version: 1, submit: false });
    expect(stale).toEqual({ ok: false, problem: { status: 409, formErrors: ["monitoring.stale"], fieldErrors: {}, detail: { version: await version(reportId) } } });
    expect((await reportView(f.grantee, ref, reportId)).report.narrative).toBe("第三段");
  });

  it("submit → return with comment → resubmit → approve: milestone APPROVED and its tranche RELEASABLE", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const tied = f.project.tranches.find((t) => t.trigger === "MIDTERM" && t.milestoneId)!;
    expect(tied.status).toBe("LOCKED");
    const milestone = f.project.milestones.find((m) => m.id === tied.milestoneId)!;
    const started = await startReport(f.grantee, ref, milestone.id);
    const reportId = started.ok ? started.reportId : "";

    // a submission needs the text and the number served
    const empty = await saveReport(f.grantee, ref, reportId, { narrative: "", beneficiariesServed: "", version: await version(reportId), submit: true });
    expect(empty.ok === false && Object.keys(empty.problem.fieldErrors).sort()).toEqual(["beneficiariesServed", "narrative"]);

    const submitted = await saveReport(f.grantee, ref, reportId, { narrative: "开展助老服务 20 次", beneficiariesServed: "45", version: await version(reportId), submit: true }, { photos: [await jpeg()], files: [] });
    expect(submitted).toEqual({ ok: true, submitted: true });
    const inbox = await db().notification.findMany({ where: { userId: { in: [f.official.id, f.communityOfficial.id] }, kind: "monitoring.reportSubmitted" } });
    expect(inbox.map((n) => n.userId).sort()).toEqual([f.official.id, f.communityOfficial.id].sort());
    // submitted: the grantee cannot change it
    expect(await saveReport(f.grantee, ref, reportId, { narrative: "x", beneficiariesServed: "1", version: await version(reportId), submit: false })).toMatchObject(refused(409, "monitoring.report.notEditable"));

    // only officials of the project decide; returning needs a comment
    for (const who of [f.grantee, f.outsider, f.otherCommunityOfficial, f.nobody]) {
      await rejectsWithStatus(decideReport(who, ref, reportId, { decision: "APPROVED", comment: "", version: await version(reportId) }), 403);
    }
    expect(await decideReport(f.official, ref, reportId, { decision: "RETURNED", comment: "  ", version: await version(reportId) })).toEqual(refused(400, "monitoring.decision.error.commentRequired"));
    expect(await decideReport(f.official, ref, reportId, { decision: "RETURNED", comment: "请补充签到表", version: 1 })).toEqual(refused(409, "monitoring.stale"));
    expect(await decideReport(f.official, ref, reportId, { decision: "RETURNED", comment: "请补充签到表", version: await version(reportId) })).toEqual({ ok: true });
    let view = await reportView(f.grantee, ref, reportId);
    expect(view.report).toMatchObject({ status: "RETURNED", comment: "请补充签到表" });
    expect(view.canEdit).toBe(true);
    const returnedMail = await db().emailMessage.findMany({ where: { userId: f.grantee.id, template: "monitoring-decision" } });
    expect(returnedMail).toHaveLength(1);
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "monitoring.report.RETURNED" } })).toBe(1);

    // fix and resubmit
    expect(await saveReport(f.grantee, ref, reportId, { narrative: "开展助老服务 20 次，附签到表", beneficiariesServed: "45", version: await version(reportId), submit: true }, { photos: [], files: [pdf("签到表.pdf")] })).toEqual({
      ok: true,
      submitted: true,
    });
    expect(await decideReport(f.communityOfficial, ref, reportId, { decision: "APPROVED", comment: "", version: await version(reportId) })).toEqual({ ok: true });
    // a second decision on the same report is refused
    expect(await decideReport(f.official, ref, reportId, { decision: "APPROVED", comment: "", version: await version(reportId) })).toEqual(refused(409, "monitoring.stale"));

    const fresh = await f.reload(f.project.id);
    expect(fresh.milestones.find((m) => m.id === milestone.id)!.status).toBe("APPROVED");
    expect(fresh.tranches.find((t) => t.id === tied.id)!.status).toBe("RELEASABLE");
    view = await reportView(f.official, ref, reportId);
    expect(view.report.status).toBe("APPROVED");
    expect(view.decisions.map((d) => [d.decision, d.comment])).toEqual([
      ["RETURNED", "请补充签到表"],
      ["APPROVED", ""],
    ]);
    expect(view.canEdit || view.canDecide).toBe(false);
    expect(await auditActions(reportId)).toEqual(["report.submit", "report.return", "report.resubmit", "report.approve"]);
    expect(await db().auditLog.count({ where: { objectId: milestone.id, action: "milestone.approve" } })).toBe(1);
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "monitoring.report.APPROVED" } })).toBe(1);

    const list = await reportsPage(f.grantee, ref);
    expect(list.milestones.find((m) => m.id === milestone.id)!.report).toMatchObject({ id: reportId, status: "APPROVED" });
    // an approved milestone takes no new report
    expect(await startReport(f.grantee, ref, milestone.id)).toEqual({ ok: true, reportId });
  });

  it("refuses outsiders and officials of another community on every report call", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const { reportId, milestone } = await draftFor(f);
    for (const who of [f.outsider, f.otherCommunityOfficial, f.nobody]) {
      await rejectsWithStatus(reportsPage(who, ref), 403);
      await rejectsWithStatus(reportView(who, ref, reportId), 403);
      await rejectsWithStatus(startReport(who, ref, milestone.id), 403);
      await rejectsWithStatus(saveReport(who, ref, reportId, { narrative: "x", beneficiariesServed: "", version: 1, submit: false }), 403);
      await rejectsWithStatus(removeReportFile(who, ref, reportId, reportId), 403);
      await rejectsWithStatus(decideReport(who, ref, reportId, { decision: "APPROVED", comment: "", version: 1 }), 403);
    }
    // officials read but do not write the grantee's report
    await rejectsWithStatus(saveReport(f.official, ref, reportId, { narrative: "x", beneficiariesServed: "", version: 1, submit: false }), 403);
    // another project's grantee cannot reach this report through their own project
    const g = await fundedProject({ count: 2 });
    await rejectsWithStatus(reportView(g.grantees[1]!, g.project.referenceNo, reportId), 403);
    await rejectsWithStatus(reportView(g.grantee, g.project.referenceNo, reportId), 404);
  });
});

describe("expenses and receipts", () => {
  it("submits an expense with receipts, flags the same receipt in another project of the area, approves and returns", async () => {
    const f = await fundedProject({ count: 2 });
    const [p1, p2] = f.projects;
    const line1 = p1!.budgetLines[0]!;
    const receipt = pdf("发票.pdf", "INV-0001");

    const first = await submitExpense(f.grantee, p1!.referenceNo, { spentOn: today(), payee: "平湖文具店", amount: "¥1,200.50", budgetLineId: line1.id, description: "活动物资" }, [receipt, await jpeg("小票.jpg", 400)]);
    expect(first).toMatchObject({ ok: true, duplicateReceipt: false });
    const e1 = first.ok ? first.expenseId : "";
    const row = await db().expense.findUniqueOrThrow({ where: { id: e1 }, include: { receipts: true } });
    expect(row).toMatchObject({ amountFen: 120_050, budgetLineId: line1.id, status: "SUBMITTED", duplicateReceipt: false });
    expect(row.receipts).toHaveLength(2);
    expect(row.receipts.every((r) => /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true);
    const receiptId = row.receipts[0]!.id;
    expect((await readUpload(await receiptUpload(f.official, p1!.referenceNo, receiptId)))!.row.mimeType).toMatch(/pdf|jpeg/);

    // the same file again, in the other project of the same round's area
    const again = await submitExpense(f.grantees[1]!, p2!.referenceNo, { spentOn: today(), payee: "平湖文具店", amount: "1200.5", budgetLineId: "none", description: "" }, [pdf("copy.pdf", "INV-0001")]);
    expect(again).toMatchObject({ ok: true, duplicateReceipt: true });
    const e2 = again.ok ? again.expenseId : "";
    expect(await db().expense.findUniqueOrThrow({ where: { id: e2 } })).toMatchObject({ duplicateReceipt: true, budgetLineId: null });
    // officials see the flag and where the other copy is; the grantee does not see other projects
    const officialView = await expensesPage(f.official, p2!.referenceNo);
    const flagged = officialView.expenses.find((e) => e.id === e2)!;
    expect(flagged.duplicateReceipt).toBe(true);
    expect(flagged.duplicates).toEqual([{ referenceNo: p1!.referenceNo, expenseRef: `#${e1.slice(0, 8)}` }]);
    const granteeView = await expensesPage(f.grantees[1]!, p2!.referenceNo);
    expect(granteeView.expenses.find((e) => e.id === e2)).toMatchObject({ duplicateReceipt: false, duplicates: [] });
    // the original is not flagged (it came first)
    expect((await db().expense.findUniqueOrThrow({ where: { id: e1 } })).duplicateReceipt).toBe(false);

    // a different file is not a duplicate
    const other = await submitExpense(f.grantee, p1!.referenceNo, { spentOn: today(), payee: "印刷厂", amount: "300", budgetLineId: p1!.budgetLines[2]!.id, description: "" }, [pdf("b.pdf", "INV-0002")]);
    expect(other).toMatchObject({ ok: true, duplicateReceipt: false });

    // approve one, return the other with a comment
    const v = async (id: string) => (await db().expense.findUniqueOrThrow({ where: { id } })).version;
    expect(await decideExpense(f.official, p1!.referenceNo, e1, { decision: "APPROVED", comment: "", version: await v(e1) })).toEqual({ ok: true });
    expect(await decideExpense(f.official, p2!.referenceNo, e2, { decision: "RETURNED", comment: "", version: await v(e2) })).toEqual(refused(400, "monitoring.decision.error.commentRequired"));
    expect(await decideExpense(f.official, p2!.referenceNo, e2, { decision: "RETURNED", comment: "票据重复，请说明", version: await v(e2) })).toEqual({ ok: true });
    expect(await decideExpense(f.official, p1!.referenceNo, e1, { decision: "RETURNED", comment: "again", version: await v(e1) })).toEqual(refused(409, "monitoring.stale"));
    expect(await db().expense.findUniqueOrThrow({ where: { id: e2 } })).toMatchObject({ status: "RETURNED", comment: "票据重复，请说明" });
    expect(await db().notification.count({ where: { userId: f.grantees[1]!.id, kind: "monitoring.expense.RETURNED" } })).toBe(1);
    expect(await db().emailMessage.count({ where: { userId: f.grantees[1]!.id, template: "monitoring-decision" } })).toBe(1);

    // the grantee corrects the returned one (fields + a new receipt) and submits it again
    const fixed = await resubmitExpense(
      f.grantees[1]!,
      p2!.referenceNo,
      e2,
      { spentOn: today(), payee: "平湖文具店（更正）", amount: "1,000", budgetLineId: p2!.budgetLines[0]!.id, description: "说明", version: await v(e2) },
      [await jpeg("new.jpg", 200, "#16a085")],
    );
    expect(fixed).toMatchObject({ ok: true, duplicateReceipt: true });
    const after = await db().expense.findUniqueOrThrow({ where: { id: e2 }, include: { receipts: true } });
    expect(after).toMatchObject({ status: "SUBMITTED", payee: "平湖文具店（更正）", amountFen: 100_000, budgetLineId: p2!.budgetLines[0]!.id });
    expect(after.receipts).toHaveLength(2);
    // a submitted (not returned) expense cannot be "corrected"
    expect(await resubmitExpense(f.grantees[1]!, p2!.referenceNo, e2, { spentOn: today(), payee: "x", amount: "1", budgetLineId: "none", description: "", version: await v(e2) }, [])).toEqual(
      refused(409, "monitoring.stale"),
    );

    expect(await auditActions(e1)).toEqual(["expense.submit", "expense.approve"]);
    expect(await auditActions(e2)).toEqual(["expense.submit", "expense.return", "expense.resubmit"]);
  });

  it("two simultaneous submissions of the same receipt in two projects: exactly one is flagged", async () => {
    const f = await fundedProject({ count: 2 });
    const input = { spentOn: today(), payee: "店", amount: "50", budgetLineId: "none", description: "" };
    const marker = `race-${Math.random()}`;
    const results = await Promise.all([
      submitExpense(f.grantees[0]!, f.projects[0]!.referenceNo, input, [pdf("a.pdf", marker)]),
      submitExpense(f.grantees[1]!, f.projects[1]!.referenceNo, input, [pdf("b.pdf", marker)]),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.duplicateReceipt)).toHaveLength(1);
  });

  it("two officials deciding one report at once: one decision, one milestone approval", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const { reportId, milestone } = await draftFor(f);
    await saveReport(f.grantee, ref, reportId, { narrative: "完成", beneficiariesServed: "5", version: await version(reportId), submit: true });
    const v = await version(reportId);
    const results = await Promise.all([f.official, f.official2, f.communityOfficial].map((o) => decideReport(o, ref, reportId, { decision: "APPROVED", comment: "", version: v })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().reportDecision.count({ where: { reportId } })).toBe(1);
    expect(await db().auditLog.count({ where: { objectId: milestone.id, action: "milestone.approve" } })).toBe(1);
  });

  it("validates the fields, keeps them on a refused receipt, and needs at least one receipt", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const typed = { spentOn: "2099-01-01", payee: "", amount: "12.345", budgetLineId: "", description: "备注" };
    const bad = await submitExpense(f.grantee, ref, typed, []);
    expect(bad).toMatchObject({ ok: false, problem: { status: 400, formErrors: [] } });
    expect(bad.ok === false && Object.keys(bad.problem.fieldErrors).sort()).toEqual(["amount", "budgetLineId", "payee", "receipts", "spentOn"]);

    const good = { spentOn: today(), payee: "店", amount: "10", budgetLineId: f.project.budgetLines[0]!.id, description: "" };
    const html = new File([new TextEncoder().encode("<html><script>alert(1)</script></html>")], "receipt.pdf");
    const wrongType = await submitExpense(f.grantee, ref, good, [html]);
    expect(wrongType).toEqual(
      refusedFields(400, { receipts: [withParams("monitoring.upload.failed", { name: "receipt.pdf" }), expect.stringMatching(/^upload\.error\.wrongType\|/), "monitoring.upload.chooseAgain"] }),
    );
    expect(await db().expense.count({ where: { projectId: f.project.id } })).toBe(0);
    // a budget line of another project is refused
    const g = await fundedProject();
    const foreign = await submitExpense(f.grantee, ref, { ...good, budgetLineId: g.project.budgetLines[0]!.id }, [pdf()]);
    expect(foreign.ok === false && foreign.problem.fieldErrors.budgetLineId).toEqual(["monitoring.expense.error.lineUnknown"]);
  });

  it("refuses outsiders and officials of another community on every expense call", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const made = await submitExpense(f.grantee, ref, { spentOn: today(), payee: "店", amount: "10", budgetLineId: "none", description: "" }, [pdf("r.pdf", "x-only")]);
    const expenseId = made.ok ? made.expenseId : "";
    const receiptId = (await db().expenseReceipt.findFirstOrThrow({ where: { expenseId } })).id;
    for (const who of [f.outsider, f.otherCommunityOfficial, f.nobody]) {
      await rejectsWithStatus(expensesPage(who, ref), 403);
      await rejectsWithStatus(submitExpense(who, ref, { spentOn: today(), payee: "x", amount: "1", budgetLineId: "none", description: "" }, [pdf()]), 403);
      await rejectsWithStatus(resubmitExpense(who, ref, expenseId, { spentOn: today(), payee: "x", amount: "1", budgetLineId: "none", description: "", version: 1 }, []), 403);
      await rejectsWithStatus(decideExpense(who, ref, expenseId, { decision: "APPROVED", comment: "", version: 1 }), 403);
      await rejectsWithStatus(receiptUpload(who, ref, receiptId), 403);
      await rejectsWithStatus(budgetPage(who, ref), 403);
      await rejectsWithStatus(requestAdjustment(who, ref, { fromLineId: "", toLineId: "", amount: "1", reason: "r" }), 403);
      await rejectsWithStatus(decideAdjustment(who, ref, expenseId, { decision: "APPROVED", comment: "" }), 403);
    }
    // the grantee does not decide their own expenses; officials do not file them
    await rejectsWithStatus(decideExpense(f.grantee, ref, expenseId, { decision: "APPROVED", comment: "", version: 1 }), 403);
    await rejectsWithStatus(submitExpense(f.official, ref, { spentOn: today(), payee: "x", amount: "1", budgetLineId: "none", description: "" }, [pdf()]), 403);
    // the community's own official can read and decide
    expect((await expensesPage(f.communityOfficial, ref)).expenses).toHaveLength(1);
  });
});

describe("budget and adjustments", () => {
  it("shows spending per line, over budget and off budget; an approved adjustment moves budget and keeps history", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const [a, b, c] = f.project.budgetLines; // ¥5,000 / ¥3,000 / ¥2,000
    const spend = async (lineId: string | null, amount: string, approve: boolean) => {
      const r = await submitExpense(f.grantee, ref, { spentOn: today(), payee: "店", amount, budgetLineId: lineId ?? "none", description: "" }, [pdf(`r-${amount}-${lineId}.pdf`, `${amount}-${lineId}-${Math.random()}`)]);
      if (!r.ok) throw new Error(JSON.stringify(r));
      if (approve) await decideExpense(f.official, ref, r.expenseId, { decision: "APPROVED", comment: "", version: 1 });
    };
    await spend(a!.id, "4000", true);
    await spend(a!.id, "500", false);
    await spend(c!.id, "2300", true); // 115 % of ¥2,000
    await spend(null, "88", true);

    let page = await budgetPage(f.grantee, ref);
    const line = (pos: number) => page.lines.find((l) => l.position === pos)!;
    expect(line(1)).toMatchObject({ agreedFen: 500_000, budgetFen: 500_000, approvedFen: 400_000, pendingFen: 50_000, percentUsed: 80, overBudget: false });
    expect(line(3)).toMatchObject({ approvedFen: 230_000, percentUsed: 115, overBudget: true });
    expect(page.offBudget).toEqual({ approvedFen: 8_800, pendingFen: 0 });
    expect(page.canRequest).toBe(true);

    // never below the approved spend of the from line: ¥5,000 − ¥4,000 spent leaves ¥1,000 movable
    const tooMuch = await requestAdjustment(f.grantee, ref, { fromLineId: a!.id, toLineId: c!.id, amount: "1000.01", reason: "物资节省" });
    expect(tooMuch.ok === false && tooMuch.problem.fieldErrors.amount).toEqual(["monitoring.adjustment.error.belowSpent"]);
    const req = await requestAdjustment(f.grantee, ref, { fromLineId: a!.id, toLineId: c!.id, amount: "600", reason: "物资节省，宣传增加" });
    expect(req.ok).toBe(true);
    const adjustmentId = req.ok ? req.adjustmentId : "";
    const second = await requestAdjustment(f.grantee, ref, { fromLineId: b!.id, toLineId: a!.id, amount: "100", reason: "劳务节省" });
    const secondId = second.ok ? second.adjustmentId : "";
    expect(await db().notification.count({ where: { userId: f.official.id, kind: "monitoring.adjustmentRequested" } })).toBe(2);

    // the grantee cannot approve; a rejection needs a comment
    await rejectsWithStatus(decideAdjustment(f.grantee, ref, adjustmentId, { decision: "APPROVED", comment: "" }), 403);
    expect(await decideAdjustment(f.official, ref, secondId, { decision: "REJECTED", comment: "" })).toEqual(refused(400, "monitoring.decision.error.commentRequired"));
    expect(await decideAdjustment(f.official, ref, secondId, { decision: "REJECTED", comment: "劳务费不得调出" })).toEqual({ ok: true });

    expect(await decideAdjustment(f.official, ref, adjustmentId, { decision: "APPROVED", comment: "" })).toEqual({ ok: true });
    page = await budgetPage(f.official, ref);
    expect(line(1)).toMatchObject({ agreedFen: 500_000, budgetFen: 440_000 });
    expect(line(3)).toMatchObject({ agreedFen: 200_000, budgetFen: 260_000, percentUsed: 88, overBudget: false });
    expect(page.adjustments.map((x) => x.status)).toEqual(["REJECTED", "APPROVED"]);
    expect(page.totals.budgetFen).toBe(1_000_000);
  });

  it("keeps the round's caps per budget category: a move into a category at its cap is refused when asked and when approved, naming the category", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const [materials, labour, publicity] = f.project.budgetLines; // ¥5,000 / ¥3,000 / ¥2,000
    // labour stands at exactly its 30 % cap: one more fen is refused
    const intoLabour = await requestAdjustment(f.grantee, ref, { fromLineId: materials!.id, toLineId: labour!.id, amount: "0.01", reason: "劳务增加" });
    expect(intoLabour).toEqual(
      refusedFields(400, { amount: [withParams("monitoring.adjustment.error.budgetCapPercent", { categoryZh: "人员劳务费", categoryEn: "Labour", amount: "¥3,000.01", share: 30, cap: 30 })] }),
    );
    // publicity capped at ¥2,500 by amount
    await db().round.update({ where: { id: f.round.id }, data: { budgetCaps: [{ category: "PUBLICITY", maxFen: 250_000 }] } });
    const tooMuch = await requestAdjustment(f.grantee, ref, { fromLineId: materials!.id, toLineId: publicity!.id, amount: "500.01", reason: "宣传增加" });
    expect(tooMuch).toEqual(
      refusedFields(400, { amount: [withParams("monitoring.adjustment.error.budgetCapAmount", { categoryZh: "宣传印刷费", categoryEn: "Publicity and printing", amount: "¥2,500.01", max: "¥2,500.00" })] }),
    );
    const first = await requestAdjustment(f.grantee, ref, { fromLineId: materials!.id, toLineId: publicity!.id, amount: "300", reason: "宣传增加" });
    const second = await requestAdjustment(f.grantee, ref, { fromLineId: materials!.id, toLineId: publicity!.id, amount: "300", reason: "再增加" });
    if (!first.ok || !second.ok) throw new Error("each alone keeps within the cap");
    expect(await decideAdjustment(f.official, ref, first.adjustmentId, { decision: "APPROVED", comment: "" })).toEqual({ ok: true });
    // together they would pass the cap: the second approval is refused and changes nothing
    const refusedApproval = await decideAdjustment(f.official, ref, second.adjustmentId, { decision: "APPROVED", comment: "" });
    expect(refusedApproval).toEqual(refused(409, withParams("monitoring.adjustment.error.budgetCapAmount", { categoryZh: "宣传印刷费", categoryEn: "Publicity and printing", amount: "¥2,600.00", max: "¥2,500.00" })));
    expect(await db().projectBudgetLine.findUniqueOrThrow({ where: { id: publicity!.id } })).toMatchObject({ budgetFen: 230_000 });
    expect(await db().budgetAdjustment.findUniqueOrThrow({ where: { id: second.adjustmentId } })).toMatchObject({ status: "PENDING" });
  });

  it("refuses an approval that would take the from line below its approved spend, and approves within it", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const [a, , c] = f.project.budgetLines;
    const r = await requestAdjustment(f.grantee, ref, { fromLineId: a!.id, toLineId: c!.id, amount: "1500", reason: "调整" });
    const id = r.ok ? r.adjustmentId : "";
    // spending approved after the request: ¥4,000 on a ¥5,000 line leaves ¥1,000 movable
    const e = await submitExpense(f.grantee, ref, { spentOn: today(), payee: "店", amount: "4000", budgetLineId: a!.id, description: "" }, [pdf("big.pdf", `big-${Math.random()}`)]);
    await decideExpense(f.official, ref, e.ok ? e.expenseId : "", { decision: "APPROVED", comment: "", version: 1 });
    expect(await decideAdjustment(f.official, ref, id, { decision: "APPROVED", comment: "" })).toEqual(refused(409, "monitoring.adjustment.error.belowSpent"));
    expect((await db().projectBudgetLine.findUniqueOrThrow({ where: { id: a!.id } })).budgetFen).toBe(500_000);

    const ok = await requestAdjustment(f.grantee, ref, { fromLineId: a!.id, toLineId: c!.id, amount: "1000", reason: "调整" });
    const okId = ok.ok ? ok.adjustmentId : "";
    expect(await decideAdjustment(f.official2, ref, okId, { decision: "APPROVED", comment: "同意" })).toEqual({ ok: true });
    const lines = await db().projectBudgetLine.findMany({ where: { projectId: f.project.id }, orderBy: { position: "asc" } });
    expect(lines.map((l) => [l.agreedFen, l.budgetFen])).toEqual([
      [500_000, 400_000],
      [300_000, 300_000],
      [200_000, 300_000],
    ]);
    // decided once only
    expect(await decideAdjustment(f.official, ref, okId, { decision: "APPROVED", comment: "" })).toEqual(refused(409, "monitoring.stale"));

    const page = await budgetPage(f.grantee, ref);
    expect(page.adjustments.map((x) => [x.status, x.amountFen, x.comment])).toEqual([
      ["APPROVED", 100_000, "同意"],
      ["PENDING", 150_000, null],
    ]);
    expect(page.adjustments[0]).toMatchObject({ requestedBy: f.grantee.name, decidedBy: f.official2.name });
    expect(await auditActions(okId)).toEqual(["budget.adjustment.request", "budget.adjustment.approve"]);
    const approvedAudit = await db().auditLog.findFirstOrThrow({ where: { objectId: okId, action: "budget.adjustment.approve" } });
    expect(approvedAudit.after).toMatchObject({ from: { budgetFen: 400_000 }, to: { budgetFen: 300_000 } });
    expect(await db().notification.count({ where: { userId: f.grantee.id, kind: "monitoring.adjustment.APPROVED" } })).toBe(1);
  });

  it("is read-only when the project is not active", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await db().project.update({ where: { id: f.project.id }, data: { status: "EVALUATION_FAILED" } });
    expect((await budgetPage(f.grantee, ref)).project.writable).toBe(false);
    expect(await requestAdjustment(f.grantee, ref, { fromLineId: "", toLineId: "", amount: "1", reason: "r" })).toEqual(refused(409, "monitoring.notActive"));
    expect(await submitExpense(f.grantee, ref, { spentOn: today(), payee: "x", amount: "1", budgetLineId: "none", description: "" }, [pdf()])).toEqual(refused(409, "monitoring.notActive"));
    expect(await startReport(f.grantee, ref, f.project.milestones[0]!.id)).toEqual(refused(409, "monitoring.notActive"));
  });
});

describe("the pages (route modules)", () => {
  const multipart = (fields: Record<string, string | File[]>) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === "string") body.set(k, v);
      else for (const file of v) body.append(k, file);
    }
    return { method: "POST", body } satisfies RequestInit;
  };
  const args = (request: Request, params: Record<string, string>) => ({ request, params, context: {} }) as never;

  it("a refused photo comes back with the typed text; files are served to members only", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const { reportId } = await draftFor(f);
    const url = `/projects/${ref}/reports/${reportId}`;
    const gif = new File([new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } }).gif().toBuffer())], "x.gif");
    const refused = await outcome(async () =>
      reportRoute.action(args(await signedInRequest(f.grantee.id, url, multipart({ intent: "save", version: String(await version(reportId)), narrative: "路由文字", beneficiariesServed: "7", photos: [gif] })), { ref, reportId })),
    );
    expect((refused.value as { init: { status: number } }).init.status).toBe(400);
    const body = (refused.value as { data: FormReply }).data;
    // what was typed comes back in the form's reply, the file's problem next to the file field
    expect(body.intent).toBe("save");
    expect(body.result.initialValue).toMatchObject({ narrative: "路由文字", beneficiariesServed: "7" });
    expect(body.result.error?.photos).toEqual([withParams("monitoring.upload.failed", { name: "x.gif" }), "monitoring.upload.photoType"]);
    expect(body.result.error?.[""]).toEqual(["monitoring.report.textSaved"]);
    expect((await reportView(f.grantee, ref, reportId)).report.narrative).toBe("路由文字");

    const saved = await outcome(async () =>
      reportRoute.action(args(await signedInRequest(f.grantee.id, url, multipart({ intent: "save", version: String(await version(reportId)), narrative: "路由文字", beneficiariesServed: "7", photos: [await jpeg("p.jpg", 800)] })), { ref, reportId })),
    );
    expect(saved).toMatchObject({ status: 302, location: `${url}?done=saved` });
    const photo = (await reportView(f.grantee, ref, reportId)).photos[0]!;

    const thumb = (await filesRoute.loader(args(await signedInRequest(f.official.id, `/projects/${ref}/files/${photo.id}?thumb=1`), { ref, fileId: photo.id }))) as Response;
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    expect(thumb.headers.get("cache-control")).toContain("private");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(480);
    const denied = await outcome(async () => filesRoute.loader(args(await signedInRequest(f.outsider.id, `/projects/${ref}/files/${photo.id}`), { ref, fileId: photo.id })));
    expect(denied.status).toBe(403);
  });

  it("answers with the problem's status: 409 for a stale decision, 400 for an unknown intent or a missing field", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const { reportId } = await draftFor(f);
    await saveReport(f.grantee, ref, reportId, { narrative: "完成", beneficiariesServed: "5", version: await version(reportId), submit: true });
    const url = `/projects/${ref}/reports/${reportId}`;
    const post = async (userId: string, fields: Record<string, string>) => outcome(async () => reportRoute.action(args(await signedInRequest(userId, url, multipart(fields)), { ref, reportId })));

    const stale = await post(f.official.id, { intent: "decide", version: "1", decision: "RETURNED", comment: "请补充" });
    expect(stale.value).toMatchObject({ init: { status: 409 }, data: { intent: "decide", result: { initialValue: { comment: "请补充" }, error: { "": ["monitoring.stale"] } } } });
    const unknown = await post(f.official.id, { intent: "publish", version: String(await version(reportId)) });
    expect((unknown.value as { init: { status: number } }).init.status).toBe(400);
    const noVersion = await post(f.official.id, { intent: "decide", decision: "APPROVED" });
    expect(noVersion.value).toMatchObject({ init: { status: 400 }, data: { intent: "decide", result: { error: { version: ["monitoring.stale"] } } } });
    expect((await reportView(f.official, ref, reportId)).report.status).toBe("SUBMITTED");
  });

  it("the expense form keeps the typed values when a receipt is refused", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const fields = { intent: "submit", spentOn: today(), payee: "文具店", amount: "88.80", budgetLineId: f.project.budgetLines[1]!.id, description: "笔" };
    const res = await outcome(async () =>
      expensesRoute.action(args(await signedInRequest(f.grantee.id, `/projects/${ref}/expenses`, multipart({ ...fields, receipts: [new File([new TextEncoder().encode("plain text")], "r.pdf")] })), { ref })),
    );
    expect((res.value as { init: { status: number } }).init.status).toBe(400);
    const body = (res.value as { data: FormReply }).data;
    const { intent: _intent, ...typed } = fields;
    expect(body.result.initialValue).toMatchObject(typed);
    expect(body.result.error?.receipts).toEqual([withParams("monitoring.upload.failed", { name: "r.pdf" }), expect.stringMatching(/^upload\.error\.wrongType\|/), "monitoring.upload.chooseAgain"]);
    const ok = await outcome(async () => expensesRoute.action(args(await signedInRequest(f.grantee.id, `/projects/${ref}/expenses`, multipart({ ...fields, receipts: [pdf()] })), { ref })));
    expect(ok).toMatchObject({ status: 302, location: `/projects/${ref}/expenses?done=submitted` });
  });
});

describe("the pages render in both languages", () => {
  it("reports, a report, expenses and budget, for the grantee and an official, with no message key left untranslated", async () => {
    const f = await fundedProject({ count: 2 });
    const ref = f.project.referenceNo;
    const { reportId } = await draftFor(f);
    await saveReport(f.grantee, ref, reportId, { narrative: "文字", beneficiariesServed: "3", version: await version(reportId), submit: true }, { photos: [await jpeg("p.jpg", 500)], files: [pdf()] });
    const e = await submitExpense(f.grantee, ref, { spentOn: today(), payee: "文具店", amount: "10", budgetLineId: "none", description: "d" }, [pdf("same.pdf", "same")]);
    await submitExpense(f.grantees[1]!, f.projects[1]!.referenceNo, { spentOn: today(), payee: "文具店", amount: "10", budgetLineId: "none", description: "" }, [pdf("same.pdf", "same")]);
    // labour → materials: labour already stands at the round's 30 % cap, so nothing more may move into it
    const moved = await requestAdjustment(f.grantee, ref, { fromLineId: f.project.budgetLines[1]!.id, toLineId: f.project.budgetLines[0]!.id, amount: "5", reason: "理由" });
    expect(moved.ok).toBe(true);
    expect(e.ok).toBe(true);
    const leak = /\b(?:monitoring|project|common|upload|money)\.[a-zA-Z]+(?:\.[A-Za-z_]+)*/;
    for (const who of [f.grantee, f.official]) {
      const pages = [
        [reportsRoute.default, { view: await reportsPage(who, ref) }],
        [reportRoute.default, { view: await reportView(who, ref, reportId), done: "submitted" }],
        [expensesRoute.default, { view: await expensesPage(who, ref), done: "duplicate" }],
        [budgetRoute.default, { view: await budgetPage(who, ref), done: "requested" }],
      ] as const;
      for (const [Component, data] of pages) {
        for (const locale of ["zh-CN", "en"] as const) {
          const html = renderRoute(Component as never, data, undefined, locale);
          expect(html.match(leak)?.[0] ?? null).toBeNull();
          // the project's reference and title are in the workspace layout's header above the page
          expect(html).toContain('<h1 class="text-2xl font-semibold">');
          if (process.env.MONITORING_DUMP) (await import("node:fs")).writeFileSync(`/tmp/mon-${who === f.grantee ? "g" : "o"}-${pages.findIndex((p) => p[0] === Component)}-${locale}.html`, html);
        }
      }
    }
    const officialHtml = renderRoute(expensesRoute.default as never, { view: await expensesPage(f.official, f.projects[1]!.referenceNo), done: null }, undefined, "en");
    expect(officialHtml).toContain("Duplicate receipt");
    expect(officialHtml).toContain(ref);
    const reportHtml = renderRoute(reportRoute.default as never, { view: await reportView(f.official, ref, reportId), done: null }, undefined, "en");
    expect(reportHtml).toContain("?thumb=1");
    expect(reportHtml).toContain('data-testid="decide-report"');
  });
});
