import { quarterOf, previousQuarter, type OrgRankingRow, type Quarter, type Weights } from "~/domain/org-ranking";
import { pageOf } from "~/domain/money";
import { bottomNamed, checkNoticeRequest, rankingProblem } from "~/domain/ranking-notice";
import { noticeHash } from "~/domain/ranking-notice-hash";
import type { Actor } from "~/services/accounts/actor.server";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { dashboardArea } from "./access.server";
import { rankingFor } from "./ranking.server";

/**
 * Published quarterly rankings (通报; RankingNotice, docs/decisions/021): an official of the area
 * publishes the final ranking of a closed quarter — as stored, recomputed first if it was computed
 * before the quarter ended or under other weights — with a note. The notice is public at once
 * and never changes; publishing the same quarter again is a correction, the next version.
 */

export const NOTICES_PER_PAGE = 20;

/** An official of the area publishes its ranking of a closed quarter. 403/404 as the dashboard. */
export async function publishRankingNotice(
  viewer: Pick<Actor, "id" | "grants">,
  input: { area: string; quarter: string; note: string },
  now: Date = new Date(),
): Promise<Result<{ number: number; version: number }>> {
  const area = await dashboardArea(viewer, input.area);
  return publishNotice(area, input.quarter, input.note, viewer.id, now);
}

/**
 * Publishes the area's ranking of `quarter` as `publisherId` (already authorized: the official's
 * action above, or the demo seed): checked, the ranking in force read, the next version stored
 * with its fingerprint, audited — in one transaction.
 */
export async function publishNotice(
  area: { id: string; code: string; path: string },
  quarter: string,
  note: string,
  publisherId: string,
  now: Date = new Date(),
): Promise<Result<{ number: number; version: number }>> {
  const checked = checkNoticeRequest({ quarter, now, note });
  if (!checked.ok) return fail(400, checked.problem);
  // the ranking in force: rankingFor recomputes (and stores) one that is out of date
  const ranking = await rankingFor(area, checked.quarter, now);
  const problem = rankingProblem(checked.quarter, { rows: ranking.rows, asOf: new Date(ranking.asOf) });
  if (problem) return fail(400, problem);
  const published = await db().$transaction(async (tx) => {
    // one publisher of an area × quarter at a time: versions follow each other without gaps
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ranking-notice:${area.id}:${checked.quarter}`}))`;
    const last = await tx.rankingNotice.findFirst({ where: { areaId: area.id, quarter: checked.quarter }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    const publishedAt = now;
    const asOf = new Date(ranking.asOf);
    const contentHash = noticeHash({ area: area.code, quarter: checked.quarter, version, weights: ranking.weights, rows: ranking.rows, asOf, note: checked.note, publishedAt });
    const notice = await tx.rankingNotice.create({
      data: {
        areaId: area.id,
        quarter: checked.quarter,
        version,
        weights: ranking.weights,
        rows: ranking.rows as unknown as object[],
        asOf,
        note: checked.note,
        contentHash,
        publishedById: publisherId,
        publishedAt,
      },
      select: { id: true, number: true },
    });
    await audit(tx, {
      actorId: publisherId,
      action: "area.rankingNoticePublish",
      objectType: "RankingNotice",
      objectId: notice.id,
      before: null,
      after: { area: area.code, quarter: checked.quarter, version, number: notice.number, contentHash, bottom: bottomNamed(ranking.rows), organizations: ranking.rows.length },
      at: publishedAt,
    });
    return { number: notice.number, version };
  });
  return ok(published);
}

/** The quarters an official may publish from the dashboard: the last closed one first, then the three before. */
export function publishableQuarters(now: Date = new Date()): Quarter[] {
  const out: Quarter[] = [];
  let q = previousQuarter(quarterOf(now));
  for (let i = 0; i < 4; i++, q = previousQuarter(q)) out.push(q);
  return out;
}

/** The notices published for an area, newest first, numbered pages; 404 for an unknown area. */
export async function areaRankingNotices(code: string, requestedPage: unknown) {
  const area = await db().area.findUnique({ where: { code }, select: { id: true, code: true, nameZh: true, nameEn: true } });
  if (!area) notFound();
  const total = await db().rankingNotice.count({ where: { areaId: area.id } });
  const page = pageOf(requestedPage, total, NOTICES_PER_PAGE);
  // the names of the flagged rows in ranking order (as bottomNamed), read out of each stored
  // ranking in SQL: a notice's rows hold every organisation of the area, the list needs three names
  const notices = await db().$queryRaw<{ number: number; quarter: string; version: number; publishedAt: Date; bottom: string[] }[]>`
    SELECT n.number, n.quarter, n.version, n."publishedAt",
           coalesce((SELECT array_agg(r.value->>'name' ORDER BY r.i)
                       FROM jsonb_array_elements(n.rows) WITH ORDINALITY AS r(value, i)
                      WHERE (r.value->>'flagged')::boolean), '{}') AS bottom
      FROM "RankingNotice" n
     WHERE n."areaId" = ${area.id}
     ORDER BY n."publishedAt" DESC, n.number DESC
     OFFSET ${page.skip} LIMIT ${page.take}`;
  return {
    area,
    total,
    page: page.page,
    pages: page.pages,
    notices: notices.map((n) => ({ number: n.number, quarter: n.quarter, version: n.version, publishedAt: n.publishedAt.toISOString(), bottom: n.bottom })),
  };
}

/** One published notice as the public reads it; 404 when there is none of that number. */
export async function rankingNotice(number: number) {
  if (!Number.isSafeInteger(number) || number < 1) notFound();
  const n = await db().rankingNotice.findUnique({
    where: { number },
    select: {
      number: true,
      quarter: true,
      version: true,
      weights: true,
      rows: true,
      asOf: true,
      note: true,
      contentHash: true,
      publishedAt: true,
      area: { select: { code: true, nameZh: true, nameEn: true } },
    },
  });
  if (!n) notFound();
  const later = await db().rankingNotice.findFirst({
    where: { area: { code: n.area.code }, quarter: n.quarter, version: { gt: n.version } },
    orderBy: { version: "desc" },
    select: { number: true, version: true },
  });
  const rows = n.rows as unknown as OrgRankingRow[];
  return {
    number: n.number,
    quarter: n.quarter,
    version: n.version,
    weights: n.weights as unknown as Weights,
    rows,
    bottom: bottomNamed(rows),
    asOf: n.asOf.toISOString(),
    note: n.note,
    contentHash: n.contentHash,
    publishedAt: n.publishedAt.toISOString(),
    // the notice is the area's: the official who published it is in the audit log, not on the public page
    area: n.area,
    /** the latest correction of this notice, when there is one */
    correctedBy: later,
  };
}
