import type { Phase } from "~/domain/rounds";
import { campaignMoney } from "~/services/giving/foundation-pages.server";
import { homeStats } from "~/services/areas/areas.server";
import { db } from "~/lib/db.server";
import { publicMemo } from "~/lib/public-version.server";

/**
 * The home page's "what you can do now" blocks (docs/decisions/029-deadlines-and-first-impressions.md):
 * the round to apply to, needs to support, the latest funded projects and where to give. Each block
 * is one or two small indexed queries with a row limit; the page is an anonymous public page, so it
 * is cached with the public-data version like the others (ADR 020). All public data: rounds past
 * DRAFT, needs open for votes, funded projects (public from their award, ADR 010) and photos of
 * approved reports only, campaigns running now.
 */

export const HOME_NEEDS = 4;
export const HOME_PROJECTS = 3;

export type HomeRound = Awaited<ReturnType<typeof openRound>>;

/**
 * The round one can apply to now: the one accepting proposals whose deadline comes first; when
 * none does, the nearest one collecting needs (proposals open next). Null when neither exists.
 */
async function openRound(now: Date) {
  // PROPOSALS comes after NEEDS in the phase order: phase descending puts the accepting rounds first
  const r = await db().round.findFirst({
    where: { phase: { in: ["NEEDS", "PROPOSALS"] }, proposalsDeadline: { gt: now } },
    orderBy: [{ phase: "desc" }, { proposalsDeadline: "asc" }, { code: "asc" }],
    select: {
      code: true,
      title: true,
      titleEn: true,
      phase: true,
      poolFen: true,
      minAwardFen: true,
      maxAwardFen: true,
      proposalsStartsAt: true,
      proposalsDeadline: true,
      area: { select: { nameZh: true, nameEn: true } },
      foundation: { select: { slug: true, nameZh: true, nameEn: true } },
    },
  });
  if (!r) return null;
  return {
    code: r.code,
    title: r.title,
    titleEn: r.titleEn,
    phase: r.phase as Phase,
    accepting: r.phase === "PROPOSALS",
    poolFen: Number(r.poolFen),
    minAwardFen: r.minAwardFen,
    maxAwardFen: r.maxAwardFen,
    proposalsStartsAt: r.proposalsStartsAt.toISOString(),
    proposalsDeadline: r.proposalsDeadline.toISOString(),
    area: r.area,
    foundation: r.foundation,
  };
}

/** Needs still open for votes, most supported first (index Need(status, voteCount)). */
async function needsToSupport() {
  const rows = await db().need.findMany({
    where: { status: "OPEN" },
    orderBy: [{ voteCount: "desc" }, { number: "asc" }],
    take: HOME_NEEDS,
    select: { number: true, title: true, category: true, voteCount: true, area: { select: { nameZh: true, nameEn: true } } },
  });
  return rows.map((n) => ({ number: n.number, title: n.title, category: n.category, votes: n.voteCount, area: n.area }));
}

/**
 * The newest funded projects, each with the newest photo of its approved reports (its thumbnail
 * through the public photo route) or null: the page draws a placeholder.
 */
async function latestProjects() {
  const rows = await db().project.findMany({
    orderBy: [{ createdAt: "desc" }, { referenceNo: "asc" }],
    take: HOME_PROJECTS,
    select: {
      id: true,
      referenceNo: true,
      title: true,
      status: true,
      awardFen: true,
      organization: { select: { name: true } },
      community: { select: { nameZh: true, nameEn: true } },
    },
  });
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  // one photo per project: DISTINCT ON over the approved reports of these few projects
  // (MilestoneReport(projectId, status), ReportFile(reportId))
  const photos = await db().$queryRaw<{ projectId: string; fileId: string }[]>`
    SELECT DISTINCT ON (r."projectId") r."projectId", f.id AS "fileId"
      FROM "MilestoneReport" r
      JOIN "ReportFile" f ON f."reportId" = r.id
     WHERE r."projectId" = ANY(${ids}::text[]) AND r.status = 'APPROVED' AND f.kind = 'PHOTO'
     ORDER BY r."projectId", f."createdAt" DESC, f.id`;
  const photoOf = new Map(photos.map((p) => [p.projectId, p.fileId]));
  return rows.map((r) => {
    const fileId = photoOf.get(r.id);
    return {
      referenceNo: r.referenceNo,
      title: r.title,
      status: r.status,
      awardFen: r.awardFen,
      organization: r.organization.name,
      community: r.community,
      photo: fileId ? `/projects/${encodeURIComponent(r.referenceNo)}/photos/${encodeURIComponent(fileId)}?thumb=1` : null,
    };
  });
}

/**
 * Where to give: the matching campaign running now that ends first, with its progress (its pool's
 * and gifts' running totals, campaignMoney); without one, the open round's foundation.
 */
async function givingNow(now: Date) {
  const c = await db().matchingCampaign.findFirst({
    where: { startsAt: { lte: now }, endsAt: { gt: now }, closedAt: null },
    orderBy: [{ endsAt: "asc" }, { slug: "asc" }],
    select: {
      id: true,
      slug: true,
      titleZh: true,
      titleEn: true,
      sponsorName: true,
      ratioSponsor: true,
      ratioDonor: true,
      endsAt: true,
      foundation: { select: { slug: true, nameZh: true, nameEn: true } },
    },
  });
  if (!c) return null;
  const money = (await campaignMoney([c.id])).get(c.id)!;
  return {
    slug: c.slug,
    nameZh: c.titleZh,
    nameEn: c.titleEn,
    sponsorName: c.sponsorName,
    ratio: `${c.ratioSponsor}:${c.ratioDonor}`,
    endsAt: c.endsAt.toISOString(),
    foundation: c.foundation,
    raisedFen: money.raisedFen,
    fundedFen: money.fundedFen,
    matchedFen: money.matchedFen,
    remainingFen: money.remainingFen,
  };
}

/**
 * When the campaign block stops being right without any data change: the chosen campaign ends,
 * or another one starts (it could end first). Null: no campaign starts later.
 */
async function nextCampaignStart(now: Date): Promise<Date | null> {
  const next = await db().matchingCampaign.findFirst({
    where: { startsAt: { gt: now }, closedAt: null },
    orderBy: { startsAt: "asc" },
    select: { startsAt: true },
  });
  return next?.startsAt ?? null;
}

/**
 * The blocks as of `now`, and until when they stay right while the data does not change (ms since
 * the epoch): the chosen round leaves the list at its deadline (rounds only ever leave it with
 * time: one enters by a change of phase, which is a data change), the chosen campaign at its end,
 * and a campaign starting may take its place.
 */
async function readHomeBlocks(now: Date) {
  const [round, needs, projects, campaign, nextStart] = await Promise.all([openRound(now), needsToSupport(), latestProjects(), givingNow(now), nextCampaignStart(now)]);
  const until = Math.min(
    round ? Date.parse(round.proposalsDeadline) : Infinity,
    campaign ? Date.parse(campaign.endsAt) : Infinity,
    nextStart ? nextStart.getTime() : Infinity,
  );
  return { blocks: { round, needs, projects, campaign }, until };
}

/** The home page's blocks, read together; `now` is when the page was rendered (the countdown starts from it). */
export async function homeBlocks(now = new Date()) {
  const { blocks } = await readHomeBlocks(now);
  return { now: now.toISOString(), ...blocks };
}

/**
 * Everything the home page shows from the database (the district's counts and the blocks), kept in
 * this process per public-data version (docs/decisions/020-public-page-cache.md): while nothing
 * public changed and no deadline, campaign end or campaign start has passed, a render asks the
 * database nothing but the version. `now` is the request's own: the countdown starts from it.
 */
const homeMemo = publicMemo(async (now) => {
  const [stats, { blocks, until }] = await Promise.all([homeStats(), readHomeBlocks(now)]);
  return { value: { ...stats, ...blocks }, until };
});

export async function homePageData(version: string, now = new Date()) {
  return { ...(await homeMemo.get(version, now)), now: now.toISOString() };
}

/** Forgets the kept home page data (tests). */
export const forgetHomePageData = () => homeMemo.clear();
