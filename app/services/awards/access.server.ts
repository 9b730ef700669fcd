import { officialRoots } from "~/domain/permissions";
import type { Prisma } from "~/generated/prisma/client";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { officialIdsOver, reviewRoundByCode, roundForOfficial, type ReviewRound } from "~/services/review/access.server";

/**
 * Who may see and change the awards of a round (资助、公示、异议):
 *
 * - officials of the round's area (or above) override the allocation, publish, resolve objections
 *   and read the objectors' names and attachments: `roundForOfficial`, `objectionForOfficial`;
 * - everyone reads a round's notice, its objections (never who filed them) and its results as
 *   open data once the awards are published, and not before: `publishedRound`;
 * - anyone signed in may object while an item's notice runs (domain/awards.ts `canObject`).
 *
 * These throw the 403/404 responses themselves, like the review wing's rules they build on.
 */

export { officialIdsOver, roundForOfficial };

/** The round by its code when its awards are published; 404 otherwise (the notice is not public before). */
export async function publishedRound(code: string, client: Client = db()): Promise<ReviewRound & { awardsPublishedAt: Date }> {
  const round = await reviewRoundByCode(client, code);
  if (!round.awardsPublishedAt) notFound();
  return round as ReviewRound & { awardsPublishedAt: Date };
}

/** An objection (its attachment id and round) when `actor` is an official of its round's area; 404 for an unknown one. */
export async function objectionForOfficial(actor: Pick<Actor, "grants">, objectionId: string) {
  const objection = await db().objection.findUnique({ where: { id: objectionId }, select: { id: true, attachmentUploadId: true, round: { select: { code: true } } } });
  if (!objection) notFound();
  await roundForOfficial(actor, objection.round.code);
  return objection;
}

/**
 * The rounds whose objections an official resolves (`roundForOfficial` for many rounds): those
 * of an area the actor is an official of, or below it; every round for administrators; null for
 * someone who is no official.
 */
export function officialRoundsWhere(actor: Pick<Actor, "grants">): Prisma.RoundWhereInput | null {
  const roots = officialRoots(actor);
  if (roots === null) return {};
  if (!roots.length) return null;
  return { area: { OR: roots.map((r) => ({ path: { startsWith: r } })) } };
}
