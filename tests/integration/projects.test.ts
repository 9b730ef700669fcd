import { describe, expect, it } from "vitest";
import { rejectsWithStatus } from "../support/actors";
import { db } from "../support/db";
import { embedsFont, pdfPages } from "../support/pdf";
import { fundedProject, refused } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";
import { outcome, signedInRequest } from "../support/requests";
import * as workspaceRoute from "~/routes/projects.$ref.workspace";
import { workspaceFor, type WorkspaceHeader } from "~/services/projects/access.server";
import { accountCodes } from "~/domain/ledger";
import { balanceFen } from "~/services/books/ledger.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import {
  acceptAgreement,
  agreementView,
  approveRelease,
  cancelPreparedRelease,
  closeProject,
  countersignAgreement,
  evaluationDecided,
  milestoneApproved,
  pendingReleases,
  prepareRelease,
} from "~/services/projects/projects.server";

describe("grant agreement", () => {
  it("is generated from the proposal snapshot: budget, milestones and tranches summing exactly to the award", async () => {
    const f = await fundedProject({ state: "awaiting", awardFen: 777_777 });
    const view = await agreementView(f.grantee, f.project.referenceNo);
    expect(view.terms.awardFen).toBe(777_777);
    expect(view.terms.budget.reduce((s, l) => s + l.agreedFen, 0)).toBe(777_777);
    expect(view.terms.milestones).toHaveLength(3);
    expect(view.tranches.map((t) => t.amountFen).reduce((a, b) => a + b, 0)).toBe(777_777);
    expect(view.tranches.map((t) => [t.trigger, t.milestone?.position ?? null])).toEqual([
      ["AGREEMENT", null],
      ["MIDTERM", 2],
      ["FINAL", 3],
    ]);
    expect(view.tranches.every((t) => t.status === "LOCKED")).toBe(true);
  });

  it("is accepted by the applicant (who/when recorded), then countersigned: the first tranche becomes releasable", async () => {
    const f = await fundedProject({ state: "awaiting" });
    const view = await agreementView(f.grantee, f.project.referenceNo);
    // an official cannot accept for the grantee, the grantee cannot countersign
    await rejectsWithStatus(acceptAgreement(f.official, f.project.referenceNo, { termsSha256: view.project.termsSha256, confirm: true }), 403);
    expect(await acceptAgreement(f.grantee, f.project.referenceNo, { termsSha256: "stale", confirm: true })).toEqual(refused(409, "agreement.error.stale"));
    expect(await acceptAgreement(f.grantee, f.project.referenceNo, { termsSha256: view.project.termsSha256, confirm: false })).toEqual(refused(400, "agreement.error.confirm"));
    expect(await acceptAgreement(f.grantee, f.project.referenceNo, { termsSha256: view.project.termsSha256, confirm: true })).toEqual({ ok: true });
    await rejectsWithStatus(countersignAgreement(f.grantee, f.project.referenceNo, { termsSha256: view.project.termsSha256, confirm: true }), 403);
    expect(await countersignAgreement(f.official, f.project.referenceNo, { termsSha256: view.project.termsSha256, confirm: true })).toEqual({ ok: true });
    const after = await agreementView(f.official, f.project.referenceNo);
    expect(after.project.status).toBe("ACTIVE");
    expect(after.project.acceptedBy).toBe(f.grantee.name);
    expect(after.project.countersignedBy).toBe(f.official.name);
    expect(after.tranches.map((t) => t.status)).toEqual(["RELEASABLE", "LOCKED", "LOCKED"]);
    // the accepted terms are frozen by the database
    await expect(db().project.update({ where: { id: f.project.id }, data: { awardFen: 1 } })).rejects.toThrow(/cannot change/);
    const log = await db().auditLog.findMany({ where: { objectId: f.project.id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(["project.create", "agreement.accept", "agreement.countersign"]));
  });

  it("is visible to the grantee and the project's officials only", async () => {
    const f = await fundedProject();
    for (const who of [f.outsider, f.nobody, f.otherCommunityOfficial]) await rejectsWithStatus(agreementView(who, f.project.referenceNo), 403);
    await rejectsWithStatus(agreementView(f.official, "NOPE-0001"), 404);
    expect((await agreementView(f.communityOfficial, f.project.referenceNo)).access.isOfficial).toBe(true);
  });
});

describe("tranche release", () => {
  it("needs two different officials, records the transfer and moves committed → paid once", async () => {
    const f = await fundedProject();
    const first = f.project.tranches[0]!;
    const ref = f.project.referenceNo;
    expect(await prepareRelease(f.official, ref, { trancheId: first.id, transferRef: "x" })).toEqual(refused(400, "tranche.error.refFormat"));
    await rejectsWithStatus(prepareRelease(f.grantee, ref, { trancheId: first.id, transferRef: "TR-2026-0001" }), 403);
    expect(await prepareRelease(f.official, ref, { trancheId: first.id, transferRef: "TR-2026-0001" })).toEqual({ ok: true });
    expect(await approveRelease(f.official, ref, { trancheId: first.id })).toEqual(refused(409, "tranche.problem.sameOfficial"));
    // a locked tranche cannot be prepared
    expect(await prepareRelease(f.official, ref, { trancheId: f.project.tranches[1]!.id, transferRef: "TR-2026-0002" })).toEqual(refused(409, "tranche.problem.notReleasable"));
    expect((await pendingReleases(f.official2)).rows.map((r) => r.id)).toContain(first.id);
    expect(await approveRelease(f.official2, ref, { trancheId: first.id })).toEqual({ ok: true });
    expect(await approveRelease(f.official2, ref, { trancheId: first.id })).toEqual(refused(409, "tranche.problem.alreadyReleased"));
    const awardId = f.project.awardId;
    expect(await balanceFen(db(), accountCodes.granteePaid(awardId))).toBe(first.amountFen);
    expect(await balanceFen(db(), accountCodes.awardCommitted(awardId))).toBe(f.project.awardFen - first.amountFen);
    const released = await db().tranche.findUniqueOrThrow({ where: { id: first.id } });
    expect(released).toMatchObject({ status: "RELEASED", transferRef: "TR-2026-0001", preparedById: f.official.id, approvedById: f.official2.id });
    await expect(db().tranche.update({ where: { id: first.id }, data: { transferRef: "changed" } })).rejects.toThrow(/released/);
    const mail = await db().emailMessage.findFirst({ where: { userId: f.grantee.id, template: "project-update" }, orderBy: { createdAt: "desc" } });
    expect(mail?.text).toContain("TR-2026-0001");
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("50 concurrent approvals of one prepared tranche give exactly one payment", async () => {
    const f = await fundedProject();
    const first = f.project.tranches[0]!;
    expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: first.id, transferRef: "TR-RACE-0001" })).toEqual({ ok: true });
    const approvers = [f.official2, f.communityOfficial];
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => approveRelease(approvers[i % 2]!, f.project.referenceNo, { trancheId: first.id })));
    const ok = results.filter((r) => r.status === "fulfilled" && r.value.ok).length;
    expect(ok).toBe(1);
    const entries = await db().ledgerEntry.findMany({ where: { account: { code: accountCodes.granteePaid(f.project.awardId) } } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.amountFen).toBe(BigInt(first.amountFen));
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: `tranche:${first.id}:release` } })).toBe(1);
  });

  it("a crash between the ledger write and the status change leaves neither", async () => {
    const f = await fundedProject();
    const first = f.project.tranches[0]!;
    await prepareRelease(f.official, f.project.referenceNo, { trancheId: first.id, transferRef: "TR-CRASH-01" });
    await expect(
      approveRelease(f.official2, f.project.referenceNo, { trancheId: first.id }, {
        afterLedger: async () => {
          throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: `tranche:${first.id}:release` } })).toBe(0);
    expect((await db().tranche.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("PREPARED");
    // and the decision can be made again
    expect(await approveRelease(f.official2, f.project.referenceNo, { trancheId: first.id })).toEqual({ ok: true });
  });

  it("a prepared release can be withdrawn; later tranches wait for their milestone and for the earlier tranche", async () => {
    const f = await fundedProject();
    const [first, mid] = f.project.tranches;
    await prepareRelease(f.official, f.project.referenceNo, { trancheId: first!.id, transferRef: "TR-WRONG-1" });
    expect(await cancelPreparedRelease(f.official2, f.project.referenceNo, { trancheId: first!.id })).toEqual({ ok: true });
    expect((await db().tranche.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe("RELEASABLE");
    await db().$transaction((tx) => milestoneApproved(tx, mid!.milestoneId!, f.official.id));
    expect((await db().tranche.findUniqueOrThrow({ where: { id: mid!.id } })).status).toBe("RELEASABLE");
    expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: mid!.id, transferRef: "TR-MID-001" })).toEqual(refused(409, "tranche.problem.earlierUnpaid"));
  });
});

describe("evaluation and closing", () => {
  async function releaseAll(f: Awaited<ReturnType<typeof fundedProject>>, upTo: number) {
    for (const t of f.project.tranches.slice(0, upTo)) {
      await prepareRelease(f.official, f.project.referenceNo, { trancheId: t.id, transferRef: `TR-${t.position}-0001` });
      expect(await approveRelease(f.official2, f.project.referenceNo, { trancheId: t.id })).toEqual({ ok: true });
    }
  }

  it("a pass releases the last tranche; closing returns the unspent money to the foundation", async () => {
    const f = await fundedProject();
    for (const m of f.project.milestones) await db().$transaction((tx) => milestoneApproved(tx, m.id, f.official.id));
    await releaseAll(f, 2);
    await db().$transaction((tx) => evaluationDecided(tx, { projectId: f.project.id, evaluationId: "e1", passed: true, reasons: "", actorId: f.official.id }));
    expect((await db().tranche.findUniqueOrThrow({ where: { id: f.project.tranches[2]!.id } })).status).toBe("RELEASABLE");
    await releaseAll({ ...f, project: { ...f.project, tranches: [f.project.tranches[2]!] } }, 1);
    const available = accountCodes.foundationAvailable(f.foundation.id);
    const before = await balanceFen(db(), available);
    expect(await db().$transaction((tx) => closeProject(tx, { projectId: f.project.id, unspentFen: 12_345, actorId: f.official.id }))).toEqual({ ok: true });
    expect(await balanceFen(db(), available)).toBe(before + 12_345);
    expect(await balanceFen(db(), accountCodes.granteePaid(f.project.awardId))).toBe(f.project.awardFen - 12_345);
    expect((await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).status).toBe("CLOSED");
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("a fail holds the last tranche; closing releases the unpaid commitment back to the foundation", async () => {
    const f = await fundedProject();
    await releaseAll(f, 1);
    await db().$transaction((tx) => evaluationDecided(tx, { projectId: f.project.id, evaluationId: "e1", passed: false, reasons: "服务记录不完整", actorId: f.official.id }));
    const last = await db().tranche.findUniqueOrThrow({ where: { id: f.project.tranches[2]!.id } });
    expect(last).toMatchObject({ status: "HELD", heldReason: "服务记录不完整" });
    expect((await db().project.findUniqueOrThrow({ where: { id: f.project.id } })).status).toBe("EVALUATION_FAILED");
    const paid = f.project.tranches[0]!.amountFen;
    expect(await db().$transaction((tx) => closeProject(tx, { projectId: f.project.id, unspentFen: paid + 1, actorId: f.official.id }))).toEqual(refused(400, "project.error.unspentRange"));
    expect(await db().$transaction((tx) => closeProject(tx, { projectId: f.project.id, unspentFen: 0, actorId: f.official.id }))).toEqual({ ok: true });
    expect(await balanceFen(db(), accountCodes.awardCommitted(f.project.awardId))).toBe(0);
    expect((await verifyLedger(db())).problems).toEqual([]);
  });
});

describe("agreement PDF", () => {
  it("renders the agreement with an embedded CJK font, signature and seal blocks and the terms' hash on every page, for its grantee and officials only; audited", async () => {
    const { agreementPdf } = await import("~/services/projects/agreement-pdf.server");
    const f = await fundedProject();
    const { bytes, filename } = await agreementPdf(f.grantee, f.project.referenceNo, "zh-CN");
    expect(filename).toBe(`${f.project.referenceNo}-资助协议.pdf`);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.toString("latin1")).toMatch(/NotoSansSC/); // the font is embedded (as a subset)
    expect(embedsFont(bytes)).toBe(true);
    const { termsSha256 } = await db().project.findUniqueOrThrow({ where: { id: f.project.id }, select: { termsSha256: true } });
    const pages = await pdfPages(bytes);
    pages.forEach((page, i) => {
      expect(page).toContain(termsSha256);
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
    });
    const signing = pages.filter((page) => page.includes("（盖章）"));
    expect(signing).toHaveLength(1);
    expect(signing[0]).toContain("甲方（资助方）");
    expect(signing[0]).toContain("乙方（受资助方）");
    // the same data gives the same bytes
    expect((await agreementPdf(f.grantee, f.project.referenceNo, "zh-CN")).bytes.equals(bytes)).toBe(true);
    const en = await agreementPdf(f.official, f.project.referenceNo, "en");
    expect(en.filename).toBe(`${f.project.referenceNo}-agreement.pdf`);
    await rejectsWithStatus(agreementPdf(f.outsider, f.project.referenceNo, "zh-CN"), 403);
    const audited = await db().auditLog.findMany({ where: { action: "document.download", objectType: "Project", objectId: f.project.id }, select: { actorId: true } });
    expect(audited.map((a) => a.actorId).sort()).toEqual([f.grantee.id, f.grantee.id, f.official.id].sort());
  });
});

describe("the workspace layout", () => {
  it("lets in the grantee, the project's officials and invited evaluators, with the header once; 403 for others, 404 for no such project", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const load = async (userId: string, reference = ref) =>
      outcome(async () => workspaceRoute.loader({ request: await signedInRequest(userId, `/projects/${reference}/reports`), params: { ref: reference }, context: {} } as never));
    const header = (r: { value?: unknown }) => (r.value as { project: WorkspaceHeader }).project;

    const grantee = await load(f.grantee.id);
    expect(header(grantee)).toEqual({
      referenceNo: ref,
      title: f.project.title,
      status: "ACTIVE",
      organization: expect.any(String),
      isGrantee: true,
      isOfficial: false,
      isEvaluator: false,
      writable: true,
    });
    expect(header(await load(f.communityOfficial.id))).toMatchObject({ isGrantee: false, isOfficial: true });
    for (const who of [f.outsider, f.otherCommunityOfficial, f.nobody]) expect((await load(who.id)).status).toBe(403);
    expect((await load(f.official.id, "JN9-9999")).status).toBe(404);

    // an invited evaluator sees the header (without the navigation: the page draws it for members only)
    await db().evaluation.create({ data: { projectId: f.project.id, evaluatorId: f.nobody.id, invitedById: f.official.id, status: "INVITED" } });
    expect(header(await load(f.nobody.id))).toMatchObject({ isEvaluator: true, isGrantee: false, isOfficial: false });
    const html = renderRoute(workspaceRoute.default as never, { project: await workspaceFor(f.nobody, ref) });
    expect(html).toContain(ref);
    expect(html).not.toContain('data-testid="project-nav"');
    expect(renderRoute(workspaceRoute.default as never, { project: await workspaceFor(f.grantee, ref) })).toContain('data-testid="project-nav"');
  });

  it("a project that failed evaluation is still readable, no longer writable", async () => {
    const f = await fundedProject();
    await db().project.update({ where: { id: f.project.id }, data: { status: "EVALUATION_FAILED" } });
    expect(await workspaceFor(f.grantee, f.project.referenceNo)).toMatchObject({ status: "EVALUATION_FAILED", writable: false });
  });
});
