import { describe, expect, it } from "vitest";
import { rejectsWithStatus } from "../support/actors";
import { db, makeUser, TEST_PASSWORD } from "../support/db";
import { proposalSetting } from "../support/proposal-setting";
import { answer, form, signedInRequest } from "../support/requests";
import type { Draft } from "~/domain/proposals";
import { storage } from "~/lib/storage.server";
import { getViewer } from "~/lib/session.server";
import { action as editAction } from "~/routes/proposals.$id.edit";
import { action as applyAction } from "~/routes/rounds.$code.apply";
import WorkspaceLayout from "~/routes/projects.$ref.workspace";
import { signIn } from "~/services/accounts/auth.server";
import { renderRoute } from "../support/render-route";
import { applyPage, deleteDraft, loadProposalFor, saveDraft, startDraft, submit } from "~/services/proposals/proposals.server";
import { myWork } from "~/services/accounts/work.server";
import * as meRoute from "~/routes/me";
import type { ComponentType } from "react";

/**
 * The applicant's path forgives: one draft per organization and round (also when started twice
 * at once), a draft that can be deleted, a save that keeps what is valid, a submission confirmed
 * only once the round's rules are met, and the language chosen before signing in.
 */

/** A round in PROPOSALS (¥5,000 to ¥15,000) over a fresh subdistrict, and an organization of two members. */
const setting = (opts: { maxProposalsPerOrg?: number } = {}) =>
  proposalSetting({ prefix: "A", columns: { minAwardFen: 500_000, maxAwardFen: 1_500_000, maxProposalsPerOrg: opts.maxProposalsPerOrg ?? 1 } });
type Setting = Awaited<ReturnType<typeof setting>>;

function completeDraft(s: Setting, title = "银龄助餐"): Draft {
  return {
    title,
    summary: "为独居老人送午餐",
    communityId: s.communities[0]!.id,
    category: "PUBLIC_SERVICE",
    needIds: [s.topic.id],
    beneficiaryGroups: ["ELDERLY"],
    beneficiaryCount: 60,
    activityPlan: "每周三次",
    coFundingFen: 0,
    milestones: [{ title: "启动", dueOn: "2099-05-01", deliverable: "志愿者名单" }],
    budgetLines: [{ category: "MATERIALS", item: "餐盒", quantity: 1000, unitPriceFen: 700 }],
    team: [{ name: "王芳", role: "负责人", experience: "" }],
  };
}

async function started(s: Setting, who = s.alice) {
  const r = await startDraft(who, s.round.code, s.org.id);
  if (!r.ok) throw new Error(r.problem.formErrors.join());
  return r.id;
}

const PDF = () => new File([Buffer.from("%PDF-1.4\n%apply test\n")], "plan.pdf");

describe("one draft per organization and round", () => {
  it("starting again continues the draft; the apply page offers it", async () => {
    const s = await setting({ maxProposalsPerOrg: 2 });
    const first = await startDraft(s.alice, s.round.code, s.org.id);
    expect(first).toMatchObject({ ok: true, existing: false });
    const again = await startDraft(s.bob, s.round.code, s.org.id);
    expect(again).toMatchObject({ ok: true, existing: true, id: first.ok ? first.id : "" });
    expect(await db().proposal.count({ where: { organizationId: s.org.id, roundId: s.round.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "proposal.start", objectId: first.ok ? first.id : "" } })).toBe(1);
    const page = await applyPage(s.alice, s.round.code);
    expect(page.organizations.find((o) => o.id === s.org.id)?.proposals).toEqual([expect.objectContaining({ id: first.ok ? first.id : "", status: "DRAFT" })]);

    // the route sends the second start to the same draft
    const viaRoute = await answer(async () =>
      applyAction({ request: await signedInRequest(s.bob.id, `/rounds/${s.round.code}/apply`, form({ organizationId: s.org.id })), params: { code: s.round.code }, context: {} } as never),
    );
    expect(viaRoute).toMatchObject({ status: 302, location: `/proposals/${first.ok ? first.id : ""}/edit` });
  });

  it("eight starts at once by two members make one draft, and every start answers with it", async () => {
    const s = await setting({ maxProposalsPerOrg: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => startDraft(i % 2 ? s.bob : s.alice, s.round.code, s.org.id)));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.id : null)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.existing)).toHaveLength(1);
    expect(await db().proposal.count({ where: { organizationId: s.org.id, roundId: s.round.id } })).toBe(1);
  });

  it("after a submission, a new draft starts only while the round's limit allows another proposal", async () => {
    const s = await setting({ maxProposalsPerOrg: 1 });
    const id = await started(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    expect(await submit(s.alice, id, 2)).toMatchObject({ ok: true });
    expect(await startDraft(s.bob, s.round.code, s.org.id)).toMatchObject({
      ok: false,
      problem: { status: 409, formErrors: [expect.stringMatching(/^proposal\.problem\.tooManyActive/)] },
    });
    expect(await db().proposal.count({ where: { organizationId: s.org.id, roundId: s.round.id } })).toBe(1);
  });
});

describe("deleting a draft", () => {
  it("only a member may; a submitted proposal is never deleted", async () => {
    const s = await setting({ maxProposalsPerOrg: 2 });
    const id = await started(s);
    await rejectsWithStatus(deleteDraft(s.outsider, id), 404);
    await rejectsWithStatus(deleteDraft(s.official, id), 404);
    const viaRoute = await answer(async () =>
      editAction({ request: await signedInRequest(s.outsider.id, `/proposals/${id}/edit`, form({ intent: "deleteDraft" })), params: { id }, context: {} } as never),
    );
    expect(viaRoute.status).toBe(404);
    expect(await db().proposal.count({ where: { id } })).toBe(1);

    await saveDraft(s.alice, id, completeDraft(s), 1);
    await submit(s.alice, id, 2);
    expect(await deleteDraft(s.alice, id)).toMatchObject({ ok: false, problem: { status: 409 } });
    expect(await db().proposal.count({ where: { id } })).toBe(1);
  });

  it("removes the draft, its rows and its attachments' files, audited; the organization may start again", async () => {
    const s = await setting();
    const id = await started(s);
    const saved = await saveDraft(s.alice, id, completeDraft(s), 1, { file: PDF(), label: "计划书" });
    expect(saved).toMatchObject({ ok: true, upload: { id: expect.any(String) } });
    const attachment = await db().proposalAttachment.findFirstOrThrow({ where: { proposalId: id }, include: { upload: true } });
    expect(await storage().get(attachment.upload.storageKey)).not.toBeNull();

    const viaRoute = await answer(async () =>
      editAction({ request: await signedInRequest(s.bob.id, `/proposals/${id}/edit`, form({ intent: "deleteDraft" })), params: { id }, context: {} } as never),
    );
    expect(viaRoute).toMatchObject({ status: 302, location: `/rounds/${s.round.code}/apply?deleted=1` });
    expect(await db().proposal.count({ where: { id } })).toBe(0);
    expect(await db().proposalBudgetLine.count({ where: { proposalId: id } })).toBe(0);
    expect(await db().upload.count({ where: { id: attachment.uploadId } })).toBe(0);
    expect(await storage().get(attachment.upload.storageKey)).toBeNull();
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: id, action: "proposal.deleteDraft" } });
    expect(log.actorId).toBe(s.bob.id);
    expect(log.before).toMatchObject({ status: "DRAFT", title: "银龄助餐", attachments: [{ name: "plan.pdf", sha256: attachment.upload.sha256 }] });

    expect(await startDraft(s.alice, s.round.code, s.org.id)).toMatchObject({ ok: true, existing: false });
  });
});

describe("the draft form forgives", () => {
  const edit = async (userId: string, id: string, fields: Record<string, string>) =>
    answer(async () => editAction({ request: await signedInRequest(userId, `/proposals/${id}/edit`, form(fields)), params: { id }, context: {} } as never));

  it("a save with a bad value saves what is valid and names what is not", async () => {
    const s = await setting();
    const id = await started(s);
    const r = await edit(s.alice.id, id, {
      intent: "save",
      version: "1",
      title: "部分保存",
      summary: "摘要照存",
      beneficiaryCount: "六十",
      "budgetLines[0].category": "MATERIALS",
      "budgetLines[0].item": "餐盒",
      "budgetLines[0].quantity": "10",
      "budgetLines[0].unitPrice": "12..5",
    });
    expect(r).toMatchObject({
      status: 400,
      data: {
        kind: "partial",
        version: 2,
        result: { error: { beneficiaryCount: ["proposal.error.integer"], "budgetLines[0].unitPrice": [expect.any(String)] }, initialValue: { beneficiaryCount: "六十" } },
      },
    });
    const row = await db().proposal.findUniqueOrThrow({ where: { id }, include: { budgetLines: true } });
    expect(row).toMatchObject({ title: "部分保存", summary: "摘要照存", beneficiaryCount: null, version: 2 });
    expect(row.budgetLines).toMatchObject([{ item: "餐盒", quantity: 10, unitPriceFen: 0 }]);
  });

  it("a submission with a bad value is not submitted, and the rest is saved", async () => {
    const s = await setting();
    const id = await started(s);
    const r = await edit(s.alice.id, id, { intent: "submit", version: "1", title: "提交也保存", beneficiaryCount: "-3" });
    expect(r).toMatchObject({ status: 400, data: { intent: "submit", kind: "partial", version: 2, result: { error: { beneficiaryCount: ["proposal.error.negative"] } } } });
    expect(await db().proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "DRAFT", title: "提交也保存" });
  });

  it("a submission meeting every rule asks for confirmation first, and submits once confirmed", async () => {
    const s = await setting();
    const id = await started(s);
    await saveDraft(s.alice, id, completeDraft(s), 1);
    const fields = {
      version: "2",
      title: "银龄助餐",
      summary: "为独居老人送午餐",
      communityId: s.communities[0]!.id,
      category: "PUBLIC_SERVICE",
      needIds: s.topic.id,
      beneficiaryGroups: "ELDERLY",
      beneficiaryCount: "60",
      activityPlan: "每周三次",
      "milestones[0].title": "启动",
      "milestones[0].dueOn": "2099-05-01",
      "milestones[0].deliverable": "志愿者名单",
      "budgetLines[0].category": "MATERIALS",
      "budgetLines[0].item": "餐盒",
      "budgetLines[0].quantity": "1000",
      "budgetLines[0].unitPrice": "7",
      "team[0].name": "王芳",
    };
    const asked = await edit(s.alice.id, id, { ...fields, intent: "submit" });
    expect(asked).toMatchObject({ status: 200, data: { kind: "confirm", version: 3 } });
    expect((await db().proposal.findUniqueOrThrow({ where: { id } })).status).toBe("DRAFT");
    const done = await edit(s.alice.id, id, { ...fields, version: "3", intent: "submit", confirmed: "1" });
    expect(done).toMatchObject({ status: 302, location: `/proposals/${id}?submitted=1` });
    expect((await db().proposal.findUniqueOrThrow({ where: { id } })).status).toBe("SUBMITTED");
  });

  it("the progress is not ready while a rule of the round is broken, and the preview names the community and needs", async () => {
    const s = await setting();
    const id = await started(s);
    // every field filled, ¥4,800 where the round asks ¥5,000 to ¥15,000
    await saveDraft(s.alice, id, { ...completeDraft(s), budgetLines: [{ category: "MATERIALS", item: "餐盒", quantity: 480, unitPriceFen: 1_000 }] }, 1);
    const p = await loadProposalFor(s.alice, id);
    expect(p.progress).toMatchObject({ done: 12, total: 12, ready: false, unmet: [{ field: "budgetLines", key: "proposal.problem.totalRange" }] });
    expect(p.draftCommunity).toMatchObject({ id: s.communities[0]!.id });
    expect(p.draftNeeds).toEqual([{ id: s.topic.id, number: s.topic.number, title: "老人助餐" }]);
    await saveDraft(s.alice, id, completeDraft(s), 2);
    expect((await loadProposalFor(s.alice, id)).progress).toMatchObject({ ready: true, unmet: [] });
  });
});

describe("the applicant's home", () => {
  it("counts a draft's broken rules as well as its missing fields: a draft whose budget breaks the round's range is not ready", async () => {
    const s = await setting();
    const id = await started(s);
    // everything filled in, but ¥700 asked of a round that gives ¥5,000 to ¥15,000
    const cheap = completeDraft(s);
    cheap.budgetLines = [{ category: "MATERIALS", item: "餐盒", quantity: 100, unitPriceFen: 700 }];
    await saveDraft(s.alice, id, cheap, 1);
    const member = { ...s.alice, organizations: [{ id: s.org.id }] };
    const itemOf = async () => (await myWork(member)).groups.find((g) => g.kind === "draftsToSubmit")!.items.find((i) => i.id === id)!;
    const broken = await itemOf();
    expect(broken).toMatchObject({ missing: [], ready: false });
    expect(broken.unmet).toHaveLength(1);
    expect(broken.unmet![0]).toMatch(/^proposal\.problem\.totalRange\|/);
    // the same as the draft's own page says
    expect((await loadProposalFor(member, id)).progress).toMatchObject({ ready: false, unmet: [expect.objectContaining({ key: "proposal.problem.totalRange" })] });

    const page = async (locale: "zh-CN" | "en") => {
      const data = await meRoute.loader({ request: await signedInRequest(s.alice.id, "/me"), params: {}, context: {} } as never);
      return renderRoute(meRoute.default as ComponentType<never>, data, undefined, locale);
    };
    const zh = await page("zh-CN");
    expect(zh).toContain("尚未满足本轮规则：");
    expect(zh).toContain("¥700.00");
    expect(zh).not.toContain("可以提交");
    const en = await page("en");
    expect(en).toContain("Rules of the round not met yet:");
    expect(en).not.toContain("Ready to submit");

    // the budget mended: nothing missing, no rule broken, ready
    await saveDraft(s.alice, id, completeDraft(s), 2);
    expect(await itemOf()).toMatchObject({ missing: [], unmet: [], ready: true });
    expect(await page("zh-CN")).toContain("可以提交");
    expect(await page("en")).toContain("Ready to submit");
  });
});

describe("the language chosen before signing in", () => {
  const signInRequest = (lang?: string) =>
    new Request("http://localhost:3000/login", {
      method: "POST",
      headers: { "x-client-ip": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`, ...(lang ? { cookie: `lang=${lang}` } : {}) },
    });

  it("stays after signing in and is remembered on the account; without a choice the account's language applies", async () => {
    const user = await makeUser();
    await db().user.update({ where: { id: user.id }, data: { locale: "zh_CN" } });
    const r = await signIn(signInRequest("en"), { email: user.email, password: TEST_PASSWORD });
    if (!r.ok) throw new Error("sign-in failed");
    const viewer = await getViewer(new Request("http://localhost:3000/", { headers: { cookie: r.cookie.split(";")[0]! } }));
    expect(viewer?.locale).toBe("en");
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("en");
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: user.id, action: "user.signin" }, orderBy: { seq: "desc" } });
    expect(log.after).toMatchObject({ locale: "en" });

    const plain = await signIn(signInRequest(), { email: user.email, password: TEST_PASSWORD });
    if (!plain.ok) throw new Error("sign-in failed");
    const again = await getViewer(new Request("http://localhost:3000/", { headers: { cookie: plain.cookie.split(";")[0]! } }));
    expect(again?.locale).toBe("en");
  });
});

describe("the project workspace's tabs", () => {
  const header = (status: string) => ({
    referenceNo: "JN9-0042",
    title: "测试项目",
    status,
    organization: "测试队",
    isGrantee: true,
    isOfficial: false,
    isEvaluator: false,
    writable: status === "ACTIVE",
  });

  it("before the agreement is signed, reports, expenses and budget are no links and say when they open", () => {
    const html = renderRoute(WorkspaceLayout as never, { project: header("AWAITING_COUNTERSIGN") });
    for (const tab of ["reports", "expenses", "budget"]) {
      expect(html).not.toContain(`href="/projects/JN9-0042/${tab}"`);
      expect(html).toContain(`data-testid="tab-closed-${tab}"`);
    }
    expect(html).toContain("协议签署后开放");
    expect(html).toContain('href="/projects/JN9-0042/agreement"');
    const active = renderRoute(WorkspaceLayout as never, { project: header("ACTIVE") });
    for (const tab of ["reports", "expenses", "budget"]) expect(active).toContain(`href="/projects/JN9-0042/${tab}"`);
    expect(active).not.toContain("协议签署后开放");
  });
});
