import { conflictOf, type ConflictReason, type JudgeForAssignment } from "~/domain/assignment";
import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import { type Prisma } from "~/generated/prisma/client";
import { type Client, db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { fail, type Failed } from "~/lib/result";

/**
 * Who may see what during review (评审), shared by judges, scoring, ranking and awards:
 *
 * - officials of a round's area (or above) run its review: `roundForOfficial`;
 * - a judge sees a proposal only through a live assignment on a round seat they accepted, and
 *   never while they have a conflict of interest with it (declared or detected): `requireReviewAccess`;
 *   a judge declares a conflict on a proposal of a round where they hold a seat: `requireSeatFor`;
 * - only the invited address answers a pending invitation: `invitationAnswerProblem`;
 * - officials of a round's area and of the areas above it are told of its events: `officialIdsOver`.
 *
 * Every loader and action of the review pages goes through one of these; they throw the 403/404
 * responses themselves.
 */

export const reviewRoundSelect = {
  id: true,
  code: true,
  title: true,
  titleEn: true,
  phase: true,
  areaId: true,
  foundationId: true,
  categories: true,
  rubric: true,
  judgesPerProposal: true,
  blindReview: true,
  zScore: true,
  disagreementRange: true,
  minScore: true,
  communityCapFen: true,
  categoryCapFen: true,
  poolFen: true,
  minAwardFen: true,
  maxAwardFen: true,
  weightReview: true,
  weightRoadshow: true,
  weightPublicVote: true,
  noticeDays: true,
  noticeStartsAt: true,
  reviewStartsAt: true,
  awardsPublishedAt: true,
  awardsFinalizedAt: true,
  version: true,
  area: { select: { id: true, code: true, path: true, nameZh: true, nameEn: true } },
} satisfies Prisma.RoundSelect;

export type ReviewRound = Prisma.RoundGetPayload<{ select: typeof reviewRoundSelect }>;

/**
 * The round by its code, or 404: `reviewRoundSelect` in one statement (the ORM sends two, the round
 * then its area), the same keys in the same order and the same types (an integration test holds
 * the two equal). Every round page reads it, on two shared cores a statement's round trip is most
 * of its cost (docs/decisions/023-*, addendum).
 */
export async function reviewRoundByCode(client: Client, code: string): Promise<ReviewRound> {
  if (client !== db()) return readRoundByCode(client, code);
  // a frame's loader and its page's loader ask in the same turn: one statement answers both, as
  // the ORM's batching of identical findUnique calls did (a transaction reads its own)
  let read = sameTurn.get(code);
  if (!read) {
    read = readRoundByCode(client, code);
    if (sameTurn.size === 0) process.nextTick(() => sameTurn.clear());
    sameTurn.set(code, read);
  }
  return read;
}

/** Reads of rounds by code started in this turn of the event loop (see reviewRoundByCode). */
const sameTurn = new Map<string, Promise<ReviewRound>>();

async function readRoundByCode(client: Client, code: string): Promise<ReviewRound> {
  const [round] = await client.$queryRaw<ReviewRound[]>`
    SELECT r.id, r.code, r.title, r."titleEn", r.phase::text AS phase, r."areaId", r."foundationId", r.categories, r.rubric,
           r."judgesPerProposal", r."blindReview", r."zScore", r."disagreementRange", r."minScore", r."communityCapFen", r."categoryCapFen",
           r."poolFen", r."minAwardFen", r."maxAwardFen", r."weightReview", r."weightRoadshow", r."weightPublicVote", r."noticeDays",
           r."noticeStartsAt", r."reviewStartsAt", r."awardsPublishedAt", r."awardsFinalizedAt", r.version,
           json_build_object('id', a.id, 'code', a.code, 'path', a.path, 'nameZh', a."nameZh", 'nameEn', a."nameEn") AS area
      FROM "Round" r JOIN "Area" a ON a.id = r."areaId"
     WHERE r.code = ${code}`;
  if (!round) notFound();
  return round;
}

/** The round when `actor` is an official of its area (or above), else 403; unknown codes 404. */
export async function roundForOfficial(actor: Pick<Actor, "grants">, code: string, client: Client = db()): Promise<ReviewRound> {
  const round = await reviewRoundByCode(client, code);
  if (!isOfficialFor(actor, round.area.path)) forbidden();
  return round;
}

/** What the assignment rules need to know about one judge seat (domain/assignment.ts). */
export async function judgeForAssignment(client: Client, seatId: string): Promise<JudgeForAssignment> {
  const seat = await client.roundJudge.findUniqueOrThrow({
    where: { id: seatId },
    select: {
      id: true,
      userId: true,
      employerUsccs: true,
      conflicts: { select: { organizationId: true, proposalId: true, kind: true } },
    },
  });
  const memberships = seat.userId
    ? await client.organizationMember.findMany({ where: { userId: seat.userId }, select: { organizationId: true } })
    : [];
  return {
    id: seat.id,
    memberOfOrganizationIds: memberships.map((m) => m.organizationId),
    conflictUsccs: seat.employerUsccs,
    declaredConflicts: seat.conflicts,
  };
}

/** The conflict between a judge seat and a proposal, or null when there is none. */
export async function seatConflictOn(client: Client, seatId: string, proposalId: string): Promise<ConflictReason | null> {
  const [judge, proposal] = await Promise.all([
    judgeForAssignment(client, seatId),
    client.proposal.findUniqueOrThrow({
      where: { id: proposalId },
      select: { id: true, organizationId: true, organization: { select: { uscc: true } } },
    }),
  ]);
  return conflictOf(judge, { id: proposal.id, organizationId: proposal.organizationId, organizationUscc: proposal.organization.uscc });
}

/** The accepted seat of `userId` on a round, or null. */
export async function acceptedSeat(client: Client, roundId: string, userId: string) {
  return client.roundJudge.findFirst({ where: { roundId, userId, status: "ACCEPTED" } });
}

/**
 * A judge's access to one proposal: their accepted seat on its round, their live assignment to
 * it, and no conflict of interest. 404 for an unknown proposal; 403 otherwise when any of these
 * is missing (the same answer whether the proposal exists in another round or is conflicted, so
 * nothing leaks).
 */
export async function requireReviewAccess(actor: Pick<Actor, "id">, proposalId: string, client: Client = db()) {
  const proposal = await client.proposal.findUnique({ where: { id: proposalId }, select: { id: true, roundId: true } });
  if (!proposal) notFound();
  const seat = await acceptedSeat(client, proposal.roundId, actor.id);
  if (!seat) forbidden();
  const assignment = await client.reviewAssignment.findFirst({
    where: { proposalId, roundJudgeId: seat.id, endedAt: null },
    select: { id: true, createdAt: true },
  });
  if (!assignment) forbidden();
  if (await seatConflictOn(client, seat.id, proposalId)) forbidden();
  return { seat, assignment, roundId: proposal.roundId };
}

/**
 * A judge's seat on the round of a proposal, with the proposal and its round: 404 for an unknown
 * proposal, 403 without an accepted seat on its round.
 */
export async function requireSeatFor(actor: Pick<Actor, "id">, proposalId: string, client: Client = db()) {
  const proposal = await client.proposal.findUnique({
    where: { id: proposalId },
    select: {
      id: true,
      roundId: true,
      referenceNo: true,
      round: { select: { id: true, code: true, title: true, noticeStartsAt: true, phase: true, awardsPublishedAt: true, area: { select: { id: true, path: true } } } },
    },
  });
  if (!proposal) notFound();
  const seat = await acceptedSeat(client, proposal.roundId, actor.id);
  if (!seat) forbidden();
  return { proposal, seat };
}

/** Only the address an invitation was sent to may answer it (and see the organizations to declare against). */
export const isInvitee = (viewer: { email: string | null } | null, seat: { email: string }) => !!viewer?.email && viewer.email === seat.email;

/** Why the viewer may not answer an invitation (it is no longer pending, or was sent to another address), or null. */
export function invitationAnswerProblem(view: { state: string; emailMatches?: boolean }): Failed | null {
  if (view.state !== "pending") return fail(409, `review.accept.state.${view.state}`);
  if (!view.emailMatches) return fail(403, "review.accept.wrongAccount");
  return null;
}

/** "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]: the area and those above it, whose officials run its rounds. */
export function pathsUpTo(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}/`);
}

/** The users who are officials of the area at `path` or of an area above it. */
export async function officialIdsOver(client: Client, path: string): Promise<string[]> {
  const grants = await client.roleGrant.findMany({ where: { role: "OFFICIAL", revokedAt: null, area: { path: { in: pathsUpTo(path) } } }, select: { userId: true } });
  return [...new Set(grants.map((g) => g.userId))];
}
