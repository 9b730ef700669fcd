import { describe, expect, it } from "vitest";
import { person, rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { form as formBody, outcome, signedInRequest } from "../support/requests";
import { assignAll, reviewRound, submitSheet, type ReviewFixture } from "../support/review-fixture";
import { accountCodes, transfer } from "~/domain/ledger";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import {
  acceptJudgeInvitation,
  autoAssign,
  declareProposalConflict,
  inviteJudge,
  judgeInvitation,
  reviewOverview,
  swapJudge,
} from "~/services/review/judges.server";
import { reopenSheet, saveSheet, sendScoringReminders, sheetFor } from "~/services/review/scoring.server";
import {
  finalizeDueAwards,
  fileObjection,
  publicNotice,
  publicVoteState,
  publishAwards,
  resolveObjection,
  resultsPage,
  roundObjections,
  setOverride,
  setPublicVote,
  setRoadshowScore,
} from "~/services/awards/awards.server";
import { requireReviewAccess } from "~/services/review/access.server";
import { sha256 } from "~/lib/crypto.server";
import * as layoutRoute from "~/routes/admin.rounds.$code.layout";
import * as reviewRoute from "~/routes/admin.rounds.$code.review";

/**
 * Fixed instants for publishing and objecting: notices are counted with the statutory calendar, which
 * refuses a year it lacks, so a test must not publish at whatever "now" is when it runs.
 */
const PUBLISHED = new Date("2026-11-27T10:00:00+08:00");
const DURING = new Date("2026-11-30T10:00:00+08:00");

/** Scores every criterion of the default rubric at `share` of its maximum, in half points. */
const form = (share: number) => ({
  scores: { need: String(25 * share), design: String(25 * share), capacity: String(20 * share), budget: String(15 * share), sustainability: String(15 * share) },
  comments: {},
  overallComment: "",
});

async function fundPool(f: ReviewFixture, fen: number) {
  await db().$transaction(async (tx) => {
    await ensureAccount(tx, { code: accountCodes.externalAppropriation("test"), kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Budget" });
    await ensureAccount(tx, { code: accountCodes.roundPool(f.round.id), kind: "ROUND_POOL", nameZh: "池", nameEn: "Pool", foundationId: f.foundation.id, ownerId: f.round.id });
    await postTransaction(tx, { idempotencyKey: `fund:${f.round.id}`, kind: "TEST", memo: "test", entries: transfer(accountCodes.externalAppropriation("test"), accountCodes.roundPool(f.round.id), fen) });
  });
}

describe("judges: invitation, conflicts, assignment", () => {
  it("invites by email, accepts only with the invited account, records declared conflicts, and never assigns a conflicted judge", async () => {
    const f = await reviewRound({ proposals: 4, judges: 5, round: { judgesPerProposal: 3 } });
    const expert = await person([], { name: `专家${uid().slice(0, 4)}` });
    const official = { ...f.official, name: "王主任" };
    expect(await inviteJudge(official, f.round.code, { name: expert.name, email: expert.email.toUpperCase() })).toEqual({ ok: true, resent: false });
    const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: expert.email, template: "judge-invitation" } });
    const token = /\/judging\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect(await db().roundJudge.count({ where: { tokenHash: sha256(token) } })).toBe(1);
    expect(await inviteJudge(official, f.round.code, { name: "x", email: "not-an-email" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, fieldErrors: { email: ["review.invite.emailInvalid"] } }),
    });
    await rejectsWithStatus(inviteJudge({ ...f.stranger, name: "x" }, f.round.code, { name: "x", email: "x@example.com" }), 403);

    // another account cannot accept it
    const other = await person();
    expect(await acceptJudgeInvitation(other, token, { rows: [], noConflicts: true, employerUsccs: "" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 403, formErrors: ["review.accept.wrongAccount"] }),
    });
    // the expert must declare or confirm none, and may declare only organizations that applied
    expect(await acceptJudgeInvitation(expert, token, { rows: [], noConflicts: false, employerUsccs: "" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, formErrors: ["review.accept.declareOrConfirm"] }),
    });
    expect(await acceptJudgeInvitation(expert, token, { rows: [{ organizationId: "not-an-applicant", kind: "OTHER" }], employerUsccs: "" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, formErrors: ["review.accept.unknownOrganization"] }),
    });
    const view = await judgeInvitation(token, expert);
    expect(view.organizations!.map((o) => o.id).sort()).toEqual(f.organizations.map((o) => o.id).sort());
    const conflictOrg = f.organizations[0]!;
    expect(await acceptJudgeInvitation(expert, token, { rows: [{ organizationId: conflictOrg.id, kind: "ADVISOR", note: "顾问" }], noConflicts: false, employerUsccs: "" })).toMatchObject({ ok: true });
    const seat = await db().roundJudge.findFirstOrThrow({ where: { roundId: f.round.id, email: expert.email } });
    expect(seat.status).toBe("ACCEPTED");

    // one fixture judge is a member of proposal 2's organization (detected conflict)
    await db().organizationMember.create({ data: { organizationId: f.organizations[1]!.id, userId: f.judges[0]!.id, name: f.judges[0]!.name } });

    expect(await autoAssign(f.official, f.round.code)).toMatchObject({ ok: true, added: 12 });
    const live = await db().reviewAssignment.findMany({ where: { roundId: f.round.id, endedAt: null } });
    expect(live.some((a) => a.roundJudgeId === seat.id && a.proposalId === f.proposals[0]!.id)).toBe(false);
    expect(live.some((a) => a.roundJudgeId === f.judges[0]!.seat.id && a.proposalId === f.proposals[1]!.id)).toBe(false);
    for (const p of f.proposals) expect(live.filter((a) => a.proposalId === p.id)).toHaveLength(3);
    const loads = [...f.judges.map((j) => j.seat.id), seat.id].map((id) => live.filter((a) => a.roundJudgeId === id).length);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    // judges were told (inbox + one email each)
    expect(await db().emailMessage.count({ where: { template: "judge-assignment", toAddress: { in: [...f.judges.map((j) => j.email), expert.email] } } })).toBe(6);

    // running it again changes nothing; a stranger gets 403
    expect(await autoAssign(f.official, f.round.code)).toMatchObject({ ok: true, added: 0, ended: 0 });
    await rejectsWithStatus(autoAssign(f.stranger, f.round.code), 403);
    await rejectsWithStatus(reviewOverview(f.stranger, f.round.code, 1), 403);
    const overview = await reviewOverview(f.official, f.round.code, 1);
    expect(overview.rows[0]!.cells.find((c) => c.seatId === seat.id)).toMatchObject({ state: "conflict", reason: "declaredOrganization" });

    // a swap onto a conflicted judge is refused
    const onFirst = live.find((a) => a.proposalId === f.proposals[0]!.id)!;
    expect(await swapJudge(f.official, f.round.code, { proposalId: f.proposals[0]!.id, fromSeatId: onFirst.roundJudgeId, toSeatId: seat.id })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ["review.swap.problem.declaredOrganization"] }),
    });
  });

  it("explains an impossible assignment and writes nothing; two simultaneous runs assign once", async () => {
    const f = await reviewRound({ proposals: 2, judges: 3, round: { judgesPerProposal: 3 } });
    await db().conflictDeclaration.create({ data: { roundJudgeId: f.judges[0]!.seat.id, organizationId: f.organizations[0]!.id, kind: "RELATED" } });
    const result = await autoAssign(f.official, f.round.code);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.status).toBe(409);
      expect(result.problem.detail!.problems).toEqual([expect.objectContaining({ code: "notEnoughEligibleJudges", proposalId: f.proposals[0]!.id, eligible: 2, required: 3 })]);
      // the message names the proposal by its reference and the conflicted judge
      expect(result.problem.formErrors).toEqual([expect.stringContaining(`"proposal":"${f.proposals[0]!.referenceNo}"`)]);
      expect(result.problem.formErrors[0]).toContain(f.judges[0]!.name);
    }
    expect(await db().reviewAssignment.count({ where: { roundId: f.round.id } })).toBe(0);

    const g = await reviewRound({ proposals: 3, judges: 4, round: { judgesPerProposal: 2 } });
    const both = await Promise.all([autoAssign(g.official, g.round.code), autoAssign(g.official, g.round.code)]);
    expect(both.map((b) => (b.ok ? b.added : -1)).sort()).toEqual([0, 6]);
    expect(await db().reviewAssignment.count({ where: { roundId: g.round.id, endedAt: null } })).toBe(6);
  });

  it("a judge declaring a conflict on an assigned proposal is replaced, the replacement and officials are told, and the judge is then refused (403)", async () => {
    const f = await reviewRound({ proposals: 2, judges: 4, round: { judgesPerProposal: 3 } });
    expect(await autoAssign(f.official, f.round.code)).toMatchObject({ ok: true, added: 6 });
    const target = f.proposals[0]!;
    const onIt = await db().reviewAssignment.findMany({ where: { proposalId: target.id, endedAt: null } });
    const leaving = f.judges.find((j) => onIt.some((a) => a.roundJudgeId === j.seat.id))!;
    const outsider = f.judges.find((j) => !onIt.some((a) => a.roundJudgeId === j.seat.id))!;
    await expect(requireReviewAccess(leaving, target.id)).resolves.toBeTruthy();
    await rejectsWithStatus(requireReviewAccess(outsider, target.id), 403);
    await rejectsWithStatus(sheetFor(outsider, target.id), 403);
    await rejectsWithStatus(saveSheet(outsider, target.id, { ...form(0.8), version: 1, submit: true }), 403);
    await rejectsWithStatus(declareProposalConflict(outsider, target.id, { kind: "RELATED" }), 403);

    expect(await declareProposalConflict(leaving, target.id, { kind: "RELATED", note: "亲属在该组织任职" })).toEqual({ ok: true, reassigned: true });
    const now = await db().reviewAssignment.findMany({ where: { proposalId: target.id, endedAt: null } });
    expect(now.map((a) => a.roundJudgeId).sort()).toEqual(onIt.filter((a) => a.roundJudgeId !== leaving.seat.id).map((a) => a.roundJudgeId).concat(outsider.seat.id).sort());
    await rejectsWithStatus(sheetFor(leaving, target.id), 403);
    await rejectsWithStatus(saveSheet(leaving, target.id, { ...form(0.8), version: 1, submit: false }), 403);
    expect(await db().notification.count({ where: { userId: outsider.id, kind: "review.assigned" } })).toBeGreaterThan(0);
    expect(await db().notification.count({ where: { userId: f.official.id, kind: "review.reassigned" } })).toBe(1);
    await expect(sheetFor(outsider, target.id)).resolves.toBeTruthy();
  });
});

describe("scoring", () => {
  it("saves drafts, submits once (then locked, also in the database), hides identity in blind review, and only an official of the area reopens", async () => {
    const f = await reviewRound({ proposals: 1, judges: 2, round: { blindReview: true } });
    await assignAll(f);
    const [judge] = f.judges;
    const p = f.proposals[0]!;
    const view = await sheetFor(judge!, p.id);
    expect(JSON.stringify(view)).not.toContain(f.organizations[0]!.name);
    expect(JSON.stringify(view)).not.toContain("队员1");
    expect(view.proposal.organization).toBeNull();

    expect(await saveSheet(judge!, p.id, { scores: { need: "30" }, comments: {}, overallComment: "", version: 1, submit: false })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, formErrors: ["scoring.error.fix"], fieldErrors: { "score.need": ['scoring.error.overMax|{"max":25}'] } }),
    });
    expect(await saveSheet(judge!, p.id, { scores: { need: "20.5" }, comments: { need: "需求清楚" }, overallComment: "", version: 0, submit: false })).toEqual({ ok: true, submitted: false });
    // a second tab still holding the empty sheet (version 0) does not overwrite it
    expect(await saveSheet(judge!, p.id, { scores: { need: "20" }, comments: {}, overallComment: "", version: 0, submit: false })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ["scoring.error.stale"], detail: expect.objectContaining({ version: 1, savedBy: judge!.seat.name }) }),
    });
    expect(await saveSheet(judge!, p.id, { ...form(0.8), version: 1, submit: true })).toEqual({ ok: true, submitted: true });
    expect(await saveSheet(judge!, p.id, { ...form(0.5), version: 2, submit: true })).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["scoring.error.locked"] }) });
    const sheet = await db().scoreSheet.findFirstOrThrow({ where: { proposalId: p.id, roundJudgeId: judge!.seat.id } });
    await expect(db().scoreSheet.update({ where: { id: sheet.id }, data: { scores: { need: 1 } } })).rejects.toThrow(/locked/);

    await rejectsWithStatus(reopenSheet({ ...f.stranger }, f.round.code, { sheetId: sheet.id, reason: "复核" }), 403);
    expect(await reopenSheet(f.official, f.round.code, { sheetId: sheet.id, reason: " " })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, fieldErrors: { reason: ["scoring.reopen.reasonRequired"] } }),
    });
    expect(await reopenSheet(f.official, f.round.code, { sheetId: sheet.id, reason: "评分与评语不一致，请复核" })).toEqual({ ok: true });
    expect(await reopenSheet(f.official, f.round.code, { sheetId: sheet.id, reason: "再次退回" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ["scoring.reopen.notSubmitted"] }),
    });
    expect((await db().scoreSheet.findUniqueOrThrow({ where: { id: sheet.id } })).status).toBe("DRAFT");
    expect(await db().auditLog.count({ where: { objectId: sheet.id, action: "score.reopen" } })).toBe(1);
    expect(await db().notification.count({ where: { userId: judge!.id, kind: "scoring.reopened" } })).toBe(1);
  });
});

describe("two tabs saving one score sheet at once", () => {
  it("the write is conditional on the version the form was loaded with: exactly one save wins, the other is a 409 with the newer version", async () => {
    const f = await reviewRound({ proposals: 1, judges: 1 });
    await assignAll(f);
    const [judge] = f.judges;
    const p = f.proposals[0]!;
    const tab = (need: string, version: number) => saveSheet(judge!, p.id, { scores: { need }, comments: {}, overallComment: "", version, submit: false });

    // no sheet yet: both tabs loaded version 0
    const first = await Promise.all([tab("20", 0), tab("21", 0)]);
    expect(first.filter((r) => r.ok)).toHaveLength(1);
    expect(first.filter((r) => !r.ok)).toEqual([{ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["scoring.error.stale"], detail: expect.objectContaining({ version: 1 }) }) }]);
    expect(await db().scoreSheet.count({ where: { proposalId: p.id } })).toBe(1);

    // a draft at version 1: both tabs loaded it
    const second = await Promise.all([tab("22", 1), tab("23", 1)]);
    expect(second.filter((r) => r.ok)).toHaveLength(1);
    expect(second.filter((r) => !r.ok)).toEqual([{ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["scoring.error.stale"], detail: expect.objectContaining({ version: 2, savedBy: judge!.seat.name }) }) }]);
    const sheet = await db().scoreSheet.findFirstOrThrow({ where: { proposalId: p.id } });
    expect(sheet.version).toBe(2);
    // what is stored is the winner's score
    const winner = second.findIndex((r) => r.ok);
    expect((sheet.scores as Record<string, number>).need).toBe(winner === 0 ? 22 : 23);
  });
});

describe("roadshow scores and public votes", () => {
  it("feed the composite with the round's weights; votes are one per account and can be withdrawn; both close with publishing", async () => {
    const f = await reviewRound({ proposals: 2, judges: 1, round: { weightReview: 60, weightRoadshow: 20, weightPublicVote: 20 } });
    await assignAll(f);
    for (const p of f.proposals) await submitSheet(f, p.id, f.judges[0]!.seat.id, (_k, max) => max * 0.5);
    const [p1, p2] = f.proposals;
    expect(await setRoadshowScore(f.official, f.round.code, p1!.id, "101")).toEqual({ ok: false, problem: expect.objectContaining({ status: 400, fieldErrors: { score: ["roadshow.invalid"] } }) });
    expect(await setRoadshowScore(f.official, f.round.code, p1!.id, "90.5")).toEqual({ ok: true });
    await rejectsWithStatus(setRoadshowScore(f.stranger, f.round.code, p1!.id, "80"), 403);

    const voters = await Promise.all([person(), person(), person()]);
    for (const v of voters) expect(await setPublicVote(v, f.round.code, p2!.referenceNo!, true)).toEqual({ ok: true });
    await setPublicVote(voters[0]!, f.round.code, p2!.referenceNo!, true); // twice: still one vote
    await setPublicVote(voters[1]!, f.round.code, p1!.referenceNo!, true);
    await setPublicVote(voters[1]!, f.round.code, p1!.referenceNo!, false);
    expect((await publicVoteState(voters[0]!, f.round.code)).counts).toEqual({ [p2!.referenceNo!]: 3 });

    const page = await resultsPage(f.official, f.round.code);
    const row = (id: string) => page.rows.find((r) => r.proposalId === id)!;
    // p1: 50 × 0.6 + 90.5 × 0.2 + 0 = 48.1; p2: 50 × 0.6 + 0 + 100 × 0.2 = 50
    expect(row(p1!.id).composite).toBeCloseTo(48.1, 9);
    expect(row(p2!.id).composite).toBeCloseTo(50, 9);
    expect(row(p2!.id).rank).toBe(1);

    await publishAwards(f.official, f.round.code, { force: true, now: PUBLISHED });
    expect(await setPublicVote(voters[2]!, f.round.code, p1!.referenceNo!, true)).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["publicVote.closed"] }) });
    expect(await setRoadshowScore(f.official, f.round.code, p1!.id, "80")).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["allocation.closed"] }) });
  });
});

describe("scoring reminders", () => {
  it("reminds only judges with unfinished sheets, within three days of the deadline, at most once in 20 hours", async () => {
    const deadline = new Date("2026-06-10T00:00:00+08:00");
    const f = await reviewRound({ proposals: 1, judges: 2, round: { noticeStartsAt: deadline } });
    await assignAll(f);
    await submitSheet(f, f.proposals[0]!.id, f.judges[0]!.seat.id);
    const reminders = (to: string) => db().emailMessage.count({ where: { toAddress: to, template: "scoring-reminder" } });

    await sendScoringReminders(new Date("2026-06-05T09:00:00+08:00")); // too early
    expect(await reminders(f.judges[1]!.email)).toBe(0);
    await sendScoringReminders(new Date("2026-06-08T09:00:00+08:00"));
    expect(await reminders(f.judges[1]!.email)).toBe(1);
    expect(await reminders(f.judges[0]!.email)).toBe(0); // finished
    await sendScoringReminders(new Date("2026-06-08T20:00:00+08:00")); // within 20 hours
    expect(await reminders(f.judges[1]!.email)).toBe(1);
    await sendScoringReminders(new Date("2026-06-09T09:00:00+08:00"));
    expect(await reminders(f.judges[1]!.email)).toBe(2);
    await sendScoringReminders(new Date("2026-06-10T09:00:00+08:00")); // deadline passed
    expect(await reminders(f.judges[1]!.email)).toBe(2);
    expect(await db().notification.count({ where: { userId: f.judges[1]!.id, kind: "scoring.reminder" } })).toBe(2);
  });
});

describe("publishing, objections and finalisation", () => {
  /** 3 proposals scored by 5 judges (0.9, 0.8, 0.7 of the maxima); pool ¥25,000, requests ¥12,000 each. */
  async function scored() {
    const f = await reviewRound({ proposals: 3, judges: 5, round: { poolFen: 2_500_000n }, requestedFen: () => 1_200_000 });
    await assignAll(f);
    const shares = [0.9, 0.8, 0.7];
    for (const [i, p] of f.proposals.entries()) for (const j of f.judges) await submitSheet(f, p.id, j.seat.id, (_k, max) => Math.round(max * shares[i]! * 2) / 2);
    await fundPool(f, 2_500_000);
    return f;
  }

  it("publishes awards within the pool, opens a notice of working days, moves to NOTICE and schedules finalisation", async () => {
    const f = await scored();
    await rejectsWithStatus(publishAwards(f.stranger, f.round.code), 403);
    expect(await setOverride(f.official, f.round.code, { proposalId: f.proposals[2]!.id, kind: "fund", reason: "" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, fieldErrors: { reason: ["allocation.override.reasonRequired"] } }),
    });
    expect(await setOverride(f.official, f.round.code, { proposalId: f.proposals[2]!.id, kind: "amount", reason: "社区急需，按核定金额资助" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, fieldErrors: { amountFen: ["allocation.override.amountRequired"] } }),
    });
    const page = await resultsPage(f.official, f.round.code);
    expect(page.rows.map((r) => [r.referenceNo, r.line?.outcome, r.line?.awardFen])).toEqual([
      [f.proposals[0]!.referenceNo, "FUNDED", 1_200_000],
      [f.proposals[1]!.referenceNo, "FUNDED", 1_200_000],
      [f.proposals[2]!.referenceNo, "WAITLIST", 0],
    ]);
    expect(page.rows[0]!.trimmed).toBe(true);

    // published on a Friday: Mon 30 Nov – Fri 4 Dec are the five working days; the notice ends at midnight after them
    const friday = new Date("2026-11-27T10:00:00+08:00");
    expect(await publishAwards(f.official, f.round.code, { now: friday })).toMatchObject({ ok: true, noticeEndsAt: "2026-12-04T16:00:00.000Z" });
    expect(await publishAwards(f.official, f.round.code)).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["publish.closed"] }) });
    const round = await db().round.findUniqueOrThrow({ where: { id: f.round.id } });
    expect(round.phase).toBe("NOTICE");
    const awards = await db().award.findMany({ where: { roundId: f.round.id } });
    expect(awards.reduce((s, a) => s + a.awardFen, 0)).toBeLessThanOrEqual(2_500_000);
    const job = await db().$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`finalize:${f.round.id}`}`;
    expect(job[0]!.run_at.toISOString()).toBe("2026-12-04T16:00:00.000Z");
  });

  it("keeps the objector private, publishes a dismissal, and an upheld objection restarts the notice of the changed items only", async () => {
    const f = await scored();
    expect(await publishAwards(f.official, f.round.code, { now: PUBLISHED })).toMatchObject({ ok: true });
    const resident = await person([], { name: `异议人${uid().slice(0, 4)}` });
    expect(await fileObjection(resident, f.round.code, { proposalId: f.proposals[0]!.id, reason: "短" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, fieldErrors: { reason: ["objection.reasonTooShort"] } }),
    });
    expect(await fileObjection(resident, f.round.code, { proposalId: f.proposals[0]!.id, reason: "该组织负责人同时是评审专家的亲属，请核查。" }, null, DURING)).toEqual({ ok: true });
    expect(await fileObjection(resident, f.round.code, { proposalId: f.proposals[1]!.id, reason: "该项目与去年资助项目内容完全相同。" }, null, DURING)).toEqual({ ok: true });
    expect(await db().emailMessage.count({ where: { toAddress: resident.email, template: "objection-update" } })).toBe(2);

    const notice = await publicNotice(f.round.code);
    expect(JSON.stringify(notice)).not.toContain(resident.name);
    expect(JSON.stringify(notice)).not.toContain(resident.email);
    const list = await roundObjections(f.official, f.round.code);
    expect(list.objections[0]!.user.name).toBe(resident.name);
    await rejectsWithStatus(roundObjections(f.stranger, f.round.code), 403);

    const [first, second] = list.objections;
    expect(await resolveObjection(f.official, f.round.code, { objectionId: first!.id, decision: "dismiss", resolution: "经核查，评审专家与该组织无亲属关系。" })).toMatchObject({ ok: true, changed: 0 });
    expect(await resolveObjection(f.official, f.round.code, { objectionId: first!.id, decision: "uphold", resolution: "再次处理同一异议。" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ["objection.alreadyResolved"] }),
    });
    expect((await publicNotice(f.round.code)).awards[0]!.objections[0]).toMatchObject({ status: "DISMISSED", resolution: "经核查，评审专家与该组织无亲属关系。" });

    const before = await db().award.findMany({ where: { roundId: f.round.id }, orderBy: { rank: "asc" } });
    const later = new Date(DURING.getTime() + 60_000);
    expect(await resolveObjection(f.official, f.round.code, { objectionId: second!.id, decision: "uphold", resolution: "重复申报，取消资助。", action: "exclude" }, later)).toMatchObject({ ok: true, changed: 2 });
    const after = await db().award.findMany({ where: { roundId: f.round.id }, orderBy: { rank: "asc" } });
    expect(after.map((a) => [a.outcome, a.awardFen])).toEqual([["FUNDED", 1_200_000], ["EXCLUDED", 0], ["FUNDED", 1_200_000]]);
    expect(after[0]!.noticeEndsAt).toEqual(before[0]!.noticeEndsAt);
    expect(after[1]!.noticeStartsAt).toEqual(later);
    expect(after[2]!.noticeStartsAt).toEqual(later);
    expect(after[2]!.version).toBe(2);
  });

  it("finalises only after the notice with no open objection: awards FINAL, money committed once, applicants emailed", async () => {
    const f = await scored();
    expect(await publishAwards(f.official, f.round.code, { now: PUBLISHED })).toMatchObject({ ok: true });
    const resident = await person();
    await fileObjection(resident, f.round.code, { proposalId: f.proposals[0]!.id, reason: "请公开评分细则与各评委分数。" }, null, DURING);
    const end = (await db().award.findFirstOrThrow({ where: { roundId: f.round.id } })).noticeEndsAt;
    const afterEnd = new Date(end.getTime() + 1000);

    expect((await finalizeDueAwards(new Date(end.getTime() - 1000))).rounds).not.toContain(f.round.id);
    expect((await finalizeDueAwards(afterEnd)).rounds).not.toContain(f.round.id); // an objection is open
    const [objection] = (await roundObjections(f.official, f.round.code)).objections;
    await resolveObjection(f.official, f.round.code, { objectionId: objection!.id, decision: "dismiss", resolution: "评分明细已在公示页公开。" });

    const runs = await Promise.all([finalizeDueAwards(afterEnd), finalizeDueAwards(afterEnd)]);
    expect(runs.filter((r) => r.rounds.includes(f.round.id))).toHaveLength(1);
    expect((await finalizeDueAwards(afterEnd)).rounds).not.toContain(f.round.id);
    const awards = await db().award.findMany({ where: { roundId: f.round.id } });
    expect(awards.every((a) => a.status === "FINAL")).toBe(true);
    const funded = awards.filter((a) => a.awardFen > 0);
    expect(await balanceFen(db() as never, accountCodes.roundPool(f.round.id))).toBe(2_500_000 - funded.reduce((s, a) => s + a.awardFen, 0));
    for (const a of funded) expect(await balanceFen(db() as never, accountCodes.awardCommitted(a.id))).toBe(a.awardFen);
    const report = await verifyLedger(db());
    expect(report.problems).toEqual([]);
    // each funded award became a project whose agreement waits for the applicant
    const projects = await db().project.findMany({ where: { roundId: f.round.id }, include: { tranches: true } });
    expect(projects.map((p) => p.awardId).sort()).toEqual(funded.map((a) => a.id).sort());
    for (const p of projects) {
      expect(p.status).toBe("AWAITING_ACCEPTANCE");
      expect(p.tranches.reduce((s, t) => s + t.amountFen, 0)).toBe(p.awardFen);
    }
    // one result email per applicant (each organization has one member with an account)
    expect(await db().emailMessage.count({ where: { template: "award-result", toAddress: { in: f.applicants.map((a) => a.email) } } })).toBe(3);
    expect((await db().round.findUniqueOrThrow({ where: { id: f.round.id } })).awardsFinalizedAt).not.toBeNull();
  });
});

describe("the round's admin frame and the review page's forms", () => {
  /** Status and body of what a loader or action answered (a redirect, `data(…, { status })`, or a plain object). */
  const answer = async (run: () => Promise<unknown>) => {
    const o = await outcome(run);
    const value = o.value as { init?: { status?: number } | null; data?: unknown } | undefined;
    return { status: value?.init?.status ?? o.status, location: o.location, body: (value && "data" in value ? value.data : value) as Record<string, unknown> | undefined };
  };

  it("the frame's loader authorizes the viewer for the round itself and loads its header", async () => {
    const f = await reviewRound({ proposals: 1, judges: 1 });
    const load = async (userId: string, code = f.round.code) =>
      answer(async () => layoutRoute.loader({ request: await signedInRequest(userId, `/admin/rounds/${code}`), params: { code }, context: {} } as never));
    expect(await load(f.official.id)).toMatchObject({ status: 200, body: { round: { code: f.round.code, title: f.round.title, phase: "REVIEW" } } });
    expect((await load(f.stranger.id)).status).toBe(403);
    expect((await load(f.official.id, "NO-SUCH-ROUND")).status).toBe(404);
    // the pages below check again on their own (a parent's loader does not guard its children)
    const page = await answer(async () =>
      reviewRoute.loader({ request: await signedInRequest(f.stranger.id, `/admin/rounds/${f.round.code}/review`), params: { code: f.round.code }, context: {} } as never),
    );
    expect(page.status).toBe(403);
  });

  it("answers each intent of the review page: invalid input is a 400 with errors by field, an unknown intent a 400, a refusal the service's status", async () => {
    const f = await reviewRound({ proposals: 2, judges: 3, round: { judgesPerProposal: 3 } });
    const url = `/admin/rounds/${f.round.code}/review`;
    const post = async (fields: Record<string, string>) =>
      answer(async () => reviewRoute.action({ request: await signedInRequest(f.official.id, url, formBody(fields)), params: { code: f.round.code }, context: {} } as never));

    const bad = await post({ intent: "invite", name: "郑强", email: "not-an-email" });
    expect(bad).toMatchObject({ status: 400, body: { intent: "invite", result: { error: { email: ["review.invite.emailInvalid"] } } } });
    expect((bad.body!.result as { initialValue: Record<string, unknown> }).initialValue).toMatchObject({ name: "郑强", email: "not-an-email" });
    expect(await post({ intent: "nonsense" })).toMatchObject({ status: 400 });
    expect(await post({ intent: "invite", name: "郑强", email: `z${uid().slice(0, 6)}@example.com` })).toMatchObject({ status: 302, location: `${url}?done=invited` });

    // one judge conflicts with the first proposal: three judges per proposal cannot be found
    await db().conflictDeclaration.create({ data: { roundJudgeId: f.judges[0]!.seat.id, organizationId: f.organizations[0]!.id, kind: "RELATED" } });
    const refused = await post({ intent: "assign" });
    expect(refused).toMatchObject({ status: 409, body: { intent: "assign", result: { error: { "": [expect.stringContaining("review.assign.notEnough")] } } } });
    expect((refused.body!.detail as { problems: unknown[] }).problems).toHaveLength(1);
  });
});
