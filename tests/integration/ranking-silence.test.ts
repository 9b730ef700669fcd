import { describe, expect, it } from "vitest";
import { day } from "../support/actors";
import { db } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { RANKING_RULES_VERSION } from "~/domain/org-ranking";
import { dashboard } from "~/services/areas/dashboard.server";

/**
 * The quarterly ranking does not reward silence (domain/org-ranking.ts): an organization that did
 * not report is scored as worst on the measures it feeds and ranked, one from which nothing was
 * due yet is left out with that reason, and the banner names exactly three by the stated order.
 */
const NOW = new Date("2026-11-30T10:00:00+08:00");
const QUARTER = "2026-Q4";

type Fixture = Awaited<ReturnType<typeof fundedProject>>;
type Project = Fixture["projects"][number];

/** A project that reports as it should: countersigned recently, its milestones due next year. */
async function punctual(p: Project, countersignedOn = "2026-11-20") {
  await db().project.update({ where: { id: p.id }, data: { countersignedAt: day(countersignedOn) } });
  for (const [i, m] of p.milestones.entries()) await db().projectMilestone.update({ where: { id: m.id }, data: { dueOn: day(`2027-0${i + 3}-15`) } });
}

/** Expenses decided in 2026-Q4: `approvedFen` approved in a budget line, `returnedFen` returned. */
async function expenses(f: Fixture, p: Project, approvedFen: number, returnedFen: number) {
  const base = { projectId: p.id, spentOn: day("2026-11-01"), payee: "超市", submittedById: f.grantee.id, decidedAt: day("2026-11-05") };
  if (approvedFen) await db().expense.create({ data: { ...base, amountFen: approvedFen, budgetLineId: p.budgetLines[0]!.id, status: "APPROVED" } });
  if (returnedFen) await db().expense.create({ data: { ...base, amountFen: returnedFen, budgetLineId: p.budgetLines[0]!.id, status: "RETURNED" } });
}

const orgOf = async (p: Project) => (await db().project.findUniqueOrThrow({ where: { id: p.id }, select: { organizationId: true } })).organizationId;

describe("the quarterly ranking does not reward silence", () => {
  it("ranks last and flags an organization with overdue milestones and no reports; leaves out one from which nothing was due yet", async () => {
    const f = await fundedProject({ count: 6 });
    const [p1, p2, p3, p4, silent, fresh] = f.projects as [Project, Project, Project, Project, Project, Project];
    // four organizations that report, with spending compliance 100 / 80 / 60 / 40
    for (const [p, share] of [[p1, 100], [p2, 80], [p3, 60], [p4, 40]] as const) {
      await punctual(p);
      await expenses(f, p, share * 100, (100 - share) * 100);
    }
    // countersigned in June, milestones due 07-15 and 09-30: never reported anything
    await db().project.update({ where: { id: silent.id }, data: { countersignedAt: day("2026-06-01") } });
    // countersigned this week, nothing due before next year
    await punctual(fresh, "2026-11-27");

    const view = await dashboard(f.official, { quarter: QUARTER }, NOW);
    const silentOrg = await orgOf(silent);
    const freshOrg = await orgOf(fresh);
    const ranked = view.ranking.filter((r) => r.rank !== null);
    expect(ranked).toHaveLength(5);
    const last = ranked[ranked.length - 1]!;
    expect(last).toMatchObject({
      organizationId: silentOrg,
      rank: 5,
      combined: 0,
      flagged: true,
      missing: ["timeliness", "compliance", "satisfaction"],
      overdueMilestones: 2,
      silentProjects: 1,
      unranked: null,
    });
    expect(last.components).toEqual({ timeliness: 0, compliance: 0, satisfaction: 0, evaluation: null });
    expect(view.ranking.find((r) => r.organizationId === freshOrg)).toMatchObject({ rank: null, combined: null, flagged: false, missing: [], unranked: "nothing-due" });
    expect(view.flagged).toHaveLength(3);
    expect(view.flagged[2]).toBe(last.name);
    expect(ranked.filter((r) => r.flagged).map((r) => r.organizationId)).toEqual([await orgOf(p3), await orgOf(p4), silentOrg]);
  });

  it("names exactly three of four organizations tied at the bottom: more overdue milestones lower, then the name in pinyin order", async () => {
    const f = await fundedProject({ count: 5 });
    const [top, ...tied] = f.projects as [Project, Project, Project, Project, Project];
    await punctual(top);
    await expenses(f, top, 10_000, 0);
    const names = ["甲", "乙", "丙", "丁"]; // pinyin: 丙 bing, 丁 ding, 甲 jia, 乙 yi
    for (const [i, p] of tied.entries()) {
      await punctual(p);
      await expenses(f, p, 0, 10_000);
      await db().organization.update({ where: { id: await orgOf(p) }, data: { name: `${names[i]}-${f.round.id}` } });
    }
    // 丙 has a milestone overdue since 2026-10-15, without a report: placed below the others tied at 0
    await db().projectMilestone.update({ where: { id: tied[2]!.milestones[0]!.id }, data: { dueOn: day("2026-10-15") } });

    const view = await dashboard(f.official, { quarter: QUARTER }, NOW);
    const bottom = view.ranking.slice(1);
    expect(bottom.map((r) => [r.name.slice(0, 1), r.rank, r.combined])).toEqual([
      ["丁", 2, 0],
      ["甲", 2, 0],
      ["乙", 2, 0],
      ["丙", 2, 0],
    ]);
    expect(view.flagged.map((n) => n.slice(0, 1))).toEqual(["甲", "乙", "丙"]);
    expect(bottom[3]).toMatchObject({ overdueMilestones: 1, missing: ["satisfaction"] });
  });

  it("recomputes on the next view a ranking stored under the earlier rules", async () => {
    const f = await fundedProject({ count: 1 });
    const [p] = f.projects as [Project];
    await db().project.update({ where: { id: p.id }, data: { countersignedAt: day("2026-06-01") } });
    const first = await dashboard(f.official, { quarter: QUARTER }, NOW);
    const key = { areaId_quarter: { areaId: f.root.id, quarter: QUARTER } };
    expect((await db().orgRanking.findUniqueOrThrow({ where: key })).rulesVersion).toBe(RANKING_RULES_VERSION);
    expect(first.ranking[0]).toMatchObject({ rank: 1, combined: 0 });
    // as stored before this rule: the silent organization as "no data", rules version 1
    const old = [{ ...first.ranking[0], components: { timeliness: null, compliance: null, satisfaction: null, evaluation: null }, combined: null, rank: null }];
    await db().orgRanking.update({ where: key, data: { rulesVersion: 1, rows: old } });
    const again = await dashboard(f.official, { quarter: QUARTER }, NOW);
    expect(again.ranking[0]).toMatchObject({ rank: 1, combined: 0 });
    expect((await db().orgRanking.findUniqueOrThrow({ where: key })).rulesVersion).toBe(RANKING_RULES_VERSION);
  });
});
