import { describe, expect, it } from "vitest";
import { db } from "../support/db";
import { assignAll, reviewRound, submitSheet, type ReviewFixture } from "../support/review-fixture";
import { rankRound } from "~/domain/ranking";
import { DEFAULT_RUBRIC } from "~/domain/rounds";
import { reviewRoundSelect } from "~/services/review/access.server";
import { officialResultsExport } from "~/services/review/results-export.server";
import { roundResults } from "~/services/review/results.server";

/**
 * Which stored sheets `roundResults` reads (aggregated in one SQL query): the SUBMITTED sheets of
 * the round whose assignment is live and whose proposal is ELIGIBLE, with their scores as stored.
 * Each filter has a sheet here that only it keeps out.
 */

/** Judge j's points on proposal i: a different share of each maximum per pair, in half points. */
const points = (i: number, j: number) => (_key: string, max: number) => Math.round(max * (0.45 + 0.1 * ((i * 3 + j) % 5)) * 2) / 2;
const scoresOf = (i: number, j: number) => Object.fromEntries(DEFAULT_RUBRIC.map((c) => [c.key, points(i, j)(c.key, c.maxPoints)]));

const stored = (f: ReviewFixture) => db().round.findUniqueOrThrow({ where: { id: f.round.id }, select: reviewRoundSelect });
const byKey = <T extends { proposalId: string; judgeId: string }>(list: T[]) =>
  [...list].sort((a, b) => (a.proposalId + a.judgeId < b.proposalId + b.judgeId ? -1 : a.proposalId + a.judgeId > b.proposalId + b.judgeId ? 1 : 0));

describe("the sheets the results are computed from", () => {
  it("counts only SUBMITTED sheets of live assignments on ELIGIBLE proposals of the round, and ranks them as the pure ranking does (z-scores on)", async () => {
    const f = await reviewRound({ proposals: 4, judges: 3, round: { zScore: true } });
    await assignAll(f);
    const [p1, p2, p3, p4] = f.proposals;
    const [j1, j2, j3] = f.judges;
    for (const [i, p] of f.proposals.entries()) {
      for (const [j, judge] of f.judges.entries()) {
        if (p === p1 && judge === j3) continue;
        await submitSheet(f, p.id, judge.seat.id, points(i, j));
      }
    }
    // p1, judge 3: a draft (scored, not submitted)
    const draftAssignment = await db().reviewAssignment.findFirstOrThrow({ where: { proposalId: p1!.id, roundJudgeId: j3!.seat.id } });
    await db().scoreSheet.create({
      data: { assignmentId: draftAssignment.id, roundId: f.round.id, proposalId: p1!.id, roundJudgeId: j3!.seat.id, status: "DRAFT", scores: scoresOf(0, 2) },
    });
    // p2, judge 3: submitted, then the judge declared a conflict and the assignment ended
    await db().reviewAssignment.updateMany({ where: { proposalId: p2!.id, roundJudgeId: j3!.seat.id }, data: { endedAt: new Date(), endReason: "CONFLICT" } });
    // p4: all three sheets submitted, then the proposal found ineligible
    await db().proposal.update({ where: { id: p4!.id }, data: { status: "INELIGIBLE" } });
    // another round's submitted sheet, on an eligible proposal
    const other = await reviewRound({ proposals: 1, judges: 1 });
    await assignAll(other);
    await submitSheet(other, other.proposals[0]!.id, other.judges[0]!.seat.id);

    const round = await stored(f);
    const results = await roundResults(db(), round);
    const counted = [
      { proposalId: p1!.id, judgeId: j1!.seat.id, scores: scoresOf(0, 0) },
      { proposalId: p1!.id, judgeId: j2!.seat.id, scores: scoresOf(0, 1) },
      { proposalId: p2!.id, judgeId: j1!.seat.id, scores: scoresOf(1, 0) },
      { proposalId: p2!.id, judgeId: j2!.seat.id, scores: scoresOf(1, 1) },
      { proposalId: p3!.id, judgeId: j1!.seat.id, scores: scoresOf(2, 0) },
      { proposalId: p3!.id, judgeId: j2!.seat.id, scores: scoresOf(2, 1) },
      { proposalId: p3!.id, judgeId: j3!.seat.id, scores: scoresOf(2, 2) },
    ];
    expect(byKey(results.sheets)).toEqual(byKey(counted));
    expect(results.proposals.map((p) => p.id)).toEqual([p1!.id, p2!.id, p3!.id]);

    // the same ranking, ties and z-scores as the pure ranking over exactly those sheets
    const expected = rankRound({
      rubric: DEFAULT_RUBRIC,
      weights: { review: 100, roadshow: 0, publicVote: 0 },
      options: { zScore: true, disagreementRange: round.disagreementRange },
      proposals: [p1!, p2!, p3!].map((p) => ({ id: p.id, submittedAt: p.submittedAt!, roadshowScore: null, publicVotes: 0 })),
      sheets: counted,
    });
    expect(expected.ok).toBe(true);
    expect(results.ranking).toEqual(expected);
    const row = (id: string) => (results.ranking.ok ? results.ranking.ranking.rows.find((r) => r.proposalId === id)! : null);
    expect(row(p1!.id)!.judgeTotals.map((t) => t.judgeId).sort()).toEqual([j1!.seat.id, j2!.seat.id].sort());
    expect(row(p2!.id)!.judgeCount).toBe(2);
    expect(results.allocation?.ok).toBe(true);

    // the officials' export shows the counted scores under the judges' names, nothing else
    const exported = await (await officialResultsExport(f.official, f.round.code, "json")).json();
    const exportedRow = exported.rows.find((r: { referenceNo: string }) => r.referenceNo === p1!.referenceNo);
    expect(exportedRow.scores).toEqual({ [j1!.name]: scoresOf(0, 0), [j2!.name]: scoresOf(0, 1) });
  });

  it("passes the scores as stored: a submitted sheet missing a criterion or naming an unknown one makes the ranking refuse, naming both", async () => {
    const f = await reviewRound({ proposals: 1, judges: 2 });
    await assignAll(f);
    const [p] = f.proposals;
    const [j1, j2] = f.judges;
    await submitSheet(f, p!.id, j1!.seat.id);
    const assignment = await db().reviewAssignment.findFirstOrThrow({ where: { proposalId: p!.id, roundJudgeId: j2!.seat.id } });
    const { budget: _budget, ...withoutBudget } = scoresOf(0, 0);
    await db().scoreSheet.create({
      data: {
        assignmentId: assignment.id,
        roundId: f.round.id,
        proposalId: p!.id,
        roundJudgeId: j2!.seat.id,
        status: "SUBMITTED",
        scores: { ...withoutBudget, extra: 1 },
        submittedAt: new Date(),
      },
    });

    const results = await roundResults(db(), await stored(f));
    expect(results.ranking.ok).toBe(false);
    expect(results.ranking.ok ? [] : results.ranking.problems).toEqual(
      expect.arrayContaining([
        { code: "invalidSheet", proposalId: p!.id, judgeId: j2!.seat.id, criterion: "budget", sheetProblem: "missingCriterion" },
        { code: "invalidSheet", proposalId: p!.id, judgeId: j2!.seat.id, criterion: "extra", sheetProblem: "unknownCriterion" },
      ]),
    );
    expect(results.allocation).toBeNull();
    expect(results.sheets.find((s) => s.judgeId === j2!.seat.id)!.scores).toEqual({ ...withoutBudget, extra: 1 });
  });
});
