import { CommentSchema, HideSchema, NEED_COMMENT_LIMIT, NEED_COMMENTS_SHOWN, type NeedEvent, type NeedRuling } from "~/domain/needs";
import { maskName } from "~/domain/pii";
import type { Actor } from "~/services/accounts/actor.server";
import { db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { hit } from "~/lib/rate-limit.server";
import { audit } from "~/services/books/audit.server";
import { mayCurate, requireCurator } from "./access.server";

/**
 * The conversation on a need's public page: residents' comments, officials' replies, officials
 * hiding a comment with a reason, and following a need. A follower hears (inbox notice and
 * e-mail, in the transaction of the change) when the need becomes a round's call topic, when a
 * project answering it is funded, when an official replies, and at each step of the community's
 * deliberation of it (deliberation.server.ts); each event tells each follower once, and never
 * the person who caused it.
 */


const needLink = (number: number) => `/needs/${number}`;

async function needForConversation(client: Tx | ReturnType<typeof db>, number: number) {
  const need = await client.need.findUnique({ where: { number }, select: { id: true, number: true, title: true, status: true, authorId: true, area: { select: { path: true } } } });
  if (!need) notFound();
  return need;
}

/**
 * Tells every follower of the need (but `except`) of `event`: an inbox notice and an e-mail (or
 * SMS, as each hears notices); the notice links to the need, or to need `linkTo` (a merge's target).
 * Followers are read once, distinct by primary key, so no one hears an event twice; erased
 * accounts hear nothing. `skipInbox` leaves out those who already get their own notice of the
 * same change (the author, told of a publication by `needPublished`). `told` spans several
 * needs of one change (a matter's step): whoever is in it is skipped, and each person told is
 * added, so a follower of two of the needs hears once.
 */
export async function tellFollowers(
  tx: Tx,
  need: { id: string; number: number; title: string },
  event: NeedEvent | NeedRuling,
  params: Record<string, string | number>,
  opts: { except?: readonly string[]; skipInbox?: readonly string[]; told?: Set<string>; linkTo?: number } = {},
): Promise<number> {
  const followers = await tx.needFollow.findMany({
    where: { needId: need.id, userId: { notIn: [...(opts.except ?? []), ...(opts.told ?? [])] }, user: { deletedAt: null } },
    select: { user: { select: { id: true, email: true, name: true, locale: true } } },
    orderBy: { userId: "asc" },
  });
  const link = needLink(opts.linkTo ?? need.number);
  const ruling = event === "REJECTED" || event === "REOPENED" || event === "MERGED";
  for (const { user } of followers) {
    if (!opts.skipInbox?.includes(user.id)) {
      await notify(tx, { userId: user.id, kind: `needFollow${event[0]}${event.slice(1).toLowerCase()}`, params: { number: need.number, title: need.title, ...params }, link });
    }
    await queueUserEmail(tx, user, "need-update", { kind: event, number: need.number, title: need.title, detail: String(params.detail ?? ""), link: `${appUrl()}${link}`, ...(ruling ? { follower: true } : {}) });
    opts.told?.add(user.id);
  }
  return followers.length;
}

/**
 * A comment by a signed-in person (`asOfficial` false) or an official's reply (`asOfficial`
 * true: 403 unless the actor curates needs in the need's area; marked as an official reply and
 * told to the need's followers). Rate-limited per account like posting needs; audited.
 */
export async function postComment(actor: Pick<Actor, "id" | "grants">, number: number, raw: unknown, asOfficial: boolean): Promise<Result<{ id: string }>> {
  const need = await needForConversation(db(), number);
  if (asOfficial) requireCurator(actor, need.area.path);
  const parsed = CommentSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  if (need.status === "MERGED") return fail(409, "needs.error.commentClosed");
  const limited = await hit(`need:comment:${actor.id}`, NEED_COMMENT_LIMIT.limit, NEED_COMMENT_LIMIT.windowSeconds);
  if (!limited.allowed) return fail(409, "needs.error.commentRateLimited");
  const { body } = parsed.data;
  return db().$transaction(async (tx) => {
    const comment = await tx.needComment.create({ data: { needId: need.id, authorId: actor.id, body, official: asOfficial }, select: { id: true } });
    await audit(tx, {
      actorId: actor.id,
      action: asOfficial ? "need.reply" : "need.comment",
      objectType: "NeedComment",
      objectId: comment.id,
      after: { needNumber: need.number, body, official: asOfficial },
    });
    if (asOfficial) await tellFollowers(tx, need, "REPLY", { detail: body.length > 200 ? `${body.slice(0, 200)}…` : body }, { except: [actor.id] });
    return ok({ id: comment.id });
  });
}

/** An official of the need's area hides a comment with a reason (shown in its place); audited. 403 for anyone else. */
export async function hideComment(actor: Pick<Actor, "id" | "grants">, number: number, raw: unknown): Promise<Result> {
  const need = await needForConversation(db(), number);
  requireCurator(actor, need.area.path);
  const parsed = HideSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { comment: commentId, reason } = parsed.data;
  return db().$transaction(async (tx): Promise<Result> => {
    const rows = await tx.$queryRaw<{ id: string; hiddenAt: Date | null }[]>`
      SELECT id, "hiddenAt" FROM "NeedComment" WHERE id = ${commentId} AND "needId" = ${need.id} FOR UPDATE`;
    const comment = rows[0];
    if (!comment) return invalid({ comment: ["needs.error.comment"] });
    if (comment.hiddenAt) return fail(409, "needs.error.commentHidden");
    await tx.needComment.update({ where: { id: comment.id }, data: { hiddenAt: new Date(), hiddenById: actor.id, hiddenReason: reason } });
    await audit(tx, { actorId: actor.id, action: "need.comment.hide", objectType: "NeedComment", objectId: comment.id, before: { hidden: false }, after: { hidden: true, reason, needNumber: need.number } });
    return ok();
  });
}

/** Follows (`follow` true) or stops following need `number`. Idempotent. */
export async function setFollow(actor: Pick<Actor, "id">, number: number, follow: boolean): Promise<Result<{ following: boolean }>> {
  const need = await needForConversation(db(), number);
  if (follow) {
    await db().$executeRaw`
      INSERT INTO "NeedFollow" ("needId", "userId", "createdAt") VALUES (${need.id}, ${actor.id}, now() AT TIME ZONE 'UTC')
      ON CONFLICT DO NOTHING`;
  } else {
    await db().needFollow.deleteMany({ where: { needId: need.id, userId: actor.id } });
  }
  return ok({ following: follow });
}

export interface CommentView {
  id: string;
  /** the author's masked account name (the pseudonym once erased) */
  author: string;
  isYou: boolean;
  official: boolean;
  createdAt: string;
  /** null when hidden */
  body: string | null;
  hidden: { reason: string | null } | null;
}

/** The need's conversation as its page shows it: the newest comments, oldest first; whether the viewer follows and may moderate. */
export async function needConversation(needId: string, areaPath: string, viewer: Pick<Actor, "id" | "grants"> | null) {
  const [rows, total, follow] = await Promise.all([
    db().needComment.findMany({
      where: { needId },
      select: { id: true, body: true, official: true, createdAt: true, hiddenAt: true, hiddenReason: true, authorId: true, author: { select: { name: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: NEED_COMMENTS_SHOWN,
    }),
    db().needComment.count({ where: { needId } }),
    viewer ? db().needFollow.findUnique({ where: { needId_userId: { needId, userId: viewer.id } }, select: { userId: true } }) : null,
  ]);
  const comments: CommentView[] = rows.reverse().map((c) => ({
    id: c.id,
    author: maskName(c.author.name),
    isYou: !!viewer && viewer.id === c.authorId,
    official: c.official,
    createdAt: c.createdAt.toISOString(),
    body: c.hiddenAt ? null : c.body,
    hidden: c.hiddenAt ? { reason: c.hiddenReason } : null,
  }));
  return { comments, total, following: !!follow, canModerate: mayCurate(viewer, areaPath) };
}

/**
 * A project was funded from a proposal: the followers of every need it answers hear of it once
 * (the project is created once per award). Called in the project's creating transaction.
 */
export async function tellNeedsFunded(tx: Tx, proposalId: string, project: { referenceNo: string; title: string }): Promise<void> {
  const needs = await tx.need.findMany({ where: { proposals: { some: { proposalId } } }, select: { id: true, number: true, title: true }, orderBy: { number: "asc" } });
  for (const need of needs) await tellFollowers(tx, need, "FUNDED", { detail: `${project.title}（${project.referenceNo}）`, project: project.referenceNo });
}
