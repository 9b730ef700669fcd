import { z } from "zod";
import {
  canVote,
  MergeSchema,
  escapeLike,
  mergeProblem,
  parentPath,
  NEED_AREA_LEVELS,
  NEED_PAGE_SIZES,
  NEED_PHOTO_MAX_BYTES,
  NEED_POST_LIMIT,
  PostNeedSchema,
  PublishSchema,
  publishProblem,
  ReasonSchema,
  rejectProblem,
  reopenProblem,
  searchPatterns,
  snippetOf,
  NEED_SNIPPET_READ,
  TOPIC_PHASES,
  type NamedArea,
  type NeedCard,
  type NeedListQuery,
  type NeedSort,
  type NeedRuling,
  type NeedStatus,
} from "~/domain/needs";
import { decodeCursor, numberedLinksOf, numberedPage, type Seek } from "~/domain/keyset";
import { withParams } from "~/domain/messages";
import { isWithin } from "~/domain/permissions";
import { deliberationProblem, HOLDING_STATUSES } from "~/domain/deliberation";
import { topicProblemOfWish, type WishStatus } from "~/domain/volunteers";
import { liveMatterOf, matterStatusesOf, mattersOfNeed } from "~/services/deliberation/deliberation.server";
import type { Actor } from "~/services/accounts/actor.server";
import { Prisma } from "~/generated/prisma/client";
import { type Client, db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { publicMemo } from "~/lib/public-version.server";
import { fail, fromIssues, invalid, ok, type Failed, type Result } from "~/lib/result";
import { hit, refund } from "~/lib/rate-limit.server";
import { audit } from "~/services/books/audit.server";
import { saveUpload, UploadError } from "~/lib/uploads.server";
import { curatedRoots, mayCurate, requireCurator } from "./access.server";
import { needConversation, tellFollowers } from "./conversation.server";

/**
 * Residents' needs (点单) and their curation (派单). Votes are rows of NeedVote (one per account,
 * the primary key) and `voteCount` is recomputed from them under the need's row lock, so no race
 * can count a vote twice or lose one.
 */


// ───────────────────────────── areas ─────────────────────────────

export interface NeedAreaGroup extends NamedArea {
  communities: (NamedArea & { id: string; level: string })[];
}

/** Subdistricts with their communities and villages, for the filter and the "post a need" form. */
export async function needAreaGroups(client: Client = db()): Promise<NeedAreaGroup[]> {
  const rows = await client.area.findMany({
    where: { level: { in: ["SUBDISTRICT", ...NEED_AREA_LEVELS] } },
    select: { id: true, code: true, nameZh: true, nameEn: true, level: true, parentId: true, path: true },
    orderBy: [{ sortOrder: "asc" }, { nameZh: "asc" }],
  });
  return rows
    .filter((r) => r.level === "SUBDISTRICT")
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((s) => ({
      code: s.code,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      communities: rows
        .filter((c) => c.parentId === s.id && c.level !== "SUBDISTRICT")
        .map((c) => ({ id: c.id, code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, level: c.level })),
    }))
    .filter((g) => g.communities.length > 0);
}

const areaGroupsMemo = publicMemo(async () => ({ value: await needAreaGroups(), until: Infinity }));

/**
 * The area groups for a public page, kept per public-data version when the request brings the
 * version (an anonymous public page: the public-page cache read it, ADR 020); else read now (reading
 * the version would cost as much). Shared between requests: not to be changed by the caller.
 */
export function publicNeedAreaGroups(version: string | undefined): Promise<NeedAreaGroup[]> {
  return version ? areaGroupsMemo.get(version) : needAreaGroups();
}

/** Ids of the area with `code` and every area below it; null when there is no such area. */
async function subtreeIds(client: Client, code: string): Promise<string[] | null> {
  const area = await client.area.findUnique({ where: { code }, select: { path: true } });
  if (!area) return null;
  const rows = await client.area.findMany({ where: { path: { startsWith: area.path } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** "/pinghu/danghu/songfeng/" → itself and every path above it. */
function selfAndAncestors(path: string): string[] {
  const segs = path.split("/").filter(Boolean);
  return segs.map((_, i) => `/${segs.slice(0, i + 1).join("/")}/`);
}

// ───────────────────────────── posting ─────────────────────────────

/** What a refused post tells the form besides its messages: when the hourly limit lets the author post again. */
export interface PostNeedDetail {
  retryAfterSeconds: number;
}

/**
 * Posts a need for a community or village, with an optional photo (images, ≤ 5 MB). The photo
 * is stored in the same transaction as the need: a refused photo writes nothing and comes back
 * as an error the form shows next to the field (with its values, `withParams`), with the rest of
 * the form as typed. The hourly limit refuses with 409 and says when to try again.
 */
export async function postNeed(actor: Pick<Actor, "id">, raw: unknown, photo: File | null): Promise<Result<{ number: number }, PostNeedDetail | undefined>> {
  const parsed = PostNeedSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const input = parsed.data;
  const area = await db().area.findUnique({ where: { id: input.communityId }, select: { id: true, level: true } });
  if (!area || !(NEED_AREA_LEVELS as readonly string[]).includes(area.level)) {
    return invalid({ communityId: ["needs.error.community"] });
  }
  const limitKey = `need:post:${actor.id}`;
  const limited = await hit(limitKey, NEED_POST_LIMIT.limit, NEED_POST_LIMIT.windowSeconds);
  if (!limited.allowed) return fail(409, "needs.error.rateLimited", { detail: { retryAfterSeconds: limited.retryAfterSeconds } });

  // an empty file input still sends a nameless, empty part: that is "no photo"
  const file = photo && (photo.size > 0 || photo.name) ? photo : null;
  try {
    const number = await db().$transaction(async (tx) => {
      const upload = file ? await saveUpload(tx, { file, kinds: ["image"], maxBytes: NEED_PHOTO_MAX_BYTES, uploaderId: actor.id }) : null;
      const need = await tx.need.create({
        data: {
          areaId: area.id,
          authorId: actor.id,
          title: input.title,
          description: input.description,
          category: input.category,
          photoUploadId: upload?.id ?? null,
        },
        select: { id: true, number: true },
      });
      // the author follows their need from the start
      await tx.needFollow.create({ data: { needId: need.id, userId: actor.id } });
      await audit(tx, {
        actorId: actor.id,
        action: "need.post",
        objectType: "Need",
        objectId: need.id,
        after: { number: need.number, areaId: area.id, title: input.title, description: input.description, category: input.category, photoUploadId: upload?.id ?? null },
      });
      return need.number;
    });
    return ok({ number });
  } catch (e) {
    if (e instanceof UploadError) {
      // a refused file is not a posted need: it does not count against the hourly limit
      await refund(limitKey);
      return invalid({ photo: [Object.keys(e.params).length ? withParams(e.messageKey, e.params) : e.messageKey] });
    }
    throw e;
  }
}

// ───────────────────────────── votes ─────────────────────────────

async function lockNeedByNumber(tx: Tx, number: number) {
  const rows = await tx.$queryRaw<{ id: string; status: NeedStatus }[]>`
    SELECT id, status::text AS status FROM "Need" WHERE number = ${number} FOR UPDATE`;
  return rows[0] ?? null;
}

async function recount(tx: Tx, needId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ voteCount: number }[]>`
    UPDATE "Need" SET "voteCount" = (SELECT count(*) FROM "NeedVote" WHERE "needId" = ${needId})::int
    WHERE id = ${needId} RETURNING "voteCount"`;
  return rows[0]!.voteCount;
}

/**
 * Upvotes (`vote = true`) or withdraws the viewer's vote on need `number`. The need row is
 * locked first, so concurrent votes on one need run one after another and each recount sees
 * every committed vote; the primary key keeps one vote per account.
 */
export async function setVote(actor: Pick<Actor, "id">, number: number, vote: boolean): Promise<Result<{ voted: boolean; voteCount: number }>> {
  return db().$transaction(async (tx): Promise<Result<{ voted: boolean; voteCount: number }>> => {
    const need = await lockNeedByNumber(tx, number);
    if (!need) notFound();
    if (!canVote(need.status)) return fail(409, "needs.error.voteClosed");
    if (vote) {
      await tx.$executeRaw`
        INSERT INTO "NeedVote" ("needId", "userId", "createdAt") VALUES (${need.id}, ${actor.id}, now() AT TIME ZONE 'UTC')
        ON CONFLICT DO NOTHING`;
    } else {
      await tx.$executeRaw`DELETE FROM "NeedVote" WHERE "needId" = ${need.id} AND "userId" = ${actor.id}`;
    }
    return ok({ voted: vote, voteCount: await recount(tx, need.id) });
  });
}

// ───────────────────────────── lists ─────────────────────────────

export interface NeedFilter {
  /** null: no area filter; []: nothing matches */
  areaIds: string[] | null;
  category: string | null;
  /** null: every status except MERGED */
  status: NeedStatus | null;
  roundId: string | null;
  q: string;
}

export function whereOf(f: NeedFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (f.areaIds !== null) parts.push(f.areaIds.length ? Prisma.sql`n."areaId" = ANY(${f.areaIds}::text[])` : Prisma.sql`FALSE`);
  parts.push(f.status ? Prisma.sql`n.status = ${f.status}::"NeedStatus"` : Prisma.sql`n.status <> 'MERGED'::"NeedStatus"`);
  if (f.category) parts.push(Prisma.sql`n.category = ${f.category}`);
  if (f.roundId) parts.push(Prisma.sql`n."roundId" = ${f.roundId}`);
  // Chinese has no word boundaries and PostgreSQL no Chinese parser: substring match (ADR 008)
  for (const p of searchPatterns(f.q)) parts.push(Prisma.sql`(n.title ILIKE ${p} OR n.description ILIKE ${p})`);
  return Prisma.join(parts, " AND ");
}

/**
 * A need's place in the list: its segment (1: the viewer's own community, listed first; 0: the
 * rest), its sort values, ending in its unique number (a tie on votes or time never skips or
 * repeats a need).
 */
const NeedKey = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);
type NeedKey = z.infer<typeof NeedKey>;

/**
 * The list in segments: the viewer's own community first (when there is one), then the rest. Each
 * segment is read in index order (both sorts run every column descending, so "after a key" is a
 * row comparison on the same columns, which the indexes on (voteCount, createdAt, number) and
 * (createdAt, number) answer as a range scan) and the segments are joined with UNION ALL, so a
 * page costs a range scan whichever segment it starts in. The key is [segment, voteCount,
 * createdAt in ms, number]; the newest sort ignores the votes in it.
 */
function segmentsOf(sort: NeedSort, own: string[], { key, backward }: Pick<Seek<NeedKey>, "key" | "backward">) {
  const dir = backward ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const op = backward ? Prisma.sql`>` : Prisma.sql`<`;
  const cols = sort === "newest" ? Prisma.sql`(n."createdAt", n.number)` : Prisma.sql`(n."voteCount", n."createdAt", n.number)`;
  const at = (k: NeedKey) =>
    sort === "newest"
      ? Prisma.sql`(${new Date(k[2]).toISOString()}::timestamp, ${k[3]}::int)`
      : Prisma.sql`(${k[1]}::int, ${new Date(k[2]).toISOString()}::timestamp, ${k[3]}::int)`;
  const order = sort === "newest" ? Prisma.sql`n."createdAt" ${dir}, n.number ${dir}` : Prisma.sql`n."voteCount" ${dir}, n."createdAt" ${dir}, n.number ${dir}`;
  const outer = sort === "newest" ? Prisma.sql`seg ${dir}, "createdAt" ${dir}, number ${dir}` : Prisma.sql`seg ${dir}, "voteCount" ${dir}, "createdAt" ${dir}, number ${dir}`;
  const segs: { seg: 0 | 1; where: Prisma.Sql; bound: Prisma.Sql | null }[] = [];
  for (const seg of (own.length ? [1, 0] : [0]) as (0 | 1)[]) {
    const where = own.length ? (seg === 1 ? Prisma.sql`n."areaId" = ANY(${own}::text[])` : Prisma.sql`n."areaId" <> ALL(${own}::text[])`) : Prisma.sql`TRUE`;
    let bound: Prisma.Sql | null = Prisma.sql`TRUE`;
    if (key) {
      const sameSeg = key[0] === seg;
      // forward: segment 1 comes before segment 0; backward the other way round
      const before = backward ? seg < key[0] : seg > key[0];
      bound = sameSeg ? Prisma.sql`${cols} ${op} ${at(key)}` : before ? null : Prisma.sql`TRUE`;
    }
    segs.push({ seg, where, bound });
  }
  return { segs: segs.filter((x) => x.bound !== null) as { seg: 0 | 1; where: Prisma.Sql; bound: Prisma.Sql }[], order, outer };
}

interface NeedRow {
  id: string;
  number: number;
  title: string;
  snippet: string;
  category: string;
  status: NeedStatus;
  voteCount: number;
  createdAt: Date;
  hasPhoto: boolean;
  code: string;
  nameZh: string;
  nameEn: string;
  seg: number;
}

async function queryNeeds(filter: NeedFilter, sort: NeedSort, rawCursor: string | null, page: number | null, per: number, viewerId: string | null, own: string[] = []) {
  const where = whereOf(filter);
  const [{ total }] = (await db().$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Need" n WHERE ${where}`) as [{ total: number }];
  const size = (NEED_PAGE_SIZES as readonly number[]).includes(per) ? per : NEED_PAGE_SIZES[0];
  // a cursor belongs to one sort, one set of filters and one viewer's order; any other starts at the first page
  const scope = JSON.stringify(["needs", sort, filter.areaIds, filter.category, filter.status, filter.roundId, filter.q, own]);
  const result = total
    ? await numberedPage<NeedRow, NeedKey>({
        scope,
        cursor: decodeCursor(rawCursor, scope, NeedKey),
        page,
        per: size,
        total,
        keyOf: (r) => [r.seg, r.voteCount, r.createdAt.getTime(), r.number],
        fetch: (seek) => {
          const { segs, order, outer } = segmentsOf(sort, own, seek);
          if (!segs.length) return Promise.resolve([]);
          const branches = segs.map(
            (x) => Prisma.sql`(SELECT n.id, n.number, n.title, left(n.description, ${NEED_SNIPPET_READ}::int) AS snippet, n.category, n.status::text AS status,
                     n."voteCount", n."createdAt", n."photoUploadId" IS NOT NULL AS "hasPhoto", a.code, a."nameZh", a."nameEn", ${x.seg}::int AS seg
              FROM "Need" n JOIN "Area" a ON a.id = n."areaId"
              WHERE ${where} AND ${x.where} AND ${x.bound}
              ORDER BY ${order}
              LIMIT ${seek.take})`,
          );
          return db().$queryRaw<NeedRow[]>`SELECT * FROM (${Prisma.join(branches, " UNION ALL ")}) u ORDER BY ${outer} LIMIT ${seek.take}`;
        },
        // the key `skip` rows from an end, read over the sort keys only (no join, no text)
        keyAt: async (skip, backward) => {
          const { segs, order, outer } = segmentsOf(sort, own, { key: null, backward });
          const branches = segs.map(
            (x) => Prisma.sql`(SELECT ${x.seg}::int AS seg, n."voteCount", n."createdAt", n.number FROM "Need" n
              WHERE ${where} AND ${x.where} ORDER BY ${order} LIMIT ${skip + 1})`,
          );
          const rows = await db().$queryRaw<{ seg: number; voteCount: number; createdAt: Date; number: number }[]>`
            SELECT * FROM (${Prisma.join(branches, " UNION ALL ")}) u ORDER BY ${outer} OFFSET ${skip} LIMIT 1`;
          const r = rows[0];
          return r ? [r.seg, r.voteCount, r.createdAt.getTime(), r.number] : null;
        },
      })
    : { items: [] as NeedRow[], page: 1, pages: 1, prev: null, next: null };
  const rows = result.items;
  const votedIds = new Set<string>();
  if (viewerId && rows.length) {
    const votes = await db().needVote.findMany({ where: { userId: viewerId, needId: { in: rows.map((r) => r.id) } }, select: { needId: true } });
    for (const v of votes) votedIds.add(v.needId);
  }
  const items: NeedCard[] = rows.map((r) => ({
    number: r.number,
    title: r.title,
    snippet: snippetOf(r.snippet),
    category: r.category,
    status: r.status,
    voteCount: r.voteCount,
    createdAt: r.createdAt.toISOString(),
    hasPhoto: r.hasPhoto,
    area: { code: r.code, nameZh: r.nameZh, nameEn: r.nameEn },
    voted: votedIds.has(r.id),
    own: r.seg === 1,
  }));
  return { total, per: size, items, pager: numberedLinksOf(result) };
}

/**
 * The viewer's own community, for the order of the list: the community of the need they posted
 * last, or else of the need they voted for last (accounts hold no address). Empty for visitors
 * and residents who have done neither.
 */
export async function ownCommunity(viewerId: string | null): Promise<(NamedArea & { id: string }) | null> {
  if (!viewerId) return null;
  const area = { select: { id: true, code: true, nameZh: true, nameEn: true } } as const;
  const posted = await db().need.findFirst({ where: { authorId: viewerId }, select: { area }, orderBy: { createdAt: "desc" } });
  if (posted) return posted.area;
  const voted = await db().needVote.findFirst({ where: { userId: viewerId }, select: { need: { select: { area } } }, orderBy: { createdAt: "desc" } });
  return voted?.need.area ?? null;
}

/**
 * The public list of needs: filters (community or subdistrict, category, status, round), sort,
 * Chinese substring search, pages. Unknown community or round codes match nothing.
 */
export async function listNeeds(query: NeedListQuery, viewerId: string | null = null) {
  const areaIds = query.community ? ((await subtreeIds(db(), query.community)) ?? []) : null;
  let round: { id: string; code: string; title: string; titleEn: string | null } | null = null;
  if (query.round) round = await db().round.findUnique({ where: { code: query.round }, select: { id: true, code: true, title: true, titleEn: true } });
  const filter: NeedFilter = {
    areaIds,
    category: query.category,
    status: query.status,
    roundId: query.round ? (round?.id ?? "-") : null,
    q: query.q,
  };
  // a resident's own community comes first, unless the list is of one community already
  const own = query.community ? null : await ownCommunity(viewerId);
  const result = await queryNeeds(filter, query.sort, query.cursor, query.page, query.per, viewerId, own ? [own.id] : []);
  return {
    ...result,
    round: round ? { code: round.code, title: round.title, titleEn: round.titleEn } : null,
    unknownRound: !!query.round && !round,
    ownCommunity: own ? { code: own.code, nameZh: own.nameZh, nameEn: own.nameEn } : null,
  };
}

/** Needs of a round published as its call topics (派单), for the round page and proposals. */
export async function roundTopics(roundId: string) {
  return db().need.findMany({
    where: { roundId, status: "PUBLISHED" },
    select: { id: true, number: true, title: true, category: true, voteCount: true, area: { select: { code: true, nameZh: true, nameEn: true } } },
    orderBy: [{ voteCount: "desc" }, { number: "asc" }],
  });
}

/**
 * The areas of an official's work list (those their grants cover) and the ids of the ones the
 * community filter keeps (an unknown or foreign code keeps none). 403 for anyone who is no official.
 */
export async function adminNeedAreas(actor: Pick<Actor, "grants">, query: Pick<NeedListQuery, "community">) {
  const roots = curatedRoots(actor);
  const scopeAreas = await db().area.findMany({
    where: roots === null ? {} : { OR: roots.map((p) => ({ path: { startsWith: p } })) },
    select: { id: true, code: true, path: true, nameZh: true, nameEn: true, level: true },
    orderBy: [{ path: "asc" }],
  });
  let areaIds = scopeAreas.map((a) => a.id);
  if (query.community) {
    const chosen = scopeAreas.find((a) => a.code === query.community);
    areaIds = chosen ? scopeAreas.filter((a) => isWithin(a.path, chosen.path)).map((a) => a.id) : [];
  }
  return { scopeAreas, areaIds };
}

/**
 * Officials' work list: needs in the areas they cover (open by default, by votes), filtered by
 * community and status, with counts per status. 403 for anyone who is not an official.
 */
export async function adminNeeds(actor: Pick<Actor, "grants">, query: NeedListQuery) {
  const { scopeAreas, areaIds } = await adminNeedAreas(actor, query);
  const grouped = areaIds.length
    ? await db().need.groupBy({
        by: ["status"],
        where: { areaId: { in: areaIds }, ...(query.category ? { category: query.category } : {}) },
        _count: { _all: true },
      })
    : [];
  const counts: Record<NeedStatus, number> = { OPEN: 0, PUBLISHED: 0, MERGED: 0, REJECTED: 0 };
  for (const g of grouped) counts[g.status as NeedStatus] = g._count._all;
  const result = await queryNeeds(
    { areaIds, category: query.category, status: query.status ?? "OPEN", roundId: null, q: query.q },
    query.sort,
    query.cursor,
    query.page,
    query.per,
    null,
  );
  return {
    ...result,
    status: query.status ?? "OPEN",
    counts,
    areas: scopeAreas
      .filter((a) => a.level === "SUBDISTRICT" || (NEED_AREA_LEVELS as readonly string[]).includes(a.level))
      .map((a) => ({ code: a.code, nameZh: a.nameZh, nameEn: a.nameEn, level: a.level })),
  };
}

// ───────────────────────────── one need ─────────────────────────────

const detailSelect = {
  id: true,
  number: true,
  title: true,
  description: true,
  category: true,
  status: true,
  voteCount: true,
  createdAt: true,
  authorId: true,
  photoUploadId: true,
  rejectionReason: true,
  curatedAt: true,
  publishedAt: true,
  author: { select: { name: true } },
  area: { select: { code: true, nameZh: true, nameEn: true, path: true, parent: { select: { code: true, nameZh: true, nameEn: true } } } },
  mergedInto: { select: { number: true, title: true } },
  mergedFrom: { select: { number: true, title: true }, orderBy: { number: "asc" as const } },
  round: { select: { code: true, title: true, titleEn: true } },
} as const;

/**
 * A need's public page. The author is shown as "a resident" with the date; their name only to
 * themselves. Curators also get the rounds this need may be published to.
 */
export async function needDetail(number: number, viewer: Pick<Actor, "id" | "grants"> | null) {
  const need = await db().need.findUnique({ where: { number }, select: detailSelect });
  if (!need) notFound();
  const isAuthor = !!viewer && viewer.id === need.authorId;
  const canCurate = mayCurate(viewer, need.area.path);
  const voted = viewer ? !!(await db().needVote.findUnique({ where: { needId_userId: { needId: need.id, userId: viewer.id } }, select: { userId: true } })) : false;
  const eligibleRounds =
    canCurate && need.status === "OPEN"
      ? await db().round.findMany({
          where: { phase: { in: [...TOPIC_PHASES] }, area: { path: { in: selfAndAncestors(need.area.path) } } },
          select: { code: true, title: true, phase: true, requiresDeliberation: true },
          orderBy: { createdAt: "desc" },
        })
      : [];
  const matters = await mattersOfNeed(need.id);
  const statuses = matters.map((m) => m.status);
  const live = matters.find((m) => HOLDING_STATUSES.includes(m.status));
  return {
    number: need.number,
    title: need.title,
    description: need.description,
    category: need.category,
    status: need.status as NeedStatus,
    voteCount: need.voteCount,
    createdAt: need.createdAt.toISOString(),
    hasPhoto: !!need.photoUploadId,
    area: { code: need.area.code, nameZh: need.area.nameZh, nameEn: need.area.nameEn, parent: need.area.parent },
    author: { isYou: isAuthor, name: isAuthor ? (need.author?.name ?? null) : null },
    rejectionReason: need.status === "REJECTED" ? need.rejectionReason : null,
    curatedAt: need.curatedAt?.toISOString() ?? null,
    mergedInto: need.status === "MERGED" ? need.mergedInto : null,
    mergedFrom: need.mergedFrom,
    round: need.status === "PUBLISHED" ? need.round : null,
    publishedAt: need.publishedAt?.toISOString() ?? null,
    viewer: { signedIn: !!viewer, voted, canCurate },
    /** each with whether it refuses this need for want of a passed resolution (said before the form is sent) */
    eligibleRounds: eligibleRounds.map((r) => ({ code: r.code, title: r.title, phase: r.phase, undeliberated: deliberationProblem(r, statuses) !== null })),
    conversation: await needConversation(need.id, need.area.path, viewer),
    /** the community's deliberation of this need (三议), every step public (两公开) */
    matters,
    /** the live matter holding the need: curators may not reject or merge it meanwhile */
    heldBy: live ? { number: live.number, status: live.status } : null,
  };
}

/** How many needs a merge search offers. */
export const MERGE_CANDIDATES = 10;

/**
 * Needs that need `number` could be merged into, found by text (title or description, every term)
 * or by number, for a curator of it: open or published needs of the same subdistrict that the
 * curator may curate, not itself, the most supported first. Empty for anyone else, or a need that
 * cannot be merged (no longer open), or an empty search.
 */
export async function mergeCandidates(viewer: Pick<Actor, "id" | "grants"> | null, number: number, q: string) {
  const need = await db().need.findUnique({ where: { number }, select: { status: true, area: { select: { path: true } } } });
  if (!need || need.status !== "OPEN" || !mayCurate(viewer, need.area.path)) return [];
  const patterns = searchPatterns(q);
  const asNumber = /^\s*#?(\d{1,9})\s*$/.exec(q)?.[1];
  if (patterns.length === 0) return [];
  const text = Prisma.join(
    patterns.map((p) => Prisma.sql`(n.title ILIKE ${p} OR n.description ILIKE ${p})`),
    " AND ",
  );
  const rows = await db().$queryRaw<{ number: number; title: string; status: string; voteCount: number; path: string; nameZh: string; nameEn: string }[]>`
    SELECT n.number, n.title, n.status::text AS status, n."voteCount", a.path, a."nameZh", a."nameEn"
      FROM "Need" n JOIN "Area" a ON a.id = n."areaId"
     WHERE n.number <> ${number}
       AND n.status IN ('OPEN', 'PUBLISHED')
       AND a.path LIKE ${`${escapeLike(parentPath(need.area.path))}%`}
       AND ((${text}) ${asNumber ? Prisma.sql`OR n.number = ${Number(asNumber)}` : Prisma.empty})
     ORDER BY (n.number = ${asNumber ? Number(asNumber) : 0}) DESC, n."voteCount" DESC, n.number DESC
     LIMIT ${MERGE_CANDIDATES * 3}`;
  return rows
    .filter((r) => mayCurate(viewer, r.path))
    .slice(0, MERGE_CANDIDATES)
    .map((r) => ({ number: r.number, title: r.title, status: r.status as NeedStatus, voteCount: r.voteCount, area: { nameZh: r.nameZh, nameEn: r.nameEn } }));
}

/** The photo of need `number` (public, like the need), or null. */
export async function needPhotoId(number: number): Promise<string | null> {
  const need = await db().need.findUnique({ where: { number }, select: { photoUploadId: true } });
  return need?.photoUploadId ?? null;
}

// ───────────────────────────── curation ─────────────────────────────

/**
 * A curation the need's state does not allow: about the whole form (409: the need is no longer
 * open) or about the field that was filled in (400: the target need or round cannot be used).
 */
const refused = (field: string, key: string): Failed => (field ? invalid({ [field]: [key] }) : fail(409, key));

interface LockedNeed {
  id: string;
  number: number;
  title: string;
  status: NeedStatus;
  authorId: string | null;
  areaPath: string;
  rejectionReason: string | null;
  roundId: string | null;
  mergedIntoId: string | null;
  voteCount: number;
}

/** Locks needs by number, in id order (two curations of the same pair never deadlock). */
async function lockNeeds(tx: Tx, numbers: number[]): Promise<LockedNeed[]> {
  return tx.$queryRaw<LockedNeed[]>`
    SELECT n.id, n.number, n.title, n.status::text AS status, n."authorId", a.path AS "areaPath",
           n."rejectionReason", n."roundId", n."mergedIntoId", n."voteCount"
    FROM "Need" n JOIN "Area" a ON a.id = n."areaId"
    WHERE n.number = ANY(${numbers}::int[])
    ORDER BY n.id
    FOR UPDATE OF n`;
}

/** The need, locked, when `actor` may curate it; 404 / 403 otherwise. */
async function lockForCuration(tx: Tx, actor: Actor, number: number): Promise<LockedNeed> {
  const [need] = await lockNeeds(tx, [number]);
  if (!need) notFound();
  requireCurator(actor, need.areaPath);
  return need;
}

const snapshot = (n: LockedNeed) => ({
  number: n.number,
  status: n.status,
  rejectionReason: n.rejectionReason,
  roundId: n.roundId,
  mergedIntoId: n.mergedIntoId,
  voteCount: n.voteCount,
});

const needLink = (number: number) => `/needs/${number}`;

/**
 * Tells a need's author of an official's ruling on it by e-mail or SMS (queueUserEmail chooses,
 * as for every notice: SMS when the author chose it or has no deliverable e-mail, and has a
 * number), one message in the ruling's transaction. An erased author hears nothing.
 */
async function tellAuthor(tx: Tx, authorId: string, kind: NeedRuling | "PUBLISHED", need: { number: number; title: string }, detail: string, linkTo = need.number) {
  const author = await tx.user.findFirst({ where: { id: authorId, deletedAt: null }, select: { id: true, email: true, name: true, locale: true } });
  if (author) await queueUserEmail(tx, author, "need-update", { kind, number: need.number, title: need.title, detail, link: `${appUrl()}${needLink(linkTo)}` });
}

/**
 * Why a curator may not reject the need or merge it away, when a live matter holds it (the
 * community is deliberating it, or resolved to make it a topic): the community's decision
 * comes first. The matter's own steps (a dropped or failed matter) release it.
 */
async function inDeliberation(tx: Tx, need: LockedNeed): Promise<string | null> {
  const matter = await liveMatterOf(tx, need.id);
  return matter ? withParams("needs.error.inDeliberation", { number: need.number, matter: matter.number }) : null;
}

/** Rejects an open need that is shown publicly; the author is told. */
export function rejectNeed(actor: Actor, number: number, raw: unknown): Promise<Result> {
  return moveWithReason(actor, number, raw, { status: "REJECTED", problem: rejectProblem, action: "need.reject", notice: "needRejected", ruling: "REJECTED", heldProblem: true });
}

/** Reopens a rejected need (the reason is recorded in the audit log); the author is told. */
export function reopenNeed(actor: Actor, number: number, raw: unknown): Promise<Result> {
  return moveWithReason(actor, number, raw, { status: "OPEN", problem: reopenProblem, action: "need.reopen", notice: "needReopened", ruling: "REOPENED" });
}

/**
 * A curator moves one need to `status` with a reason (reject, reopen). A rejected need shows the
 * reason publicly as its rejection reason; a reopened one has none, and the audit record keeps
 * the reason beside it. The author is told, with the reason.
 */
async function moveWithReason(
  actor: Actor,
  number: number,
  raw: unknown,
  move: { status: "REJECTED" | "OPEN"; problem: (need: LockedNeed) => string | null; action: string; notice: string; ruling: NeedRuling; heldProblem?: boolean },
): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const need = await lockForCuration(tx, actor, number);
    const parsed = ReasonSchema.safeParse(raw);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const problem = move.problem(need) ?? (move.heldProblem ? await inDeliberation(tx, need) : null);
    if (problem) return refused("", problem);
    const { reason } = parsed.data;
    const rejectionReason = move.status === "REJECTED" ? reason : null;
    await tx.need.update({ where: { id: need.id }, data: { status: move.status, rejectionReason, curatedById: actor.id, curatedAt: new Date() } });
    await audit(tx, {
      actorId: actor.id,
      action: move.action,
      objectType: "Need",
      objectId: need.id,
      before: snapshot(need),
      after: { ...snapshot(need), status: move.status, rejectionReason, ...(rejectionReason === null ? { reason } : {}) },
    });
    if (need.authorId) {
      await notify(tx, { userId: need.authorId, kind: move.notice, params: { number, title: need.title, reason }, link: needLink(number) });
      await tellAuthor(tx, need.authorId, move.ruling, { number, title: need.title }, reason);
    }
    // its followers hear it too (the author, told above, once)
    await tellFollowers(tx, need, move.ruling, { detail: reason }, { except: [actor.id], told: new Set(need.authorId ? [need.authorId] : []) });
    return ok();
  });
}

/**
 * Merges need `number` into need `target` (duplicates). The source's voters are added to the
 * target (a person who voted on both still counts once) and the target is recounted; the source
 * becomes MERGED and points at the target. The actor must curate both needs.
 */
export async function mergeNeed(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = MergeSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    // authorise on a plain read; rows are locked only below, both at once in id order
    const own = await tx.need.findUnique({ where: { number }, select: { area: { select: { path: true } } } });
    if (!own) notFound();
    requireCurator(actor, own.area.path);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const targetNumber = parsed.data.target;
    if (targetNumber === number) return refused("target", "needs.error.mergeSelf");
    const locked = await lockNeeds(tx, [number, targetNumber]);
    const source = locked.find((n) => n.number === number)!;
    const target = locked.find((n) => n.number === targetNumber);
    if (!target) return refused("target", "needs.error.targetMissing");
    if (!mayCurate(actor, target.areaPath)) return refused("target", "needs.error.targetForbidden");
    const problem = mergeProblem(source, target);
    if (problem) return refused(problem === "needs.error.notOpen" ? "" : "target", problem);
    const held = await inDeliberation(tx, source);
    if (held) return refused("", held);

    await tx.$executeRaw`
      INSERT INTO "NeedVote" ("needId", "userId", "createdAt")
      SELECT ${target.id}, v."userId", v."createdAt" FROM "NeedVote" v WHERE v."needId" = ${source.id}
      ON CONFLICT DO NOTHING`;
    const targetCount = await recount(tx, target.id);
    await tx.need.update({
      where: { id: source.id },
      data: { status: "MERGED", mergedIntoId: target.id, curatedById: actor.id, curatedAt: new Date() },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "need.merge",
      objectType: "Need",
      objectId: source.id,
      before: { source: snapshot(source), target: snapshot(target) },
      after: { source: { ...snapshot(source), status: "MERGED", mergedIntoId: target.id }, target: { ...snapshot(target), voteCount: targetCount } },
    });
    if (source.authorId) {
      await notify(tx, {
        userId: source.authorId,
        kind: "needMerged",
        params: { number, title: source.title, target: target.number, targetTitle: target.title },
        link: needLink(target.number),
      });
      await tellAuthor(tx, source.authorId, "MERGED", { number, title: source.title }, target.title, target.number);
    }
    // the merged need's followers hear it, and follow the need it joined from now on (as its votes moved)
    await tellFollowers(tx, source, "MERGED", { detail: target.title }, { except: [actor.id], told: new Set(source.authorId ? [source.authorId] : []), linkTo: target.number });
    await tx.$executeRaw`
      INSERT INTO "NeedFollow" ("needId", "userId", "createdAt")
      SELECT ${target.id}, f."userId", f."createdAt" FROM "NeedFollow" f WHERE f."needId" = ${source.id}
      ON CONFLICT DO NOTHING`;
    return ok();
  });
}

/** Publishes an open need as a call topic of a round (派单); the author is told. */
export async function publishNeed(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = PublishSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const need = await lockForCuration(tx, actor, number);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    // the round's row is locked too, so it cannot leave its phase while the topic is added
    const rounds = await tx.$queryRaw<{ id: string; code: string; title: string; phase: string; areaPath: string; requiresDeliberation: boolean }[]>`
      SELECT r.id, r.code, r.title, r.phase::text AS phase, a.path AS "areaPath", r."requiresDeliberation"
      FROM "Round" r JOIN "Area" a ON a.id = r."areaId"
      WHERE r.code = ${parsed.data.round}
      FOR SHARE OF r`;
    const round = rounds[0];
    if (!round) return refused("round", "needs.error.round");
    // the need's row is locked, and marking a wish locks it too: a need is a wish or a topic, never both
    const wish = await tx.wish.findUnique({ where: { needId: need.id }, select: { status: true } });
    const problem = publishProblem(need, round) ?? topicProblemOfWish(wish ? (wish.status as WishStatus) : null) ?? deliberationProblem(round, await matterStatusesOf(tx, need.id));
    if (problem) return refused(problem === "needs.error.notOpen" || problem === "needs.error.isSmallWish" ? "" : "round", problem);
    const now = new Date();
    await tx.need.update({
      where: { id: need.id },
      data: { status: "PUBLISHED", roundId: round.id, publishedAt: now, curatedById: actor.id, curatedAt: now },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "need.publish",
      objectType: "Need",
      objectId: need.id,
      before: snapshot(need),
      after: { ...snapshot(need), status: "PUBLISHED", roundId: round.id, roundCode: round.code },
    });
    if (need.authorId) {
      await notify(tx, {
        userId: need.authorId,
        kind: "needPublished",
        params: { number, title: need.title, round: round.title, code: round.code },
        link: needLink(number),
      });
    }
    // the author hears it once, following or not; followers hear it too (but the author, told above)
    const told = new Set<string>();
    if (need.authorId) {
      await tellAuthor(tx, need.authorId, "PUBLISHED", { number, title: need.title }, round.title);
      told.add(need.authorId);
    }
    await tellFollowers(tx, need, "PUBLISHED", { detail: round.title, round: round.title }, { except: [actor.id], told });
    return ok();
  });
}
