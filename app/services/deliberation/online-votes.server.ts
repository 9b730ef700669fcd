/**
 * Online voting at 决议 by the community's registered residents' representatives, recorded beside
 * the paper count: an official of the community opens it on a forwarded matter, each
 * representative votes for, against or abstains once (the unique (matter, voter) row: of two
 * votes at once one is kept), sees their own vote, and the official closes it. The public sees
 * the counts, never who voted how. The paper resolution alone decides the matter (ADR 041).
 * Rules: domain/deliberation.ts (online voting).
 */
import { castVoteProblem, closeVotingProblem, mayRunOnlineVoting, mayVoteOnline, type MatterStatus, onlineTally, OnlineVoteSchema, onlineVotingState, openVotingProblem, type OnlineVoteChoice } from "~/domain/deliberation";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db, type Tx } from "~/lib/db.server";
import { notify } from "~/lib/notify.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { fail, fromIssues, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { holderIn } from "./access.server";

type Viewer = Pick<Actor, "id" | "grants"> | null;

interface LockedVoting {
  id: string;
  number: number;
  title: string;
  status: MatterStatus;
  areaId: string;
  areaPath: string;
  onlineVotingOpenedAt: Date | null;
  onlineVotingClosedAt: Date | null;
}

/**
 * The matter locked for a change of its voting (FOR UPDATE) or for a vote (FOR SHARE: votes go
 * side by side, and closing waits for the votes under way); 404 when there is none.
 */
async function lockVoting(tx: Tx, number: number, mode: "update" | "share"): Promise<LockedVoting> {
  const rows =
    mode === "update"
      ? await tx.$queryRaw<LockedVoting[]>`
          SELECT m.id, m.number, m.title, m.status::text AS status, m."areaId", a.path AS "areaPath", m."onlineVotingOpenedAt", m."onlineVotingClosedAt"
          FROM "Matter" m JOIN "Area" a ON a.id = m."areaId" WHERE m.number = ${number} FOR UPDATE OF m`
      : await tx.$queryRaw<LockedVoting[]>`
          SELECT m.id, m.number, m.title, m.status::text AS status, m."areaId", a.path AS "areaPath", m."onlineVotingOpenedAt", m."onlineVotingClosedAt"
          FROM "Matter" m JOIN "Area" a ON a.id = m."areaId" WHERE m.number = ${number} FOR SHARE OF m`;
  if (!rows[0]) notFound();
  return rows[0];
}

/** The community's current residents' representatives. */
const representativesOf = (client: Client, areaId: string) =>
  client.communityRoleGrant.findMany({ where: { areaId, role: "RESIDENT_REPRESENTATIVE", revokedAt: null }, select: { userId: true }, distinct: ["userId"] });

/**
 * A matter's online voting as its public page shows it: the state, the counts and how many
 * representatives the community has; for a representative their own vote; what the viewer may do.
 */
export async function onlineVotingOf(number: number, viewer: Viewer) {
  const m = await db().matter.findUnique({
    where: { number },
    select: { id: true, status: true, areaId: true, area: { select: { path: true } }, onlineVotingOpenedAt: true, onlineVotingClosedAt: true },
  });
  if (!m) notFound();
  const state = onlineVotingState(m);
  const [votes, representatives, holder] = await Promise.all([
    db().matterOnlineVote.findMany({ where: { matterId: m.id }, select: { choice: true, userId: true } }),
    representativesOf(db(), m.areaId),
    viewer ? holderIn(viewer, m.area.path) : Promise.resolve(null),
  ]);
  const status = m.status as MatterStatus;
  const mine = viewer ? ((votes.find((v) => v.userId === viewer.id)?.choice as OnlineVoteChoice | undefined) ?? null) : null;
  const representative = !!holder && mayVoteOnline(holder, m.area.path);
  const run = !!viewer && mayRunOnlineVoting(viewer, m.area.path);
  return {
    state,
    openedAt: m.onlineVotingOpenedAt?.toISOString() ?? null,
    closedAt: m.onlineVotingClosedAt?.toISOString() ?? null,
    tally: onlineTally(votes.map((v) => ({ choice: v.choice as OnlineVoteChoice }))),
    representatives: representatives.length,
    mine,
    allowed: {
      open: run && openVotingProblem(status, state) === null,
      close: run && closeVotingProblem(state) === null,
      vote: representative && mine === null && castVoteProblem(status, state) === null,
      representative,
    },
  };
}

export type OnlineVoting = Awaited<ReturnType<typeof onlineVotingOf>>;

/** The official opens online voting on a forwarded matter; the representatives hear it in their inbox. */
export async function openOnlineVoting(actor: Actor, number: number): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const m = await lockVoting(tx, number, "update");
    if (!mayRunOnlineVoting(actor, m.areaPath)) forbidden();
    const problem = openVotingProblem(m.status, onlineVotingState(m));
    if (problem) return fail(409, problem);
    await tx.matter.update({ where: { id: m.id }, data: { onlineVotingOpenedAt: new Date(), onlineVotingOpenedById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "matter.onlineVotingOpen", objectType: "Matter", objectId: m.id, before: { state: "NONE" }, after: { state: "OPEN" } });
    for (const { userId } of await representativesOf(tx, m.areaId)) {
      await notify(tx, { userId, kind: "onlineVotingOpened", params: { number: m.number, title: m.title }, link: `/deliberation/${m.number}` });
    }
    return ok();
  });
}

/** The official closes online voting: the counts stand as they are. */
export async function closeOnlineVoting(actor: Actor, number: number): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const m = await lockVoting(tx, number, "update");
    if (!mayRunOnlineVoting(actor, m.areaPath)) forbidden();
    const problem = closeVotingProblem(onlineVotingState(m));
    if (problem) return fail(409, problem);
    await tx.matter.update({ where: { id: m.id }, data: { onlineVotingClosedAt: new Date(), onlineVotingClosedById: actor.id } });
    const votes = await tx.matterOnlineVote.findMany({ where: { matterId: m.id }, select: { choice: true } });
    await audit(tx, { actorId: actor.id, action: "matter.onlineVotingClose", objectType: "Matter", objectId: m.id, before: { state: "OPEN" }, after: { state: "CLOSED", ...onlineTally(votes as { choice: OnlineVoteChoice }[]) } });
    return ok();
  });
}

/**
 * A representative's vote. One per person and matter: the insert does nothing when a vote is
 * there already (a double submit, two tabs at once), and the person is told they have voted.
 */
export async function castOnlineVote(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = OnlineVoteSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const m = await lockVoting(tx, number, "share");
    if (!mayVoteOnline(await holderIn(actor, m.areaPath, tx), m.areaPath)) forbidden();
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const problem = castVoteProblem(m.status, onlineVotingState(m));
    if (problem) return fail(409, problem);
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "MatterOnlineVote" (id, "matterId", "userId", choice)
      VALUES (gen_random_uuid()::text, ${m.id}, ${actor.id}, ${parsed.data.choice}::"OnlineVoteChoice")
      ON CONFLICT ("matterId", "userId") DO NOTHING
      RETURNING id`;
    if (!inserted[0]) return fail(409, "deliberation.error.alreadyVoted");
    await audit(tx, { actorId: actor.id, action: "matter.onlineVote", objectType: "Matter", objectId: m.id, after: { voteId: inserted[0].id, choice: parsed.data.choice } });
    return ok();
  });
}
