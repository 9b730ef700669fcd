import { describe, expect, it } from "vitest";
import type { WorkKind } from "~/domain/work";
import { layoutData } from "~/services/accounts/layout.server";
import { myWork, pendingTotal } from "~/services/accounts/work.server";
import { prepareRelease } from "~/services/projects/projects.server";
import { judgeQueue } from "~/services/review/scoring.server";
import * as meRoute from "~/routes/me";
import { day, person } from "../support/actors";
import { db, uid } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { signedInRequest } from "../support/requests";
import { assignAll, reviewRound, submitSheet } from "../support/review-fixture";

type Actor = Parameters<typeof myWork>[0];

const kindsOf = async (who: Actor) => Object.fromEntries((await myWork(who)).groups.map((g) => [g.kind, g]));
const idsOf = async (who: Actor, kind: WorkKind) => ((await kindsOf(who))[kind]?.items ?? []).map((i) => i.id);

describe("pending work of officials", () => {
  it("lists each kind waiting in the official's areas, oldest first, and none of it to another area's official", async () => {
    const f = await fundedProject({ count: 2 });
    const [p1, p2] = f.projects as [typeof f.project, typeof f.project];
    const old = new Date(Date.now() - 5 * 86_400_000);
    const report = await db().milestoneReport.create({
      data: { projectId: p1.id, milestoneId: p1.milestones[0]!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: old },
    });
    const newerReport = await db().milestoneReport.create({
      data: { projectId: p1.id, milestoneId: p1.milestones[1]!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: new Date() },
    });
    // a draft and an approved report are not waiting
    await db().milestoneReport.create({ data: { projectId: p1.id, milestoneId: p1.milestones[2]!.id, status: "DRAFT", authorId: f.grantee.id } });
    const expense = await db().expense.create({
      data: { projectId: p1.id, spentOn: day("2026-07-01"), payee: "菜市场", amountFen: 12_000, budgetLineId: p1.budgetLines[0]!.id, submittedById: f.grantee.id },
    });
    const adjustment = await db().budgetAdjustment.create({
      data: { projectId: p1.id, fromLineId: p1.budgetLines[0]!.id, toLineId: p1.budgetLines[2]!.id, amountFen: 10_000, reason: "印刷涨价", requestedById: f.grantee.id },
    });
    const award = await db().award.findFirstOrThrow({ where: { proposalId: p1.proposalId } });
    const objection = await db().objection.create({
      data: { roundId: f.round.id, awardId: award.id, proposalId: p1.proposalId, userId: f.nobody.id, reason: "预算偏高" },
    });
    await db().projectMilestone.updateMany({ where: { projectId: p2.id }, data: { status: "APPROVED", approvedAt: new Date() } });
    const alert = await db().projectAlert.create({ data: { projectId: p1.id, kind: "OVERDUE", key: `OVERDUE:${uid()}`, params: {} } });

    const work = await kindsOf(f.official);
    expect(work.reportsToReview).toMatchObject({ count: 2, more: 0, listHref: `/projects/${p1.referenceNo}/reports` });
    expect(work.reportsToReview!.items.map((i) => i.id)).toEqual([report.id, newerReport.id]);
    expect(work.reportsToReview!.items[0]!.href).toBe(`/projects/${p1.referenceNo}/reports/${report.id}`);
    expect(work.expensesToApprove!.items.map((i) => i.id)).toEqual([expense.id]);
    expect(work.adjustmentsToDecide!.items.map((i) => i.id)).toEqual([adjustment.id]);
    expect(work.objectionsOpen).toMatchObject({ count: 1, listHref: `/admin/rounds/${f.round.code}/objections` });
    expect(work.objectionsOpen!.items.map((i) => i.id)).toEqual([objection.id]);
    expect(work.evaluationsReady).toMatchObject({ count: 1, listHref: "/evaluations" });
    expect(work.evaluationsReady!.items.map((i) => i.ref)).toEqual([p2.referenceNo]);
    expect(work.alertsOpen!.items.map((i) => i.id)).toEqual([alert.id]);

    // the community official of project 1 sees its items, not the round's objections (the round is the subdistrict's)
    const community = await kindsOf(f.communityOfficial);
    expect(community.reportsToReview?.count).toBe(2);
    expect(community.objectionsOpen).toBeUndefined();
    expect(community.evaluationsReady).toBeUndefined();
    // the other community's official sees project 2 only; an official of another tree nothing
    const other = await kindsOf(f.otherCommunityOfficial);
    expect(Object.keys(other)).toEqual(["evaluationsReady"]);
    expect(await myWork(f.outsider)).toEqual({ groups: [], total: 0 });
    expect(await myWork(f.nobody)).toEqual({ groups: [], total: 0 });

    // the badge counts what /me lists
    const listed = await myWork(f.official);
    expect(listed.total).toBe(2 + 1 + 1 + 1 + 1 + 1);
    expect((await pendingTotal(f.official)).total).toBe(listed.total);
    expect((await pendingTotal(f.outsider)).total).toBe(0);
  });

  it("lists a prepared release for the second official, not for the one who prepared it (four eyes)", async () => {
    const f = await fundedProject();
    const first = f.project.tranches[0]!;
    expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: first.id, transferRef: "TR-2026-0001" })).toEqual({ ok: true });

    expect(await idsOf(f.official, "releasesToApprove")).toEqual([]);
    expect((await kindsOf(f.official2)).releasesToApprove).toMatchObject({ count: 1, listHref: "/admin/releases" });
    expect(await idsOf(f.official2, "releasesToApprove")).toEqual([first.id]);
    expect(await idsOf(f.outsider, "releasesToApprove")).toEqual([]);
    expect((await pendingTotal(f.official)).total).toBe(0);
    expect((await pendingTotal(f.official2)).total).toBe(1);
  });

  it("shows up to five per kind with how many more there are", async () => {
    const f = await fundedProject();
    for (let i = 0; i < 7; i++) {
      await db().expense.create({
        data: { projectId: f.project.id, spentOn: day("2026-07-01"), payee: `商户${i}`, amountFen: 1_000 + i, submittedById: f.grantee.id, createdAt: new Date(Date.now() - (10 - i) * 60_000) },
      });
    }
    const g = (await kindsOf(f.official)).expensesToApprove!;
    expect(g).toMatchObject({ count: 7, more: 2 });
    expect(g.items.map((i) => i.title)).toEqual([0, 1, 2, 3, 4].map((i) => `${f.project.title} · 商户${i}`));
    // the items lie in more than one page's reach: no single project page lists "all" of them when some are hidden
    expect(g.listHref).toBeNull();
  });
});

describe("pending work of judges", () => {
  it("counts the sheets not submitted on live assignments, as /judging shows them", async () => {
    const f = await reviewRound({ phase: "REVIEW", proposals: 3, judges: 2, round: { noticeStartsAt: day("2026-05-01") } });
    await assignAll(f);
    const [j1, j2] = f.judges as [(typeof f.judges)[number], (typeof f.judges)[number]];
    await submitSheet(f, f.proposals[0]!.id, j1.seat.id);
    // a draft sheet still waits
    const draftAssignment = await db().reviewAssignment.findFirstOrThrow({ where: { proposalId: f.proposals[1]!.id, roundJudgeId: j1.seat.id } });
    await db().scoreSheet.create({ data: { assignmentId: draftAssignment.id, roundId: f.round.id, proposalId: f.proposals[1]!.id, roundJudgeId: j1.seat.id } });
    // an ended assignment does not
    await db().reviewAssignment.updateMany({ where: { proposalId: f.proposals[2]!.id, roundJudgeId: j2.seat.id }, data: { endedAt: new Date(), endReason: "CONFLICT" } });

    for (const judge of [j1, j2]) {
      const queue = await judgeQueue(judge);
      const waiting = queue.reduce((n, s) => n + s.items.length - s.submitted, 0);
      const g = (await kindsOf(judge)).sheetsToScore!;
      expect(g.count).toBe(waiting);
      expect(g.listHref).toBe("/judging");
      expect(g.items[0]!.deadline).toBe(day("2026-05-01").toISOString());
      expect((await pendingTotal(judge)).total).toBe(waiting);
    }
    expect((await kindsOf(j1)).sheetsToScore!.items.map((i) => i.ref)).toEqual([f.proposals[1]!.referenceNo, f.proposals[2]!.referenceNo]);

    // once the round leaves review, no sheet waits
    await db().round.update({ where: { id: f.round.id }, data: { phase: "NOTICE" } });
    expect(await myWork(j1)).toEqual({ groups: [], total: 0 });
  });
});

describe("pending work of applicants", () => {
  it("lists drafts with what is missing and the deadline, and what officials returned", async () => {
    const f = await fundedProject();
    const open = await reviewRound({ phase: "PROPOSALS", proposals: 0, judges: 0, round: { proposalsDeadline: new Date(Date.now() + 10 * 86_400_000) } });
    const orgId = f.grantee.organizations[0]!.id;
    const draft = await db().proposal.create({ data: { roundId: open.round.id, organizationId: orgId, createdById: f.grantee.id, title: "长者助餐" } });
    // a draft in a round no longer taking proposals is not waiting
    await db().proposal.create({ data: { roundId: f.round.id, organizationId: orgId, createdById: f.grantee.id, title: "过期草稿" } });
    const report = await db().milestoneReport.create({
      data: { projectId: f.project.id, milestoneId: f.project.milestones[0]!.id, status: "RETURNED", authorId: f.grantee.id, submittedAt: new Date(), decidedAt: new Date(), comment: "缺照片" },
    });
    const expense = await db().expense.create({
      data: { projectId: f.project.id, spentOn: day("2026-07-01"), payee: "文印店", amountFen: 5_000, submittedById: f.grantee.id, status: "RETURNED", decidedAt: new Date() },
    });

    const work = await kindsOf(f.grantee);
    expect(work.draftsToSubmit).toMatchObject({ count: 1, listHref: "/proposals?status=DRAFT" });
    const item = work.draftsToSubmit!.items[0]!;
    expect(item).toMatchObject({ id: draft.id, title: "长者助餐", href: `/proposals/${draft.id}/edit`, deadline: open.round.proposalsDeadline.toISOString() });
    expect(item.missing).toContain("proposal.missing.summary");
    expect(item.missing).not.toContain("proposal.missing.title");
    expect(await idsOf(f.grantee, "reportsReturned")).toEqual([report.id]);
    expect(await idsOf(f.grantee, "expensesReturned")).toEqual([expense.id]);
    expect((await pendingTotal(f.grantee)).total).toBe(3);
    // officials do not get the applicant's returned items
    expect((await kindsOf(f.official)).reportsReturned).toBeUndefined();
  });
});

describe("pending work of foundation managers", () => {
  it("lists disputed and held gifts of the managed foundation only", async () => {
    const f = await reviewRound({ proposals: 0, judges: 0 });
    const other = await reviewRound({ proposals: 0, judges: 0 });
    const base = await person([], { name: "基金经理" });
    await db().roleGrant.create({ data: { userId: base.id, role: "FOUNDATION_MANAGER", areaId: f.root.id, foundationId: f.foundation.id } });
    const manager = { ...base, grants: [{ role: "FOUNDATION_MANAGER" as const, areaPath: f.root.path, areaLevel: f.root.level, foundationId: f.foundation.id }] };
    // gifts in these states without their ledger postings: taken out again at the end, since the
    // worker's database is shared with files that verify the whole ledger
    const created: string[] = [];
    const gift = async (foundationId: string, status: "DISPUTED" | "HELD" | "SUCCEEDED") => {
      const d = await db().donation.create({
        data: { ref: `G-${uid().toUpperCase()}`, token: uid() + uid(), foundationId, amountFen: 10_000, method: "card", email: "d@example.com", payment: {}, status },
      });
      created.push(d.id);
      return d;
    };
    try {
      const disputed = await gift(f.foundation.id, "DISPUTED");
      const held = await gift(f.foundation.id, "HELD");
      await gift(f.foundation.id, "SUCCEEDED");
      await gift(other.foundation.id, "DISPUTED");

      const work = await kindsOf(manager);
      expect(work.giftsDisputed).toMatchObject({ count: 1, listHref: `/admin/foundations/${f.foundation.slug}?status=DISPUTED` });
      expect(work.giftsDisputed!.items[0]).toMatchObject({ id: disputed.id, href: `/admin/foundations/${f.foundation.slug}/donations/${disputed.ref}` });
      expect(await idsOf(manager, "giftsHeld")).toEqual([held.id]);
      expect((await pendingTotal(manager)).total).toBe(2);
    } finally {
      await db().donation.deleteMany({ where: { id: { in: created } } });
    }
  });
});

describe("the page and the header", () => {
  it("/me carries the work list and the header the total; anonymous visitors get no count", async () => {
    const f = await fundedProject();
    await db().projectAlert.create({ data: { projectId: f.project.id, kind: "OVERDUE", key: `OVERDUE:${uid()}`, params: {} } });
    const me = await meRoute.loader({ request: await signedInRequest(f.official.id, "/me"), params: {}, context: {} } as never);
    expect(me.work.total).toBe(1);
    expect(me.work.groups.map((g) => g.kind)).toEqual(["alertsOpen"]);

    const layout = await layoutData(await signedInRequest(f.official.id, "/me"), "req-1");
    expect(layout.viewer?.pending).toBe(1);
    const empty = await layoutData(await signedInRequest(f.nobody.id, "/me"), "req-2");
    expect(empty.viewer?.pending).toBe(0);
    const anonymous = await layoutData(new Request("http://localhost:3000/"), "req-3");
    expect(anonymous.viewer).toBeNull();
  });
});
