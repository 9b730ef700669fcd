import { describe, expect, it, vi } from "vitest";
import { db } from "../support/db";
import { rejectsWithStatus } from "../support/actors";
import { assignAll, reviewRound, submitSheet } from "../support/review-fixture";
import { reviewRoundByCode, reviewRoundSelect } from "~/services/review/access.server";
import { computeResults, loadResultInputs, resultProposalSelect, roundResults, type StoredSheet } from "~/services/review/results.server";

/**
 * `roundResults` reads the proposals and the counted sheets as two JSON documents built by
 * PostgreSQL. Here the same inputs are read the plain way, row by row through the ORM, and put
 * through the same pure ranking and allocation: both must give the same bytes, on a round with a
 * tie, a judge removed after submitting, a conflict declared after submitting, a draft, a proposal
 * with one sheet, one with none, and a proposal with no community and a title that needs escaping.
 */

/** JSON with BigInt as text and Dates as ISO strings: what "byte-identical" is compared on. */
const bytes = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

const pointsOf = (share: number) => (_key: string, max: number) => Math.round(max * share * 2) / 2;

describe("round results read through SQL documents", () => {
  it("equal the results of the same inputs read row by row, ties, ended assignments, drafts and incomplete sheets included", async () => {
    const f = await reviewRound({ proposals: 6, judges: 4, round: { zScore: true } });
    await assignAll(f);
    const [p1, p2, p3, p4, p5] = f.proposals;
    const [j1, j2, j3, j4] = f.judges;
    // p1 and p2 tie: every judge gives both the same points
    const shares = [0.9, 0.7, 0.8, 0.6];
    for (const p of [p1!, p2!, p3!]) {
      for (const [j, judge] of f.judges.entries()) await submitSheet(f, p.id, judge.seat.id, pointsOf(p === p3 ? shares[j]! - 0.2 : shares[j]!));
    }
    // p4: one sheet only; p5: none; p6: a draft only
    await submitSheet(f, p4!.id, j1!.seat.id, pointsOf(0.75));
    const draftOn = await db().reviewAssignment.findFirstOrThrow({ where: { proposalId: f.proposals[5]!.id, roundJudgeId: j2!.seat.id } });
    await db().scoreSheet.create({
      data: { assignmentId: draftOn.id, roundId: f.round.id, proposalId: f.proposals[5]!.id, roundJudgeId: j2!.seat.id, status: "DRAFT", scores: { need: 5 } },
    });
    // judge 3 removed from the round after submitting; judge 4 declared a conflict on p3 after submitting
    await db().reviewAssignment.updateMany({ where: { roundJudgeId: j3!.seat.id }, data: { endedAt: new Date(), endReason: "JUDGE_REMOVED" } });
    await db().reviewAssignment.updateMany({ where: { proposalId: p3!.id, roundJudgeId: j4!.seat.id }, data: { endedAt: new Date(), endReason: "CONFLICT" } });
    // p7 (unscored) has no community and a title that JSON must escape; inserted as it is, since a submitted proposal's content is frozen
    const p7 = await db().proposal.create({
      data: {
        roundId: f.round.id,
        organizationId: f.organizations[0]!.id,
        createdById: f.applicants[0]!.id,
        status: "ELIGIBLE",
        referenceNo: `${f.round.code}-0007`,
        title: '引号 " 反斜杠 \\ 换行\n',
        submittedAt: new Date(Date.UTC(2026, 1, 1, 0, 7, 30, 123)),
        snapshot: {},
        snapshotSha256: "0".repeat(64),
      },
    });

    const round = await db().round.findUniqueOrThrow({ where: { id: f.round.id }, select: reviewRoundSelect });
    const viaSql = await roundResults(db(), round);

    // the same inputs, row by row
    const inputs = await loadResultInputs(db(), round.id);
    const proposals = await db().proposal.findMany({ where: { roundId: round.id, status: "ELIGIBLE" }, select: resultProposalSelect, orderBy: { referenceNo: "asc" } });
    const sheetRows = await db().scoreSheet.findMany({
      where: { roundId: round.id, status: "SUBMITTED", assignment: { endedAt: null }, proposal: { status: "ELIGIBLE" } },
      select: { proposalId: true, roundJudgeId: true, scores: true },
    });
    const sheets: StoredSheet[] = sheetRows.map((s) => ({ proposalId: s.proposalId, judgeId: s.roundJudgeId, scores: s.scores as Record<string, number> }));
    // p1 and p2: judges 1, 2, 4; p3: judges 1, 2; p4: judge 1
    expect(sheets).toHaveLength(9);
    const viaRows = computeResults(round, { ...inputs, proposals, sheets });

    // the proposals as the ORM reads them, key for key and in the same order
    expect(bytes(viaSql.proposals)).toBe(bytes(proposals));
    expect(viaSql.proposals.every((p) => p.submittedAt instanceof Date)).toBe(true);
    expect(viaSql.proposals.find((p) => p.id === p7.id)).toMatchObject({ community: null, communityId: null, requestedFen: null, title: '引号 " 反斜杠 \\ 换行\n' });
    // the sheets as stored (their order is not part of the answer)
    const key = (s: StoredSheet) => `${s.proposalId} ${s.judgeId}`;
    const sorted = (list: StoredSheet[]) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    expect(bytes(sorted(viaSql.sheets))).toBe(bytes(sorted(sheets)));
    // ranking and allocation, byte for byte, whatever order the sheets came in
    expect(viaSql.ranking.ok).toBe(true);
    expect(bytes(viaSql.ranking)).toBe(bytes(viaRows.ranking));
    expect(bytes(viaSql.allocation)).toBe(bytes(viaRows.allocation));
    expect(bytes(computeResults(round, { ...inputs, proposals, sheets: [...sheets].reverse() }).ranking)).toBe(bytes(viaSql.ranking));

    // the cases are there: p1 and p2 tie, p5 is unscored, p3 counts judges 1 and 2 only
    const rows = viaSql.ranking.ok ? viaSql.ranking.ranking.rows : [];
    const row = (id: string) => rows.find((r) => r.proposalId === id)!;
    expect(row(p1!.id).composite).toBe(row(p2!.id).composite);
    expect(row(p5!.id).composite ?? null).toBeNull();
    expect(row(p3!.id).judgeTotals.map((t) => t.judgeId).sort()).toEqual([j1!.seat.id, j2!.seat.id].sort());
  });
});

describe("a round read by its code in one statement", () => {
  it("is the round the ORM reads with reviewRoundSelect, key for key and type for type, with and without the optional columns; an unknown code is 404", async () => {
    const bare = await reviewRound({ proposals: 0, judges: 0 });
    const full = await reviewRound({
      proposals: 0,
      judges: 0,
      round: { titleEn: "Review test", communityCapFen: 3_000_000n, categoryCapFen: 2_000_000n, awardsPublishedAt: new Date("2026-05-01T02:03:04.567Z"), zScore: true, blindReview: true },
    });
    for (const f of [bare, full]) {
      const viaOrm = await db().round.findUniqueOrThrow({ where: { code: f.round.code }, select: reviewRoundSelect });
      const viaSql = await reviewRoundByCode(db(), f.round.code);
      expect(viaSql).toStrictEqual(viaOrm);
      expect(bytes(viaSql)).toBe(bytes(viaOrm));
    }
    expect(typeof (await reviewRoundByCode(db(), full.round.code)).poolFen).toBe("bigint");
    await rejectsWithStatus(reviewRoundByCode(db(), "NO-SUCH-ROUND"), 404);
  });

  it("is read once for the callers of one turn (a frame and its page), and afresh in a later turn, after a change", async () => {
    const f = await reviewRound({ proposals: 0, judges: 0 });
    const raw = vi.spyOn(db(), "$queryRaw");
    const roundReads = () => raw.mock.calls.filter(([sql]) => [sql].flat().join("?").includes('FROM "Round" r JOIN "Area" a')).length;
    try {
      const [a, b] = await Promise.all([reviewRoundByCode(db(), f.round.code), reviewRoundByCode(db(), f.round.code)]);
      expect(roundReads()).toBe(1);
      expect(b).toBe(a);
      await db().round.update({ where: { id: f.round.id }, data: { title: "改过的标题" } });
      expect((await reviewRoundByCode(db(), f.round.code)).title).toBe("改过的标题");
      expect(roundReads()).toBe(2);
      // inside a transaction the round is read by the transaction itself
      await db().$transaction(async (tx) => expect((await reviewRoundByCode(tx, f.round.code)).title).toBe("改过的标题"));
    } finally {
      raw.mockRestore();
    }
  });
});
