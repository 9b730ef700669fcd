import { afterAll, describe, expect, it } from "vitest";
import { db, makeUser, uid } from "../support/db";
import { rejectsWithStatus } from "../support/actors";
import { reviewRound } from "../support/review-fixture";
import { fundedProject } from "../support/project-fixture";
import { givingFoundation, givingCampaign } from "../support/giving-fixture";
import { forgetHomePageData, homeBlocks, homePageData, HOME_NEEDS } from "~/services/public/home.server";
import { readPublicDataVersion } from "~/lib/public-version.server";
import * as homeRoute from "~/routes/home";
import { publicNoticePage } from "~/services/awards/awards.server";
import * as needRoute from "~/routes/needs.$number";
import * as needsRoute from "~/routes/needs";
import { renderRoute } from "../support/render-route";
import { proposalsRound } from "../support/proposal-setting";
import type { ComponentType } from "react";

const day = (d: string) => new Date(`${d}T00:00:00+08:00`);
const needIds: string[] = [];

afterAll(async () => {
  await db().need.deleteMany({ where: { id: { in: needIds } } });
});

/** A round of the fixture moved to far-future dates, so that no other round of this database comes before it. */
async function futureRound(phase: "NEEDS" | "PROPOSALS", deadline: string, titleEn: string | null = null) {
  const f = await reviewRound({ phase, proposals: 0, judges: 0 });
  await db().round.update({
    where: { id: f.round.id },
    data: { titleEn, needsStartsAt: day("2090-01-01"), proposalsStartsAt: day("2090-02-01"), proposalsDeadline: day(deadline) },
  });
  return f;
}

describe("home page blocks", () => {
  it("shows the round accepting proposals whose deadline comes first, before one still collecting needs", async () => {
    const collecting = await futureRound("NEEDS", "2090-03-01");
    const accepting = await futureRound("PROPOSALS", "2090-03-05", "Far-future round");
    const later = await futureRound("PROPOSALS", "2090-04-01");
    // however many rounds still collecting needs close before it
    for (let i = 0; i < 6; i++) {
      await proposalsRound({ areaId: collecting.round.areaId, foundationId: collecting.foundation.id, prefix: "H", columns: { phase: "NEEDS", needsStartsAt: day("2090-01-01"), proposalsStartsAt: day("2090-02-01"), proposalsDeadline: day("2090-03-02") } });
    }
    const { round } = await homeBlocks(day("2090-02-10"));
    expect(round).toMatchObject({ code: accepting.round.code, titleEn: "Far-future round", accepting: true, proposalsDeadline: day("2090-03-05").toISOString() });
    expect(round!.foundation.slug).toBe(accepting.foundation.slug);
    // without a round accepting proposals, the nearest one collecting needs
    await db().round.update({ where: { id: accepting.round.id }, data: { phase: "SCREENING" } });
    expect((await homeBlocks(day("2090-02-10"))).round).toMatchObject({ code: later.round.code, accepting: true });
    await db().round.update({ where: { id: later.round.id }, data: { phase: "SCREENING" } });
    expect((await homeBlocks(day("2090-02-10"))).round).toMatchObject({ code: collecting.round.code, accepting: false, phase: "NEEDS" });
    // rounds whose deadline has passed, and drafts, are never shown
    expect((await homeBlocks(day("2099-01-01"))).round).toBeNull();
    // leave no far-future round open for other files of this database
    await db().round.updateMany({ where: { id: { in: [collecting.round.id, accepting.round.id, later.round.id] } }, data: { phase: "CLOSED" } });
  });

  it("lists the most supported open needs, at most a few", async () => {
    const f = await reviewRound({ phase: "NEEDS", proposals: 0, judges: 0 });
    const author = await makeUser();
    const make = async (title: string, voteCount: number, status: "OPEN" | "REJECTED" = "OPEN") => {
      const n = await db().need.create({ data: { areaId: f.communities[0]!.id, authorId: author.id, title, description: "说明说明说明说明", category: "PUBLIC_SERVICE", status, voteCount } });
      needIds.push(n.id);
      return n;
    };
    const tag = uid();
    const top = await make(`最受支持 ${tag}`, 9_000_001);
    const second = await make(`第二 ${tag}`, 9_000_000);
    await make(`已驳回 ${tag}`, 9_999_999, "REJECTED");
    const { needs } = await homeBlocks();
    expect(needs.length).toBeLessThanOrEqual(HOME_NEEDS);
    expect(needs.slice(0, 2)).toEqual([
      expect.objectContaining({ number: top.number, votes: 9_000_001, title: top.title }),
      expect.objectContaining({ number: second.number, votes: 9_000_000 }),
    ]);
    expect(needs.some((n) => n.title.startsWith("已驳回"))).toBe(false);
  });

  it("shows the newest funded projects, with a photo of an approved report or none", async () => {
    const f = await fundedProject({ count: 2 });
    const [withPhoto, without] = f.projects;
    const upload = await db().upload.create({ data: { storageKey: `test/${uid()}`, originalName: "a.jpg", mimeType: "image/jpeg", sizeBytes: 1, sha256: uid() } });
    const report = (status: "APPROVED" | "SUBMITTED", projectId: string, milestoneId: string) =>
      db().milestoneReport.create({ data: { projectId, milestoneId, status, authorId: f.grantee.id, files: { create: { kind: "PHOTO", uploadId: upload.id } } }, include: { files: true } });
    const approved = await report("APPROVED", withPhoto!.id, withPhoto!.milestones[0]!.id);
    // a photo of a report not approved is not public
    await report("SUBMITTED", without!.id, without!.milestones[0]!.id);
    const { projects } = await homeBlocks();
    const shown = new Map(projects.map((p) => [p.referenceNo, p]));
    expect(shown.get(withPhoto!.referenceNo)?.photo).toBe(`/projects/${withPhoto!.referenceNo}/photos/${approved.files[0]!.id}?thumb=1`);
    expect(shown.get(without!.referenceNo)).toMatchObject({ photo: null, awardFen: without!.awardFen });
    // the stand-in upload has no stored file: leave nothing that points at it
    await db().milestoneReport.deleteMany({ where: { projectId: { in: [withPhoto!.id, without!.id] } } });
    await db().upload.delete({ where: { id: upload.id } });
  });

  it("offers the matching campaign running now that ends first, with its progress", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "500", days: 0.02 });
    const { campaign: shown } = await homeBlocks();
    expect(shown).toMatchObject({ slug: campaign.slug, nameEn: "Matching test", fundedFen: 50_000, matchedFen: 0, foundation: { slug: f.foundation.slug } });
  });
});

describe("home page data kept per public-data version", () => {
  it("is read once per version: a public change moves the version and the page shows it", async () => {
    forgetHomePageData();
    const f = await reviewRound({ phase: "NEEDS", proposals: 0, judges: 0 });
    const author = await makeUser();
    const need = await db().need.create({ data: { areaId: f.communities[0]!.id, authorId: author.id, title: `置顶 ${uid()}`, description: "说明说明说明说明", category: "PUBLIC_SERVICE", status: "OPEN", voteCount: 2_000_000_000 } });
    needIds.push(need.id);
    const before = await readPublicDataVersion();
    const first = await homePageData(before);
    expect(first.needs[0]).toMatchObject({ number: need.number, title: need.title });
    // the same version: the kept data, without asking the database again
    const renamed = `改名 ${uid()}`;
    await db().need.update({ where: { id: need.id }, data: { title: renamed } });
    expect((await homePageData(before)).needs[0]!.title).toBe(need.title);
    // the update moved the version: read again
    const after = await readPublicDataVersion();
    expect(after).not.toBe(before);
    expect((await homePageData(after)).needs[0]!.title).toBe(renamed);
    // the route's loader reads the version itself when the public-page cache did not (a signed-in visitor)
    const page = await homeRoute.loader({ request: new Request("http://localhost:3000/"), params: {}, context: {} } as never);
    expect(page.needs[0]!.title).toBe(renamed);
    await db().need.update({ where: { id: need.id }, data: { status: "REJECTED" } });
  });

  it("is read again once the round it shows reaches its deadline, and counts down from each request's own time", async () => {
    forgetHomePageData();
    const accepting = await futureRound("PROPOSALS", "2091-03-05");
    const later = await futureRound("PROPOSALS", "2091-04-01");
    const version = await readPublicDataVersion();
    const early = await homePageData(version, day("2091-02-10"));
    expect(early).toMatchObject({ round: { code: accepting.round.code }, now: day("2091-02-10").toISOString() });
    const stillKept = await homePageData(version, day("2091-03-01"));
    expect(stillKept).toMatchObject({ round: { code: accepting.round.code }, now: day("2091-03-01").toISOString() });
    // past the shown round's deadline, with no data change: the next round
    expect((await homePageData(version, day("2091-03-06"))).round).toMatchObject({ code: later.round.code });
    await db().round.updateMany({ where: { id: { in: [accepting.round.id, later.round.id] } }, data: { phase: "CLOSED" } });
  });
});

describe("the notice page before the notice opens", () => {
  it("says when the notice is planned to open instead of answering 404", async () => {
    const f = await reviewRound({ phase: "REVIEW", proposals: 0, judges: 0, round: { titleEn: "Review round" } });
    const page = await publicNoticePage(f.round.code);
    expect(page.notice).toBeNull();
    expect(page.pending).toMatchObject({ code: f.round.code, titleEn: "Review round", phase: "REVIEW", noticeStartsAt: f.round.noticeStartsAt.toISOString() });
  });

  it("still answers 404 for an unknown code and for a draft", async () => {
    await rejectsWithStatus(publicNoticePage(`NO${uid().toUpperCase()}`), 404);
    const draft = await reviewRound({ phase: "DRAFT", proposals: 0, judges: 0 });
    await rejectsWithStatus(publicNoticePage(draft.round.code), 404);
  });
});

describe("English round titles beyond the round's own pages", () => {
  it("a need's page and the round's topic list name the round by its English title in English, by its Chinese title in Chinese", async () => {
    const f = await futureRound("NEEDS", "2090-03-01", `Topics round ${uid()}`);
    const author = await makeUser();
    const need = await db().need.create({ data: { areaId: f.communities[0]!.id, authorId: author.id, title: `议题 ${uid()}`, description: "说明说明说明说明", category: "PUBLIC_SERVICE", status: "PUBLISHED", roundId: f.round.id } });
    needIds.push(need.id);
    const round = await db().round.findUniqueOrThrow({ where: { id: f.round.id }, select: { title: true, titleEn: true, code: true } });
    const args = (url: string, params: Record<string, string> = {}) => ({ request: new Request(url), params, context: {} }) as never;
    const page = await needRoute.loader(args(`http://localhost:3000/needs/${need.number}`, { number: String(need.number) }));
    const html = renderRoute(needRoute.default as ComponentType<never>, page, undefined, "en");
    expect(html).toContain(round.titleEn!);
    expect(renderRoute(needRoute.default as ComponentType<never>, page)).toContain(round.title);
    const list = await needsRoute.loader(args(`http://localhost:3000/needs?round=${round.code}`));
    const en = renderRoute(needsRoute.default as ComponentType<never>, list, undefined, "en");
    expect(en).toContain(round.titleEn!);
    expect(en).not.toContain(round.title);
  });
});
