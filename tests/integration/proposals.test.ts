import { describe, expect, it } from "vitest";
import { rejectsWithStatus } from "../support/actors";
import { db } from "../support/db";
import { proposalSetting } from "../support/proposal-setting";
import type { Draft } from "~/domain/proposals";
import { action as editAction } from "~/routes/proposals.$id.edit";
import { action as proposalAction } from "~/routes/proposals.$id";
import { action as applyAction } from "~/routes/rounds.$code.apply";
import { answer, form, signedInRequest } from "../support/requests";
import { applyPage, attachmentFor, loadProposalFor, myProposals, saveDraft, startDraft, submit, withdraw } from "~/services/proposals/proposals.server";
import ProposalsRoute from "~/routes/proposals";
import { BAD_CURSORS, numberedPagerIn, walkNumbered } from "../support/keyset";
import { renderRoute } from "../support/render-route";

/** A round in PROPOSALS over a fresh subdistrict, with one published topic, and an organization of two members. */
const setting = (opts: { maxProposalsPerOrg?: number } = {}) => proposalSetting({ prefix: "T", columns: { maxProposalsPerOrg: opts.maxProposalsPerOrg ?? 1 } });

function completeDraft(s: Awaited<ReturnType<typeof setting>>, title = "银龄助餐"): Draft {
  return {
    title,
    summary: "为独居老人送午餐",
    communityId: s.communities[0]!.id,
    category: "PUBLIC_SERVICE",
    needIds: [s.topic.id],
    beneficiaryGroups: ["ELDERLY"],
    beneficiaryCount: 60,
    activityPlan: "每周三次",
    coFundingFen: 200_000,
    milestones: [{ title: "启动", dueOn: "2099-05-01", deliverable: "志愿者名单" }],
    budgetLines: [
      { category: "MATERIALS", item: "餐盒", quantity: 1000, unitPriceFen: 700 },
      { category: "LABOUR", item: "厨师补贴", quantity: 10, unitPriceFen: 30_000 },
    ],
    team: [{ name: "王芳", role: "负责人", experience: "十年社区志愿服务" }],
  };
}

async function draftOf(s: Awaited<ReturnType<typeof setting>>, who = s.alice) {
  const started = await startDraft(who, s.round.code, s.org.id);
  if (!started.ok) throw new Error(started.problem.formErrors.join());
  return started.id;
}

describe("drafts", () => {
  it("a member starts a draft; another member of the same organization edits it; audited", async () => {
    const s = await setting();
    const id = await draftOf(s);
    const first = await loadProposalFor(s.alice, id);
    expect(first).toMatchObject({ status: "DRAFT", version: 1, canEdit: true, organization: { id: s.org.id } });
    // the organization's own community is the starting target
    expect(first.draft.communityId).toBe(s.communities[0]!.id);

    const saved = await saveDraft(s.bob, id, { ...completeDraft(s), title: "鲍勃改的标题" }, 1);
    expect(saved).toMatchObject({ ok: true, version: 2 });
    const after = await loadProposalFor(s.alice, id);
    expect(after.draft.title).toBe("鲍勃改的标题");
    expect(after.draft.budgetLines).toHaveLength(2);
    expect(after.draft.needIds).toEqual([s.topic.id]);
    expect(after.totals.totalFen).toBe(1_000_000);
    expect(after.lastSaved.by).toBe(s.bob.name);
    const lines = await db().proposalBudgetLine.findMany({ where: { proposalId: id }, orderBy: { position: "asc" } });
    expect(lines.map((l) => l.totalFen)).toEqual([700_000, 300_000]);
    const log = await db().auditLog.findMany({ where: { objectId: id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => [l.action, l.actorId])).toEqual([
      ["proposal.start", s.alice.id],
      ["proposal.saveDraft", s.bob.id],
    ]);
  });

  it("an incomplete draft saves; its progress lists what is missing", async () => {
    const s = await setting();
    const id = await draftOf(s);
    const r = await saveDraft(s.alice, id, { ...completeDraft(s), summary: "", milestones: [], team: [] }, 1);
    expect(r.ok).toBe(true);
    const p = await loadProposalFor(s.alice, id);
    expect(p.completeness.done).toBe(8);
    expect(p.completeness.missing.map((m) => m.key)).toEqual([
      "proposal.missing.summary",
      "proposal.missing.milestones",
      "proposal.missing.milestoneDetails",
      "proposal.missing.team",
    ]);
  });

  it("a member of another organization gets not-found on load, save, submit, withdraw and attachment download", async () => {
    const s = await setting();
    const id = await draftOf(s);
    await saveDraft(s.alice, id, completeDraft(s), 1, { file: new File([Buffer.from("%PDF-1.4\n%test\n")], "plan.pdf") });
    const attachment = await db().proposalAttachment.findFirstOrThrow({ where: { proposalId: id } });
    await rejectsWithStatus(loadProposalFor(s.outsider, id), 404);
    await rejectsWithStatus(saveDraft(s.outsider, id, completeDraft(s, "hijack"), 2), 404);
    await rejectsWithStatus(submit(s.outsider, id, 2), 404);
    await rejectsWithStatus(withdraw(s.outsider, id), 404);
    await rejectsWithStatus(attachmentFor(s.outsider, id, attachment.id), 404);
    // an official cannot see a draft either
    await rejectsWithStatus(loadProposalFor(s.official, id), 404);
    // an unknown id looks exactly the same
    await rejectsWithStatus(loadProposalFor(s.outsider, crypto.randomUUID()), 404);
    expect((await db().proposal.findUniqueOrThrow({ where: { id } })).title).toBe("银龄助餐");
    // the members can download it
    const file = await attachmentFor(s.bob, id, attachment.id);
    expect(Buffer.from(file.bytes).toString()).toContain("%PDF-1.4");
    expect((await myProposals(s.outsider, { per: 20 })).proposals.map((p) => p.id)).not.toContain(id);
    expect((await myProposals(s.bob, { per: 20 })).proposals.map((p) => p.id)).toContain(id);
  });

  it("a refused attachment leaves the rest of the draft saved, with the reason", async () => {
    const s = await setting();
    const id = await draftOf(s);
    const r = await saveDraft(s.alice, id, completeDraft(s, "带附件"), 1, { file: new File([Buffer.from("MZ\x90\x00 not allowed")], "virus.exe") });
    expect(r).toMatchObject({ ok: true, version: 2, upload: { error: expect.stringMatching(/^upload\.error\.wrongType\|/) } });
    const p = await loadProposalFor(s.alice, id);
    expect(p.draft.title).toBe("带附件");
    expect(p.attachments).toEqual([]);
  });

  it("two concurrent saves with the same version: exactly one wins; the other is told who saved", async () => {
    const s = await setting();
    const id = await draftOf(s);
    const results = await Promise.all([
      saveDraft(s.alice, id, completeDraft(s, "爱丽丝版"), 1),
      saveDraft(s.bob, id, completeDraft(s, "鲍勃版"), 1),
    ]);
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winnerName = results[0]!.ok ? s.alice.name : s.bob.name;
    expect(losers[0]).toMatchObject({
      ok: false,
      problem: { status: 409, formErrors: ["proposal.conflict.short"], detail: { status: "DRAFT", savedBy: winnerName, version: 2 } },
    });
    const row = await db().proposal.findUniqueOrThrow({ where: { id }, include: { budgetLines: true } });
    expect(row.version).toBe(2);
    expect(row.title).toBe(results[0]!.ok ? "爱丽丝版" : "鲍勃版");
    expect(row.budgetLines).toHaveLength(2);
    // saving again from the version named in the conflict succeeds
    expect(await saveDraft(s.alice, id, completeDraft(s, "合并后"), 2)).toMatchObject({ ok: true, version: 3 });
  });
});

describe("submission", () => {
  it("reports every problem at once and writes nothing", async () => {
    const s = await setting();
    const id = await draftOf(s);
    const bad: Draft = {
      ...completeDraft(s),
      title: "",
      milestones: [{ title: "太早", dueOn: "2099-03-01", deliverable: "x" }],
      budgetLines: [{ category: "MATERIALS", item: "纸", quantity: 1, unitPriceFen: 100 }],
    };
    await saveDraft(s.alice, id, bad, 1);
    const r = await submit(s.alice, id, 2);
    expect(r.ok).toBe(false);
    if (r.ok || !r.problem.detail || !("problems" in r.problem.detail)) throw new Error("expected problems");
    expect(r.problem.status).toBe(400);
    expect(r.problem.detail.problems.map((p) => `${p.field}:${p.key}`)).toEqual([
      "title:proposal.problem.required",
      "milestones[0].dueOn:proposal.problem.dueOutside",
      "budgetLines:proposal.problem.totalRange",
    ]);
    // each problem also next to its field of the draft
    expect(Object.keys(r.problem.fieldErrors)).toEqual(["title", "milestones[0].dueOn", "budgetLines"]);
    const row = await db().proposal.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "DRAFT", referenceNo: null });
    expect((await db().round.findUniqueOrThrow({ where: { id: s.round.id } })).nextProposalSeq).toBe(1);
  });

  it("10 concurrent submits of one proposal: one submission, one reference number, one receipt; members told", async () => {
    const s = await setting();
    const id = await draftOf(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(i % 2 ? s.bob : s.alice, id, 2)));
    expect(results.every((r) => r.ok)).toBe(true);
    const refs = new Set(results.map((r) => (r.ok ? r.referenceNo : null)));
    expect(refs).toEqual(new Set([`${s.round.code}-0001`]));
    expect(results.filter((r) => r.ok && !r.already)).toHaveLength(1);

    const row = await db().proposal.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "SUBMITTED", referenceNo: `${s.round.code}-0001`, requestedFen: 1_000_000 });
    expect(row.snapshotSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.snapshot).toMatchObject({ title: "银龄助餐", totals: { totalFen: 1_000_000 }, needs: [{ id: s.topic.id, title: "老人助餐" }] });
    expect((await db().round.findUniqueOrThrow({ where: { id: s.round.id } })).nextProposalSeq).toBe(2);

    const mails = await db().emailMessage.findMany({ where: { template: "proposal-submitted", text: { contains: `${s.round.code}-0001` } } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(`${s.round.code}-0001`);
    expect(mails[0]!.text).toContain("¥10,000.00");
    expect([s.alice.email, s.bob.email]).toContain(mails[0]!.toAddress);
    const notes = await db().notification.findMany({ where: { kind: "proposalSubmitted", userId: { in: [s.alice.id, s.bob.id] } } });
    expect(notes).toHaveLength(2);
    expect((await db().auditLog.findMany({ where: { objectId: id, action: "proposal.submit" } })).length).toBe(1);

    // an official of the area now sees it; saving it again is refused
    expect((await loadProposalFor(s.official, id)).referenceNo).toBe(`${s.round.code}-0001`);
    expect(await saveDraft(s.alice, id, completeDraft(s, "改"), 2)).toMatchObject({
      ok: false,
      problem: { status: 409, formErrors: ["proposal.problem.notDraft"], detail: { status: "SUBMITTED" } },
    });
  });

  it("with one active proposal allowed, two drafts of one organization submitted at once: exactly one succeeds", async () => {
    const s = await setting({ maxProposalsPerOrg: 1 });
    const a = await draftOf(s, s.alice);
    // starting again continues the one draft (apply-forgiving.test.ts); a second draft, as one
    // made before that rule, is written directly
    const b = (await db().proposal.create({ data: { roundId: s.round.id, organizationId: s.org.id, createdById: s.bob.id, updatedById: s.bob.id }, select: { id: true } })).id;
    await saveDraft(s.alice, a, completeDraft(s, "甲"), 1);
    await saveDraft(s.bob, b, completeDraft(s, "乙"), 1);
    const [ra, rb] = await Promise.all([submit(s.alice, a, 2), submit(s.bob, b, 2)]);
    const ok = [ra, rb].filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    const refused = [ra, rb].find((r) => !r.ok)!;
    expect(refused).toMatchObject({
      ok: false,
      problem: { status: 400, formErrors: [expect.stringMatching(/^proposal\.problem\.tooManyActive/)], detail: { problems: [{ field: "", key: "proposal.problem.tooManyActive" }] } },
    });
    expect(await db().proposal.count({ where: { organizationId: s.org.id, status: "SUBMITTED" } })).toBe(1);
  });

  it("a stale version cannot be submitted", async () => {
    const s = await setting();
    const id = await draftOf(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    expect(await submit(s.bob, id, 1)).toMatchObject({
      ok: false,
      problem: { status: 409, formErrors: ["proposal.conflict.short"], detail: { status: "DRAFT", version: 2, savedBy: s.alice.name } },
    });
  });

  it("a submitted proposal cannot be changed in the database (trigger)", async () => {
    const s = await setting();
    const id = await draftOf(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    expect((await submit(s.alice, id, 2)).ok).toBe(true);
    await expect(db().proposal.update({ where: { id }, data: { title: "偷偷改" } })).rejects.toThrow(/cannot change|submitted/);
    await expect(db().proposalBudgetLine.updateMany({ where: { proposalId: id }, data: { unitPriceFen: 1 } })).rejects.toThrow(/submitted/);
    expect((await db().proposal.findUniqueOrThrow({ where: { id } })).title).toBe("银龄助餐");
  });
});

describe("withdrawal", () => {
  it("is allowed while the round takes proposals, frees the slot, and is refused once screening starts", async () => {
    const s = await setting();
    const id = await draftOf(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    await submit(s.alice, id, 2);
    expect(await withdraw(s.bob, id, "重新准备")).toEqual({ ok: true });
    const row = await db().proposal.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "WITHDRAWN", withdrawnById: s.bob.id, referenceNo: `${s.round.code}-0001` });
    expect(await db().notification.count({ where: { kind: "proposalWithdrawn", userId: { in: [s.alice.id, s.bob.id] } } })).toBe(2);
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: id, action: "proposal.withdraw" } });
    expect(log.after).toMatchObject({ reason: "重新准备" });
    // withdrawing twice does nothing
    expect(await withdraw(s.bob, id)).toEqual({ ok: false, problem: { status: 409, formErrors: ["proposal.withdraw.refused"], fieldErrors: {} } });

    // the organization may submit a new one, with the next number
    const again = await draftOf(s);
    await saveDraft(s.alice, again, completeDraft(s, "第二版"), 1);
    expect(await submit(s.alice, again, 2)).toMatchObject({ ok: true, referenceNo: `${s.round.code}-0002` });

    await db().round.update({ where: { id: s.round.id }, data: { phase: "SCREENING" } });
    expect(await withdraw(s.alice, again)).toEqual({ ok: false, problem: { status: 409, formErrors: ["proposal.withdraw.refused"], fieldErrors: {} } });
    expect((await db().proposal.findUniqueOrThrow({ where: { id: again } })).status).toBe("SUBMITTED");
  });

  it("a draft cannot be started when the round does not take proposals", async () => {
    const s = await setting();
    await db().round.update({ where: { id: s.round.id }, data: { phase: "SCREENING" } });
    expect(await startDraft(s.alice, s.round.code, s.org.id)).toEqual({ ok: false, problem: { status: 409, formErrors: ["proposal.problem.roundClosed"], fieldErrors: {} } });
    await rejectsWithStatus(startDraft(s.outsider, s.round.code, s.org.id), 404);
    expect((await applyPage(s.alice, s.round.code)).round.open).toBe(false);
    // a round still being set up is not shown to applicants at all
    await db().round.update({ where: { id: s.round.id }, data: { phase: "DRAFT" } });
    await rejectsWithStatus(applyPage(s.alice, s.round.code), 404);
    expect((await applyPage(s.official, s.round.code)).round.code).toBe(s.round.code);
  });
});

describe("the proposal pages' routes", () => {
  const edit = async (userId: string, id: string, fields: Record<string, string>) =>
    answer(async () => editAction({ request: await signedInRequest(userId, `/proposals/${id}/edit`, form(fields)), params: { id }, context: {} } as never));

  it("a save from a stale version is a 409 naming who saved, and the form takes the newer version", async () => {
    const s = await setting();
    const id = await draftOf(s);
    expect(await edit(s.alice.id, id, { intent: "save", version: "1", title: "爱丽丝版" })).toMatchObject({ status: 200, data: { kind: "saved", version: 2 } });
    const stale = await edit(s.bob.id, id, { intent: "save", version: "1", title: "鲍勃版" });
    expect(stale).toMatchObject({
      status: 409,
      data: { intent: "save", kind: "conflict", version: 2, conflict: { savedBy: s.alice.name }, result: { error: { "": ["proposal.conflict.short"] }, initialValue: { title: "鲍勃版" } } },
    });
    expect((await db().proposal.findUniqueOrThrow({ where: { id } })).title).toBe("爱丽丝版");
  });

  it("a refused submission puts each problem at its field and keeps the draft saved", async () => {
    const s = await setting();
    const id = await draftOf(s);
    const r = await edit(s.alice.id, id, { intent: "submit", version: "1", title: "", summary: "只有摘要" });
    expect(r).toMatchObject({ status: 400, data: { intent: "submit", kind: "problems", version: 2, result: { error: { title: ["proposal.problem.required"] } } } });
    expect(await db().proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "DRAFT", summary: "只有摘要", version: 2 });
    // a form the page does not have, or one without what it needs, is refused
    expect(await edit(s.alice.id, id, { intent: "removeAttachment" })).toMatchObject({ status: 400 });
    expect(await edit(s.alice.id, id, { intent: "publish", version: "2" })).toMatchObject({ status: 400, data: { version: 2 } });
  });

  it("starting without an organization and withdrawing too late answer at the form", async () => {
    const s = await setting();
    const start = async (fields: Record<string, string>) =>
      answer(async () => applyAction({ request: await signedInRequest(s.alice.id, `/rounds/${s.round.code}/apply`, form(fields)), params: { code: s.round.code }, context: {} } as never));
    expect(await start({})).toMatchObject({ status: 400, data: { result: { error: { organizationId: ["proposal.apply.chooseOrganization"] } } } });
    expect((await start({ organizationId: s.org.id })).status).toBe(302);

    const id = await draftOf(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    await submit(s.alice, id, 2);
    await db().round.update({ where: { id: s.round.id }, data: { phase: "SCREENING" } });
    const late = await answer(async () =>
      proposalAction({ request: await signedInRequest(s.bob.id, `/proposals/${id}`, form({ intent: "withdraw" })), params: { id }, context: {} } as never),
    );
    expect(late).toMatchObject({ status: 409, data: { intent: "withdraw", result: { error: { "": ["proposal.withdraw.refused"] } } } });
  });
});

describe("an organisation's proposals list", () => {
  it("pages by number: every proposal of the viewer's organisations exactly once, last changed first, by number, forward and back, ties on the time included; bound to the viewer and the filter; a bad cursor is ignored", async () => {
    const s = await setting();
    // 23 proposals of Alice's organisation (one of them drafted through the service), 2 of another that Alice does not belong to
    await draftOf(s);
    for (let i = 0; i < 22; i++) {
      await db().proposal.create({ data: { roundId: s.round.id, organizationId: s.org.id, createdById: s.alice.id, title: `草稿${i}`, status: i % 2 ? "DRAFT" : "WITHDRAWN" } });
    }
    for (let i = 0; i < 2; i++) await db().proposal.create({ data: { roundId: s.round.id, organizationId: s.otherOrg.id, createdById: s.outsider.id, title: `别人的${i}` } });
    // ten changed at one instant: only the id orders those
    const mine = await db().proposal.findMany({ where: { organizationId: s.org.id }, select: { id: true }, orderBy: { id: "asc" } });
    await db().$executeRaw`UPDATE "Proposal" SET "updatedAt" = '2026-04-01 03:00:00.789' WHERE id = ANY(${mine.slice(0, 10).map((p) => p.id)}::text[])`;
    const expected = (await db().proposal.findMany({ where: { organizationId: s.org.id }, orderBy: [{ updatedAt: "desc" }, { id: "desc" }], select: { id: true } })).map((p) => p.id);

    const forward = await walkNumbered(async (qs) => {
      const q = new URLSearchParams(qs);
      const l = await myProposals(s.alice, { per: 10, page: q.get("page"), cursor: q.get("cursor") });
      return { items: l.proposals, pager: l.pager };
    });
    expect(forward.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(forward.flat().map((p) => p.id)).toEqual(expected);
    const first = await myProposals(s.alice, { per: 10 });
    expect(first.total).toBe(23);
    expect(first.pager).toMatchObject({ page: 1, pages: 3 });
    for (const cursor of BAD_CURSORS) expect((await myProposals(s.alice, { per: 10, page: "1", cursor })).proposals).toEqual(first.proposals);
    // bound to the filter and to the viewer: with a cursor of another, the page is read by its number
    const drafts = await myProposals(s.alice, { per: 10, status: "DRAFT", page: "2", cursor: first.pager.next });
    expect(drafts.proposals.map((p) => p.id)).toEqual((await myProposals(s.alice, { per: 10, status: "DRAFT", page: "2" })).proposals.map((p) => p.id));
    expect(drafts.proposals.every((p) => p.status === "DRAFT")).toBe(true);
    // Bob, of the same organisation, with Alice's cursor: his page 2 read by its number
    const bobs = await myProposals(s.bob, { per: 10, page: "2", cursor: first.pager.next });
    expect(bobs.pager).toMatchObject({ page: 2, pages: 3 });
    expect(bobs.proposals.map((p) => p.id)).toEqual(expected.slice(10, 20));
    // the page's numbered links: plain links, the current page marked, previous / next carrying their cursor
    const second = await myProposals(s.alice, { per: 10, page: "2" });
    const pager = numberedPagerIn(renderRoute(ProposalsRoute as never, { ...second, per: 10, status: "" }))!;
    expect(pager).toMatchObject({ label: "翻页", current: "当前页： 2", prev: `/p?cursor=${second.pager.prev}`, next: `/p?page=3&cursor=${second.pager.next}` });
    expect(pager.links.map((l) => l.href)).toEqual(["/p", "/p?page=3"]);
    const withdrawn = await myProposals(s.alice, { per: 10, status: "WITHDRAWN" });
    expect(withdrawn.total).toBe(11);
    const en = numberedPagerIn(renderRoute(ProposalsRoute as never, { ...withdrawn, per: 10, status: "WITHDRAWN" }, undefined, "en"))!;
    expect(en).toMatchObject({ label: "Pages", current: "Current page: 1", prev: null });
    expect(en.links.map((l) => l.label)).toEqual(["Page 2"]);
  });
});
