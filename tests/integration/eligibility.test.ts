import { describe, expect, it } from "vitest";
import { person } from "../support/actors";
import { db, makeAreaTree } from "../support/db";
import { withParams } from "~/domain/messages";
import { budgetCapFormRows } from "~/domain/rounds";
import type { Draft } from "~/domain/proposals";
import type { Prisma } from "~/generated/prisma/client";
import { applyPage, loadProposalFor, saveDraft, startDraft, submit } from "~/services/proposals/proposals.server";
import { fundedProject, type ProjectFixture } from "../support/project-fixture";
import { proposalsRound } from "../support/proposal-setting";
import { renderRoute } from "../support/render-route";
import { roundSettingsFields } from "../support/round-input";
import ApplyRoute from "~/routes/rounds.$code.apply";
import { RoundSettingsFields } from "~/components/round-form";
import { LocaleContext } from "~/lib/i18n";
import { createElement } from "react";
import { renderToString } from "react-dom/server";

/**
 * A round in PROPOSALS over the fixture's subdistrict, with `rules` (eligibility, caps), to which
 * the fixture's first organization — a resident team holding one ACTIVE funded project — applies.
 */
const openRound = (f: ProjectFixture, rules: Partial<Prisma.RoundUncheckedCreateInput> = {}) =>
  proposalsRound({ areaId: f.root.id, foundationId: f.foundation.id, prefix: "E", title: "资格测试", columns: rules });

const draftFor = (f: ProjectFixture): Draft => ({
  title: "楼道微更新",
  summary: "居民共同设计楼道",
  communityId: f.community1.id,
  category: "SELF_GOVERNANCE",
  needIds: [],
  beneficiaryGroups: ["ALL_RESIDENTS"],
  beneficiaryCount: 80,
  activityPlan: "三次议事会",
  coFundingFen: 0,
  milestones: [{ title: "议事会", dueOn: "2099-05-01", deliverable: "会议纪要" }],
  budgetLines: [
    { category: "MATERIALS", item: "涂料", quantity: 10, unitPriceFen: 50_000 }, // ¥5,000
    { category: "VENUE", item: "场地", quantity: 1, unitPriceFen: 200_000 }, // ¥2,000
    { category: "LABOUR", item: "设计师", quantity: 1, unitPriceFen: 100_000 }, // ¥1,000
  ],
  team: [{ name: "李雷", role: "负责人", experience: "" }],
});

/** A saved, complete draft of the fixture's first organization in `round` (started while the rules allowed it). */
async function completeDraft(f: ProjectFixture, roundCode: string) {
  const started = await startDraft(f.grantee, roundCode, f.organizations[0]!.id);
  if (!started.ok) throw new Error(started.problem.formErrors.join());
  const saved = await saveDraft(f.grantee, started.id, draftFor(f), 1);
  if (!saved.ok) throw new Error("save");
  return { id: started.id, version: saved.version };
}

const kindRefusal = withParams("eligibility.kind", {
  allowedZh: "社会组织、社区社会组织",
  allowedEn: "Social organization, Community organization",
  kindZh: "居民团队",
  kindEn: "Resident team",
});

describe("eligibility rules of a round", () => {
  it("by default anyone may apply: a resident team with an active project submits", async () => {
    const f = await fundedProject();
    const round = await openRound(f);
    const d = await completeDraft(f, round.code);
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: true });
  });

  it("organization kind: refused up front on the apply page, when starting a draft and at submission, naming the rule", async () => {
    const f = await fundedProject();
    const round = await openRound(f);
    const d = await completeDraft(f, round.code);
    await db().round.update({ where: { id: round.id }, data: { eligibleOrgKinds: ["SOCIAL_ORGANIZATION", "COMMUNITY_ORGANIZATION"] } });

    const page = await applyPage(f.grantee, round.code);
    expect(page.round.eligibility.kinds).toEqual(["SOCIAL_ORGANIZATION", "COMMUNITY_ORGANIZATION"]);
    expect(page.organizations.find((o) => o.id === f.organizations[0]!.id)?.ineligible).toEqual([kindRefusal]);
    expect(await startDraft(f.grantee, round.code, f.organizations[0]!.id)).toEqual({ ok: false, problem: { status: 409, formErrors: [kindRefusal], fieldErrors: {} } });
    // the draft form says so before anyone fills it in
    expect((await loadProposalFor(f.grantee, d.id)).ineligible).toEqual([kindRefusal]);

    const refused = await submit(f.grantee, d.id, d.version);
    expect(refused).toMatchObject({ ok: false, problem: { status: 400, formErrors: [kindRefusal] } });
    expect(await db().proposal.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "DRAFT", referenceNo: null });

    await db().round.update({ where: { id: round.id }, data: { eligibleOrgKinds: ["RESIDENT_TEAM"] } });
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: true });
  });

  it("registered in the round's area: an organization of another tree is refused; one inside it is accepted", async () => {
    const f = await fundedProject();
    const round = await openRound(f, { orgInRoundArea: true });
    const d = await completeDraft(f, round.code);
    const elsewhere = await makeAreaTree(1);
    await db().organization.update({ where: { id: f.organizations[0]!.id }, data: { areaId: elsewhere.communities[0]!.id } });
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: false, problem: { formErrors: ["eligibility.area"] } });
    await db().organization.update({ where: { id: f.organizations[0]!.id }, data: { areaId: f.community2.id } });
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: true });
  });

  it("unfinished projects: holding the maximum refuses; once the project is closed the organization may apply", async () => {
    const f = await fundedProject();
    const round = await openRound(f, { maxOpenProjects: 2 });
    const d = await completeDraft(f, round.code);
    expect((await applyPage(f.grantee, round.code)).organizations.find((o) => o.id === f.organizations[0]!.id)?.ineligible).toEqual([]);
    await db().round.update({ where: { id: round.id }, data: { maxOpenProjects: 1 } });
    const refusal = withParams("eligibility.openProjects", { max: 1, open: 1 });
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: false, problem: { formErrors: [refusal] } });
    await db().project.update({ where: { id: f.project.id }, data: { status: "CLOSED" } });
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: true });
  });

  it("overdue or failed projects: an open overdue alert refuses, naming the project; a resolved one does not", async () => {
    const f = await fundedProject();
    const round = await openRound(f, { refuseTroubledOrgs: true });
    const d = await completeDraft(f, round.code);
    const alert = await db().projectAlert.create({
      data: { projectId: f.project.id, kind: "OVERDUE", key: `OVERDUE:${f.project.milestones[0]!.id}`, subjectId: f.project.milestones[0]!.id, params: {} },
    });
    const refusal = withParams("eligibility.troubled", { projects: f.project.referenceNo });
    expect((await loadProposalFor(f.grantee, d.id)).ineligible).toEqual([refusal]);
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: false, problem: { formErrors: [refusal] } });
    await db().projectAlert.update({ where: { id: alert.id }, data: { resolvedAt: new Date() } });
    expect((await loadProposalFor(f.grantee, d.id)).ineligible).toEqual([]);
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: true });
  });

  it("every failed rule is named at once", async () => {
    const f = await fundedProject();
    const round = await openRound(f);
    const d = await completeDraft(f, round.code);
    await db().round.update({ where: { id: round.id }, data: { eligibleOrgKinds: ["SOCIAL_ORGANIZATION"], maxOpenProjects: 1 } });
    const r = await submit(f.grantee, d.id, d.version);
    if (r.ok) throw new Error("should be refused");
    expect(r.problem.formErrors.map((m) => m.split("|")[0])).toEqual(["eligibility.kind", "eligibility.openProjects"]);
  });
});

describe("caps per budget category at submission", () => {
  it("refuses a category above its percent or amount cap, naming the category in both languages; accepts it within", async () => {
    const f = await fundedProject();
    // the draft's total is ¥8,000: venue ¥2,000 = 25 %
    const round = await openRound(f, { budgetCaps: [{ category: "VENUE", percent: 20 }, { category: "MATERIALS", maxFen: 450_000 }] });
    const d = await completeDraft(f, round.code);
    const r = await submit(f.grantee, d.id, d.version);
    expect(r).toMatchObject({ ok: false, problem: { status: 400 } });
    if (r.ok) return;
    expect(r.problem.fieldErrors.budgetLines).toEqual([
      withParams("proposal.problem.budgetCapPercent", { categoryZh: "场地租赁费", categoryEn: "Venue rental", amount: "¥2,000.00", share: 25, cap: 20 }),
      withParams("proposal.problem.budgetCapAmount", { categoryZh: "物资材料费", categoryEn: "Materials and supplies", amount: "¥5,000.00", max: "¥4,500.00" }),
    ]);
    await db().round.update({ where: { id: round.id }, data: { budgetCaps: [{ category: "VENUE", percent: 25 }, { category: "MATERIALS", maxFen: 500_000 }] } });
    expect(await submit(f.grantee, d.id, d.version)).toMatchObject({ ok: true });
  });
});

describe("the apply page lists the round's eligibility rules and caps", () => {
  it("shows what the round requires", async () => {
    const f = await fundedProject();
    const round = await openRound(f, { orgInRoundArea: true, refuseTroubledOrgs: true, maxOpenProjects: 3, budgetCaps: [{ category: "VENUE", percent: 20 }] });
    const someone = await person([], { name: "访客" });
    const page = await applyPage(someone, round.code);
    expect(page.round.eligibility).toEqual({ kinds: [], inRoundArea: true, maxOpenProjects: 3, refuseTroubled: true });
    expect(page.round.budgetCaps).toEqual([{ category: "VENUE", percent: 20 }]);
    expect(page.organizations).toEqual([]);
  });
});

describe("the forms show the rules in both languages", () => {
  it("the apply page names each failed rule and offers no start for an ineligible organization", async () => {
    const f = await fundedProject();
    const round = await openRound(f, { eligibleOrgKinds: ["SOCIAL_ORGANIZATION", "COMMUNITY_ORGANIZATION"], maxOpenProjects: 1, budgetCaps: [{ category: "VENUE", percent: 20 }] });
    const data = await applyPage(f.grantee, round.code);
    const zh = renderRoute(ApplyRoute as never, data, undefined, "zh-CN");
    expect(zh).toContain("本轮只接受以下类型的组织申报：社会组织、社区社会组织；本组织是居民团队。（规则：组织类型）");
    expect(zh).toContain("（规则：在建项目上限）");
    expect(zh).toContain("场地租赁费不超过申请总额的 20%");
    expect(zh).not.toContain("开始填写");
    const en = renderRoute(ApplyRoute as never, data, undefined, "en");
    expect(en).toContain("This round accepts only: Social organization, Community organization; this organization is a Resident team. (Rule: organization kind)");
    expect(en).toContain("Venue rental at most 20% of the amount requested");
    for (const html of [zh, en]) expect(html.match(/\b(?:eligibility|proposal|rounds)\.[a-zA-Z]+(?:\.[A-Za-z]+)*/)?.[0] ?? null).toBeNull();
  });

  it("the round settings form shows the eligibility rules and one cap row per budget category, labelled in both languages", () => {
    const values = { ...roundSettingsFields(), budgetCaps: budgetCapFormRows([{ category: "VENUE", percent: 20, maxFen: 200_000 }]), eligibleOrgKinds: ["RESIDENT_TEAM"], orgInRoundArea: "on" };
    for (const [locale, texts] of [
      ["zh-CN", ["可申报的组织类型", "须在本轮所属区域内登记", "在建项目上限（含本次申报）", "场地租赁费 上限（占申请总额 %）", "人员劳务费 金额上限（元）"]],
      ["en", ["Organization kinds that may apply", "Must be registered in this round", "Most unfinished projects at once", "Venue rental cap (% of the amount requested)", "Labour cap amount (yuan)"]],
    ] as const) {
      const html = renderToString(createElement(LocaleContext.Provider, { value: locale }, createElement(RoundSettingsFields, { formId: "r", values, errors: {} })));
      for (const text of texts) expect(html).toContain(text);
      expect(html.match(/\b(?:rounds|org)\.[a-zA-Z]+(?:\.[A-Za-z]+)*/)?.[0] ?? null).toBeNull();
      // the ticked kind and the stored caps are filled in; labour's percent is the labour cap
      expect(html).toMatch(/name="eligibleOrgKinds" checked="" value="RESIDENT_TEAM"/);
      expect(html).not.toMatch(/checked="" value="SOCIAL_ORGANIZATION"/);
      expect(html).toContain('name="budgetCaps[2].percent" value="20"');
      expect(html).toContain('name="labourCapPercent" value="30"');
    }
  });
});
