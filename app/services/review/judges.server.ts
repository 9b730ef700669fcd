import {
  assignJudges,
  conflictOf,
  reassignAfterConflict,
  swapProblem,
  type Assignment,
  type AssignmentProblem,
  type JudgeForAssignment,
  type ProposalForAssignment,
  type SwapProblem,
} from "~/domain/assignment";
import { AcceptInvitationSchema, declarationsOf, DeclareConflictSchema, InviteJudgeSchema, usccsOf } from "~/domain/judges";
import { withParams } from "~/domain/messages";
import { pageOf } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db, type Tx } from "~/lib/db.server";
import { lockRound } from "~/lib/locks.server";
import { appUrl } from "~/lib/env.server";
import { formatDateTime, fromDbLocale } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { notify } from "~/lib/notify.server";
import { queueEmail } from "~/lib/outbox.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { fail, fromIssues, ok, type Result } from "~/lib/result";
import { randomToken, sha256 } from "~/lib/crypto.server";
import { audit } from "~/services/books/audit.server";
import { invitationAnswerProblem, isInvitee, officialIdsOver, requireSeatFor, roundForOfficial } from "./access.server";

/**
 * Judges of a round (评审专家): invitations, conflict-of-interest declarations, automatic
 * assignment (k judges per eligible proposal, balanced, never a conflicted judge — the rules are
 * app/domain/assignment.ts), manual swaps and reassignment when a judge declares a conflict on
 * a proposal they were given. Officials of the round's area run it; judges act on their own seat.
 */

export const INVITATION_DAYS = 14;
export const MATRIX_PAGE_SIZE = 50;

// ───────────────────────────── loading the round's judges and proposals ─────────────────────────────

/** Every ACCEPTED seat of a round as the assignment rules see it (memberships, employer USCCs, declarations). */
export async function judgesForAssignment(client: Client, roundId: string): Promise<JudgeForAssignment[]> {
  const seats = await client.roundJudge.findMany({
    where: { roundId, status: "ACCEPTED" },
    select: { id: true, userId: true, employerUsccs: true, conflicts: { select: { organizationId: true, proposalId: true, kind: true } } },
    orderBy: { createdAt: "asc" },
  });
  const userIds = seats.map((s) => s.userId).filter((u): u is string => !!u);
  const memberships = userIds.length
    ? await client.organizationMember.findMany({ where: { userId: { in: userIds } }, select: { userId: true, organizationId: true } })
    : [];
  return seats.map((s) => ({
    id: s.id,
    memberOfOrganizationIds: memberships.filter((m) => m.userId === s.userId).map((m) => m.organizationId),
    conflictUsccs: s.employerUsccs,
    declaredConflicts: s.conflicts,
  }));
}

export async function proposalsForAssignment(client: Client, roundId: string): Promise<ProposalForAssignment[]> {
  const rows = await client.proposal.findMany({
    where: { roundId, status: "ELIGIBLE" },
    select: { id: true, organizationId: true, organization: { select: { uscc: true } } },
    orderBy: { referenceNo: "asc" },
  });
  return rows.map((p) => ({ id: p.id, organizationId: p.organizationId, organizationUscc: p.organization.uscc }));
}

async function liveAssignments(client: Client, roundId: string) {
  return client.reviewAssignment.findMany({
    where: { roundId, endedAt: null },
    select: { id: true, proposalId: true, roundJudgeId: true },
  });
}

const toPairs = (rows: { proposalId: string; roundJudgeId: string }[]): Assignment[] => rows.map((r) => ({ proposalId: r.proposalId, judgeId: r.roundJudgeId }));


/** Tells judges (inbox + email) how many proposals they were newly given. */
async function tellAssigned(tx: Tx, round: { id: string; title: string; noticeStartsAt: Date }, counts: Map<string, number>) {
  if (counts.size === 0) return;
  const seats = await tx.roundJudge.findMany({
    where: { id: { in: [...counts.keys()] } },
    select: { id: true, name: true, email: true, user: { select: { id: true, name: true, email: true, locale: true } } },
  });
  for (const seat of seats) {
    const count = counts.get(seat.id)!;
    const locale = fromDbLocale(seat.user?.locale ?? "zh_CN");
    if (seat.user) await notify(tx, { userId: seat.user.id, kind: "review.assigned", params: { round: round.title, count }, link: "/judging" });
    await queueEmail(tx, {
      to: seat.user?.email ?? seat.email,
      userId: seat.user?.id ?? null,
      locale,
      template: "judge-assignment",
      props: { name: seat.user?.name ?? seat.name, roundTitle: round.title, count, deadline: formatDeadline(locale, round.noticeStartsAt), link: `${appUrl()}/judging` },
    });
  }
}

// ───────────────────────────── the officials' page ─────────────────────────────

/**
 * The review page of a round for an official of its area: judges with their status, load and
 * declarations; one page of the eligible proposals with, per judge, the cell state (assigned with
 * the sheet's status, or the conflict that keeps the judge off it).
 */
export async function reviewOverview(actor: Pick<Actor, "grants">, code: string, requestedPage: unknown) {
  const round = await roundForOfficial(actor, code);
  const [seats, judges, proposals, live, sheets] = await Promise.all([
    db().roundJudge.findMany({
      where: { roundId: round.id },
      select: {
        id: true,
        name: true,
        email: true,
        status: true,
        acceptedAt: true,
        expiresAt: true,
        createdAt: true,
        employerUsccs: true,
        conflicts: { select: { id: true, kind: true, note: true, organization: { select: { name: true } }, proposal: { select: { referenceNo: true } }, createdAt: true } },
      },
      orderBy: { createdAt: "asc" },
    }),
    judgesForAssignment(db(), round.id),
    proposalsForAssignment(db(), round.id),
    liveAssignments(db(), round.id),
    db().scoreSheet.findMany({ where: { roundId: round.id, assignment: { endedAt: null } }, select: { proposalId: true, roundJudgeId: true, status: true } }),
  ]);
  const judgeById = new Map(judges.map((j) => [j.id, j]));
  const loads = new Map<string, number>();
  for (const a of live) loads.set(a.roundJudgeId, (loads.get(a.roundJudgeId) ?? 0) + 1);
  const assigned = new Set(live.map((a) => `${a.proposalId}|${a.roundJudgeId}`));
  const sheetOf = new Map(sheets.map((s) => [`${s.proposalId}|${s.roundJudgeId}`, s.status]));
  const accepted = seats.filter((s) => s.status === "ACCEPTED");

  const total = proposals.length;
  const { page, pages, skip, take } = pageOf(requestedPage, total, MATRIX_PAGE_SIZE);
  const pageIds = proposals.slice(skip, skip + take);
  const details = await db().proposal.findMany({
    where: { id: { in: pageIds.map((p) => p.id) } },
    select: { id: true, referenceNo: true, title: true, organization: { select: { name: true } } },
  });
  const detailOf = new Map(details.map((d) => [d.id, d]));
  const rows = pageIds.map((p) => {
    const d = detailOf.get(p.id)!;
    const cells = accepted.map((s) => {
      const key = `${p.id}|${s.id}`;
      if (assigned.has(key)) return { seatId: s.id, state: "assigned" as const, sheet: sheetOf.get(key) ?? null };
      const reason = conflictOf(judgeById.get(s.id)!, p);
      return reason ? { seatId: s.id, state: "conflict" as const, reason } : { seatId: s.id, state: "none" as const };
    });
    return { id: p.id, referenceNo: d.referenceNo, title: d.title, organization: d.organization.name, judges: cells.filter((c) => c.state === "assigned").length, cells };
  });
  const loadValues = accepted.map((s) => loads.get(s.id) ?? 0);
  return {
    round: { code: round.code, title: round.title, phase: round.phase, k: round.judgesPerProposal, area: round.area },
    canAssign: round.phase === "REVIEW" && !round.awardsPublishedAt,
    canInvite: !["DRAFT", "CLOSED", "IMPLEMENTATION"].includes(round.phase) && !round.awardsPublishedAt,
    seats: seats.map((s) => ({
      ...s,
      acceptedAt: s.acceptedAt?.toISOString() ?? null,
      expiresAt: s.expiresAt.toISOString(),
      createdAt: s.createdAt.toISOString(),
      expired: s.status === "INVITED" && s.expiresAt < new Date(),
      load: loads.get(s.id) ?? 0,
      conflicts: s.conflicts.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    })),
    acceptedSeats: accepted.map((s) => ({ id: s.id, name: s.name })),
    balance: loadValues.length ? { min: Math.min(...loadValues), max: Math.max(...loadValues) } : null,
    short: proposals.length && accepted.length ? rows.filter((r) => r.judges < round.judgesPerProposal).length : 0,
    assignedTotal: live.length,
    rows,
    total,
    page,
    pageCount: pages,
  };
}

// ───────────────────────────── invitations ─────────────────────────────

/**
 * Invites one judge to a round (or re-sends a pending invitation with a fresh link). The emailed
 * link carries a random token; only its SHA-256 is stored.
 */
export async function inviteJudge(actor: Actor, code: string, raw: unknown): Promise<Result<{ resent: boolean }>> {
  const round = await roundForOfficial(actor, code);
  if (["DRAFT", "IMPLEMENTATION", "CLOSED"].includes(round.phase) || round.awardsPublishedAt) return fail(409, "review.invite.closed");
  const parsed = InviteJudgeSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { name, email } = parsed.data;
  const employerUsccs = usccsOf(parsed.data.employerUsccs);
  const token = randomToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  return db().$transaction(async (tx) => {
    const existing = await tx.roundJudge.findUnique({ where: { roundId_email: { roundId: round.id, email } } });
    if (existing && existing.status !== "INVITED") return fail(409, withParams("review.invite.already", { status: existing.status }));
    const seat = existing
      ? await tx.roundJudge.update({ where: { id: existing.id }, data: { name, tokenHash: sha256(token), expiresAt, employerUsccs } })
      : await tx.roundJudge.create({ data: { roundId: round.id, email, name, tokenHash: sha256(token), expiresAt, invitedById: actor.id, employerUsccs } });
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, locale: true } });
    const locale = fromDbLocale(user?.locale ?? "zh_CN");
    await queueEmail(tx, {
      to: email,
      userId: user?.id ?? null,
      locale,
      template: "judge-invitation",
      props: { name, inviterName: actor.name, roundTitle: round.title, expiresAt: formatDateTime(locale, expiresAt), link: `${appUrl()}/judging/invitations/${token}` },
    });
    await audit(tx, {
      actorId: actor.id,
      action: existing ? "judge.reinvite" : "judge.invite",
      objectType: "RoundJudge",
      objectId: seat.id,
      // the judge's name and address stay on the seat only: the audit log keeps no names or contacts
      after: { roundId: round.id, employerUsccs, expiresAt: expiresAt.toISOString() },
    });
    return ok({ resent: !!existing });
  });
}

/** Takes a judge off the round: their live assignments end (the proposals become short until re-assigned). */
export async function removeJudge(actor: Actor, code: string, seatId: string): Promise<Result<{ ended: number }>> {
  const round = await roundForOfficial(actor, code);
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const seat = await tx.roundJudge.findFirst({ where: { id: seatId, roundId: round.id } });
    if (!seat) notFound();
    if (seat.status === "REMOVED") return ok({ ended: 0 });
    const ended = await tx.reviewAssignment.updateMany({
      where: { roundJudgeId: seat.id, endedAt: null },
      data: { endedAt: new Date(), endReason: "JUDGE_REMOVED" },
    });
    await tx.roundJudge.update({ where: { id: seat.id }, data: { status: "REMOVED" } });
    await audit(tx, {
      actorId: actor.id,
      action: "judge.remove",
      objectType: "RoundJudge",
      objectId: seat.id,
      before: { status: seat.status },
      after: { status: "REMOVED", endedAssignments: ended.count },
    });
    return ok({ ended: ended.count });
  });
}

export type InvitationState = "unknown" | "pending" | "expired" | "accepted" | "declined" | "removed";

/** What the invitation link shows: the round, whether the viewer may answer, and the organizations to declare against. */
export async function judgeInvitation(token: string, viewer: { id: string; email: string | null } | null) {
  const seat = await db().roundJudge.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      email: true,
      name: true,
      status: true,
      expiresAt: true,
      userId: true,
      employerUsccs: true,
      round: { select: { id: true, code: true, title: true, area: { select: { nameZh: true, nameEn: true } } } },
    },
  });
  if (!seat) return { state: "unknown" as InvitationState };
  const state: InvitationState =
    seat.status === "ACCEPTED" ? "accepted" : seat.status === "DECLINED" ? "declined" : seat.status === "REMOVED" ? "removed" : seat.expiresAt < new Date() ? "expired" : "pending";
  // organizations that have submitted to this round: the ones a conflict can be declared against
  const organizations =
    state === "pending" && isInvitee(viewer, seat)
      ? await db().organization.findMany({
          where: { proposals: { some: { roundId: seat.round.id, status: { in: ["SUBMITTED", "ELIGIBLE", "INELIGIBLE"] } } } },
          select: { id: true, name: true },
          orderBy: { name: "asc" },
        })
      : [];
  return {
    state,
    seat: { name: seat.name, email: seat.email, expiresAt: seat.expiresAt.toISOString(), employerUsccs: seat.employerUsccs },
    round: seat.round,
    signedIn: !!viewer,
    emailMatches: isInvitee(viewer, seat),
    organizations,
  };
}

/**
 * The judge accepts, declaring conflicts up front (or confirming there are none). Signed in with
 * the invited address; the seat must still be pending.
 */
export async function acceptJudgeInvitation(viewer: { id: string; email: string | null }, token: string, raw: unknown): Promise<Result<{ roundCode: string }>> {
  const view = await judgeInvitation(token, viewer);
  const refused = invitationAnswerProblem(view);
  if (refused) return refused;
  const parsed = AcceptInvitationSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const rows = declarationsOf(parsed.data.rows);
  const { noConflicts } = parsed.data;
  const usccs = usccsOf(parsed.data.employerUsccs);
  const known = new Set((view.organizations ?? []).map((o) => o.id));
  if (rows.some((r) => !known.has(r.organizationId))) return fail(400, "review.accept.unknownOrganization");

  return db().$transaction(async (tx) => {
    const seat = await tx.roundJudge.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    // answered in another tab meanwhile: the update is conditional on the seat still being invited
    const claimed = await tx.roundJudge.updateMany({
      where: { id: seat.id, status: "INVITED" },
      data: { status: "ACCEPTED", userId: viewer.id, acceptedAt: new Date(), employerUsccs: [...new Set([...seat.employerUsccs, ...usccs])] },
    });
    if (claimed.count === 0) return fail(409, "review.accept.state.accepted");
    if (rows.length) {
      await tx.conflictDeclaration.createMany({
        data: rows.map((r) => ({ roundJudgeId: seat.id, organizationId: r.organizationId, kind: r.kind, note: r.note })),
      });
    }
    await audit(tx, {
      actorId: viewer.id,
      action: "judge.accept",
      objectType: "RoundJudge",
      objectId: seat.id,
      before: { status: "INVITED" },
      after: { status: "ACCEPTED", declarations: rows, employerUsccs: usccs, noConflicts },
    });
    return ok({ roundCode: view.round!.code });
  });
}

export async function declineJudgeInvitation(viewer: { id: string; email: string | null }, token: string): Promise<Result> {
  const view = await judgeInvitation(token, viewer);
  const refused = invitationAnswerProblem(view);
  if (refused) return refused;
  await db().$transaction(async (tx) => {
    const seat = await tx.roundJudge.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    await tx.roundJudge.updateMany({ where: { id: seat.id, status: "INVITED" }, data: { status: "DECLINED", userId: viewer.id } });
    await audit(tx, { actorId: viewer.id, action: "judge.decline", objectType: "RoundJudge", objectId: seat.id, before: { status: "INVITED" }, after: { status: "DECLINED" } });
  });
  return ok();
}

// ───────────────────────────── automatic assignment, swaps ─────────────────────────────

/** Why the assignment rules refused, as messages naming the proposals and judges concerned. */
function assignmentMessages(problems: readonly AssignmentProblem[], names: Record<string, string>): string[] {
  const name = (id: string) => names[id] ?? id;
  return problems.map((p) => {
    if (p.code === "notEnoughEligibleJudges")
      return withParams("review.assign.notEnough", {
        proposal: name(p.proposalId),
        eligible: p.eligible,
        required: p.required,
        conflicted: p.conflicted.map((c) => name(c.judgeId)).join("、") || "—",
      });
    if (p.code === "tooFewJudges") return withParams("review.assign.tooFew", { judges: p.judges, required: p.required });
    return `review.assign.${p.code}`;
  });
}

/** Names to explain problems with: proposal id → reference, seat id → judge name. */
async function namesOf(client: Client, roundId: string): Promise<Record<string, string>> {
  const [proposals, seats] = await Promise.all([
    client.proposal.findMany({ where: { roundId }, select: { id: true, referenceNo: true } }),
    client.roundJudge.findMany({ where: { roundId }, select: { id: true, name: true } }),
  ]);
  return Object.fromEntries([...proposals.map((p) => [p.id, p.referenceNo ?? p.id]), ...seats.map((s) => [s.id, s.name])]);
}

/**
 * Runs the assignment rules over the eligible proposals and accepted judges, keeping every live
 * pair that is still valid. All or nothing, one run at a time per round (row lock); judges who
 * get new proposals are told.
 */
export async function autoAssign(actor: Actor, code: string): Promise<Result<{ added: number; ended: number }, { problems: AssignmentProblem[] }>> {
  const round = await roundForOfficial(actor, code);
  if (round.phase !== "REVIEW" || round.awardsPublishedAt) return fail(409, "review.assign.closed", { detail: { problems: [] } });
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const [judges, proposals, live] = await Promise.all([judgesForAssignment(tx, round.id), proposalsForAssignment(tx, round.id), liveAssignments(tx, round.id)]);
    const result = assignJudges({ proposals, judges, k: round.judgesPerProposal, existing: toPairs(live) });
    if (!result.ok) return fail(409, assignmentMessages(result.problems, await namesOf(tx, round.id)), { detail: { problems: result.problems } });
    const keep = new Set(result.assignments.map((a) => `${a.proposalId}|${a.judgeId}`));
    const liveKeys = new Set(live.map((a) => `${a.proposalId}|${a.roundJudgeId}`));
    const now = new Date();
    const toEnd = live.filter((a) => !keep.has(`${a.proposalId}|${a.roundJudgeId}`));
    const dropReason = new Map(result.dropped.map((d) => [`${d.proposalId}|${d.judgeId}`, d.reason]));
    for (const a of toEnd) {
      const reason = dropReason.get(`${a.proposalId}|${a.roundJudgeId}`);
      await tx.reviewAssignment.update({
        where: { id: a.id },
        data: { endedAt: now, endReason: reason && reason !== "excess" && reason !== "duplicate" ? "CONFLICT" : "REBALANCE" },
      });
    }
    const added = result.assignments.filter((a) => !liveKeys.has(`${a.proposalId}|${a.judgeId}`));
    if (added.length) {
      await tx.reviewAssignment.createMany({
        data: added.map((a) => ({ roundId: round.id, proposalId: a.proposalId, roundJudgeId: a.judgeId, source: "AUTO", createdById: actor.id })),
      });
    }
    const counts = new Map<string, number>();
    for (const a of added) counts.set(a.judgeId, (counts.get(a.judgeId) ?? 0) + 1);
    await tellAssigned(tx, round, counts);
    await audit(tx, {
      actorId: actor.id,
      action: "review.autoAssign",
      objectType: "Round",
      objectId: round.id,
      after: { added: added.length, ended: toEnd.length, k: round.judgesPerProposal, loads: result.loads, balance: result.balance },
    });
    return ok({ added: added.length, ended: toEnd.length });
  });
}

/** An official replaces one judge by another on a proposal, under the same conflict rules. */
export async function swapJudge(
  actor: Actor,
  code: string,
  input: { proposalId: string; fromSeatId: string; toSeatId: string; confirmSubmitted?: boolean },
): Promise<Result> {
  const round = await roundForOfficial(actor, code);
  const refused = (problem: SwapProblem | "phase" | "submittedSheet") => fail(409, `review.swap.problem.${problem}`);
  if (round.phase !== "REVIEW" || round.awardsPublishedAt) return refused("phase");
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const [judges, proposals, live] = await Promise.all([judgesForAssignment(tx, round.id), proposalsForAssignment(tx, round.id), liveAssignments(tx, round.id)]);
    const problem = swapProblem(toPairs(live), { proposals, judges }, input.proposalId, input.fromSeatId, input.toSeatId);
    if (problem) return refused(problem);
    const old = live.find((a) => a.proposalId === input.proposalId && a.roundJudgeId === input.fromSeatId)!;
    const sheet = await tx.scoreSheet.findUnique({ where: { assignmentId: old.id }, select: { status: true } });
    if (sheet?.status === "SUBMITTED" && !input.confirmSubmitted) return refused("submittedSheet");
    await tx.reviewAssignment.update({ where: { id: old.id }, data: { endedAt: new Date(), endReason: "SWAP" } });
    const created = await tx.reviewAssignment.create({
      data: { roundId: round.id, proposalId: input.proposalId, roundJudgeId: input.toSeatId, source: "SWAP", createdById: actor.id },
    });
    await tellAssigned(tx, round, new Map([[input.toSeatId, 1]]));
    await audit(tx, {
      actorId: actor.id,
      action: "review.swap",
      objectType: "ReviewAssignment",
      objectId: created.id,
      before: { assignmentId: old.id, seatId: input.fromSeatId, sheet: sheet?.status ?? null },
      after: { proposalId: input.proposalId, seatId: input.toSeatId },
    });
    return ok();
  });
}

// ───────────────────────────── a judge declares a conflict on an assigned proposal ─────────────────────────────

/**
 * The judge holding a live assignment declares a conflict with its proposal: the declaration is
 * recorded, the assignment ends, and the least-loaded judge without conflict takes it (told by
 * inbox and email). Officials of the area are told either way — also when nobody can take it.
 */
export async function declareProposalConflict(actor: Pick<Actor, "id">, proposalId: string, raw: unknown): Promise<Result<{ reassigned: boolean }>> {
  const { proposal, seat } = await requireSeatFor(actor, proposalId);
  const parsed = DeclareConflictSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  if (proposal.round.phase !== "REVIEW" || proposal.round.awardsPublishedAt) return fail(409, "review.conflict.closed");

  return db().$transaction(async (tx) => {
    await lockRound(tx, proposal.roundId);
    const assignment = await tx.reviewAssignment.findFirst({ where: { proposalId, roundJudgeId: seat.id, endedAt: null } });
    if (!assignment) forbidden();
    const [judges, proposals, live] = await Promise.all([judgesForAssignment(tx, proposal.roundId), proposalsForAssignment(tx, proposal.roundId), liveAssignments(tx, proposal.roundId)]);
    const declaration = await tx.conflictDeclaration.create({
      data: { roundJudgeId: seat.id, proposalId, kind: parsed.data.kind, note: parsed.data.note },
    });
    await tx.reviewAssignment.update({ where: { id: assignment.id }, data: { endedAt: new Date(), endReason: "CONFLICT" } });
    // the declaring judge now conflicts with the proposal
    const withDeclaration = judges.map((j) => (j.id === seat.id ? { ...j, declaredConflicts: [...j.declaredConflicts, { proposalId, kind: parsed.data.kind }] } : j));
    const result = reassignAfterConflict(toPairs(live), { proposals, judges: withDeclaration }, seat.id, proposalId);
    let replacement: string | null = null;
    if (result.ok) {
      replacement = result.replacement.toJudgeId;
      await tx.reviewAssignment.create({ data: { roundId: proposal.roundId, proposalId, roundJudgeId: replacement, source: "REASSIGN" } });
      await tellAssigned(tx, proposal.round, new Map([[replacement, 1]]));
    }
    const replacementName = replacement ? (await tx.roundJudge.findUniqueOrThrow({ where: { id: replacement }, select: { name: true } })).name : null;
    for (const userId of await officialIdsOver(tx, proposal.round.area.path)) {
      await notify(tx, {
        userId,
        kind: replacementName ? "review.reassigned" : "review.short",
        params: { round: proposal.round.title, referenceNo: proposal.referenceNo ?? "", judge: seat.name, replacement: replacementName ?? "" },
        link: `/admin/rounds/${proposal.round.code}/review`,
      });
    }
    await audit(tx, {
      actorId: actor.id,
      action: "review.conflictDeclared",
      objectType: "ConflictDeclaration",
      objectId: declaration.id,
      before: { assignmentId: assignment.id },
      after: { proposalId, seatId: seat.id, kind: parsed.data.kind, replacementSeatId: replacement },
    });
    return ok({ reassigned: !!replacement });
  });
}

